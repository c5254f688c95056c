/**
 * `npm run bench:agent` (issue 16 §5): a warm `tools/call` through the agent
 * proxy (`/api/v1/mcps/{id}/mcp`, a 2025 session and 2026-07-28) against the
 * same call through REST `execute` and a direct warm client, interleaved
 * (A B C D A B C D ...), on one upstream in its own process. Goal: proxy p50
 * ≤ 1.1× REST execute p50. The proxied call is sent two ways: by the v2 SDK
 * client (an agent as most are built) and by the same plain `fetch` client as
 * REST execute's (bench/agent-fetch.ts); both ratios are reported, since the
 * SDK client's own CPU per call is not the gateway's (docs/performance.md).
 * Then, on an in-process upstream that records its
 * requests: a 2025 session through the proxy keeps one upstream session (no
 * initialize per call).
 *
 *   node dist/bench/agent.js [--quick] [--out bench/results/agent.json]
 */
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { api, ECHO } from './api.js'
import { fetchAgent } from './agent-fetch.js'
import { warmClient, type Era } from './direct.js'
import { spawnGateway } from './gateway-proc.js'
import { spawnUpstreams } from './upstream-proc.js'
import { interleave, type Summary } from './stats.js'
import { ROOT, killAllSync } from './proc.js'
import { startLegacyServer } from '../test/servers/legacy.js'

const TIMEOUT_MS = 15_000

async function agentClient(url: string, token: string, era: Era) {
  const client = new Client({ name: 'bench-agent', version: '0' }, { capabilities: {}, ...(era === 'modern' ? { versionNegotiation: { mode: 'auto' as const } } : {}) })
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } })
  await client.connect(transport as any, { timeout: TIMEOUT_MS })
  return {
    call: async () => (await client.callTool({ name: 'echo', arguments: ECHO }, { timeout: TIMEOUT_MS })).isError !== true,
    close: async () => {
      if (transport.sessionId) await transport.terminateSession().catch(() => {})
      await client.close().catch(() => {})
    },
  }
}

/** Calls measured for CPU: through the proxy by the SDK client (`proxy_*`) and by plain fetch (`fetch_*`), and REST execute. */
type CpuKind = 'proxy_2025' | 'proxy_2026' | 'fetch_2025' | 'fetch_2026' | 'rest_execute'

export interface AgentBench {
  upstream: string
  latency: Record<CpuKind | 'direct_warm', Summary>
  /** proxy (SDK client) p50 / REST execute p50, per downstream era; goal ≤ 1.1. */
  ratio_2025: number
  ratio_2026: number
  /** proxy (the same plain fetch client as REST execute's) p50 / REST execute p50, per era; goal ≤ 1.1. */
  ratio_fetch_2025: number
  ratio_fetch_2026: number
  /** The gateway process's CPU time per call (user + system, from /proc; null where there is none): less sensitive to a loaded machine than wall time. */
  gateway_cpu_ms: Record<CpuKind, number> | null
  /** The bench process's own CPU per call (the agent side: SDK client, plain fetch), measured with the gateway's. */
  agent_cpu_ms: Record<CpuKind, number> | null
  /** Upstream initialize requests during `calls` calls in one 2025 session through the proxy (goal: 0 after the session's first). */
  session: { calls: number; upstream_initialize: number; upstream_posts: number }
}

/** A process's CPU time so far (ms), or null off Linux. */
function cpuOf(pid: number): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(f[11]) + Number(f[12])) * 10
  } catch {
    return null
  }
}

const selfCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

/** Gateway and bench-process CPU per call of each kind: `n` calls of one kind at a time, three times over. */
async function cpuPerCall(pid: number, kinds: Record<CpuKind, () => Promise<unknown>>, n: number) {
  const zero = (): Record<CpuKind, number> => ({ proxy_2025: 0, proxy_2026: 0, fetch_2025: 0, fetch_2026: 0, rest_execute: 0 })
  const gateway = zero(), agent = zero()
  for (let rep = 0; rep < 3; rep++) {
    for (const [k, call] of Object.entries(kinds) as [CpuKind, () => Promise<unknown>][]) {
      const c0 = cpuOf(pid), m0 = selfCpu()
      if (c0 === null) return null
      for (let i = 0; i < n; i++) await call()
      gateway[k] += (cpuOf(pid)! - c0) / n / 3
      agent[k] += (selfCpu() - m0) / n / 3
    }
  }
  return { gateway, agent }
}

export async function agentBench(o: { quick?: boolean } = {}): Promise<AgentBench[]> {
  const p = o.quick ? { rounds: 10, warmup: 3, calls: 5, cpu: 10 } : { rounds: 300, warmup: 30, calls: 50, cpu: 100 }
  const gw = await spawnGateway()
  const up = await spawnUpstreams()
  const rec = await startLegacyServer()
  const out: AgentBench[] = []
  try {
    const token = await gw.token('bench')
    const a = api(gw.base, token)
    for (const [name, url, era] of [['2025-11-25 (legacy.ts, own process)', up.legacy, 'legacy'], ['2026-07-28 (modern.ts, own process)', up.modern, 'modern']] as const) {
      const id = await a.register(`agent-${era}`, url, { config: { tool_policy: { mode: 'open' } } })
      const endpoint = `${gw.base}/mcps/${id}/mcp`
      const [p25, p26, f25, f26, direct] = await Promise.all([
        agentClient(endpoint, token, 'legacy'), agentClient(endpoint, token, 'modern'), fetchAgent(endpoint, token, 'legacy'), fetchAgent(endpoint, token, 'modern'), warmClient(url, era),
      ])
      try {
        const calls = {
          proxy_2025: () => p25.call(), proxy_2026: () => p26.call(), fetch_2025: () => f25.call(), fetch_2026: () => f26.call(), rest_execute: () => a.execute(id, 'echo', ECHO),
        }
        const latency = await interleave({ ...calls, direct_warm: () => direct.call() }, p)
        const cpu = await cpuPerCall(gw.pid, calls, p.cpu)
        const rest = latency.rest_execute.p50
        out.push({
          upstream: name, latency, ratio_2025: latency.proxy_2025.p50 / rest, ratio_2026: latency.proxy_2026.p50 / rest,
          ratio_fetch_2025: latency.fetch_2025.p50 / rest, ratio_fetch_2026: latency.fetch_2026.p50 / rest,
          gateway_cpu_ms: cpu?.gateway ?? null, agent_cpu_ms: cpu?.agent ?? null, session: { calls: 0, upstream_initialize: 0, upstream_posts: 0 },
        })
      } finally {
        await Promise.all([p25.close(), p26.close(), f25.close(), f26.close(), direct.close()])
      }
    }
    // One 2025 session, many calls: what the upstream sees after the session is open.
    const id = await a.register('agent-session', rec.url, { config: { tool_policy: { mode: 'open' } } })
    const s = await agentClient(`${gw.base}/mcps/${id}/mcp`, token, 'legacy')
    await s.call()
    rec.reset()
    for (let i = 0; i < p.calls; i++) await s.call()
    const session = {
      calls: p.calls,
      upstream_initialize: rec.requests.filter((r) => r.jsonrpcMethods.includes('initialize')).length,
      upstream_posts: rec.requests.filter((r) => r.method === 'POST').length,
    }
    await s.close()
    for (const r of out) r.session = session
    return out
  } finally {
    await gw.stop().catch(() => {})
    await up.stop().catch(() => {})
    await rec.stop().catch(() => {})
  }
}

export function agentMarkdown(rs: AgentBench[]): string {
  const f = (n: number) => n.toFixed(2)
  const pp = (x: Summary) => `${f(x.p50)} / ${f(x.p95)} ms`
  const lines = [
    'Through the proxy by the v2 SDK client (as most agents are built), and by the same plain `fetch` client as REST execute\'s (the same HTTP exchange, without the SDK\'s own CPU per call):',
    '',
    '| upstream | proxy 2025, SDK client p50 / p95 | proxy 2026, SDK client | proxy 2025, fetch | proxy 2026, fetch | REST execute | direct warm |',
    '|---|---|---|---|---|---|---|',
  ]
  for (const r of rs) {
    const l = r.latency
    lines.push(`| ${r.upstream} | ${pp(l.proxy_2025)} | ${pp(l.proxy_2026)} | ${pp(l.fetch_2025)} | ${pp(l.fetch_2026)} | ${pp(l.rest_execute)} | ${pp(l.direct_warm)} |`)
  }
  lines.push('', 'Goal: proxy p50 ≤ 1.1× REST execute p50 (2025 session, 2026-07-28):', '')
  for (const r of rs) {
    lines.push(`- ${r.upstream}: proxy (SDK client) / REST ${f(r.ratio_2025)}, ${f(r.ratio_2026)}; proxy (same HTTP client as REST) / REST ${f(r.ratio_fetch_2025)}, ${f(r.ratio_fetch_2026)}`)
  }
  if (rs.some((r) => r.gateway_cpu_ms)) {
    lines.push('', '| CPU per call (gateway; agent side) | proxy 2025, SDK client | proxy 2026, SDK client | proxy 2025, fetch | proxy 2026, fetch | REST execute |', '|---|---|---|---|---|---|')
    for (const r of rs) {
      const g = r.gateway_cpu_ms, m = r.agent_cpu_ms
      if (!g || !m) continue
      const c = (k: CpuKind) => `${f(g[k])}; ${f(m[k])} ms`
      lines.push(`| ${r.upstream} | ${c('proxy_2025')} | ${c('proxy_2026')} | ${c('fetch_2025')} | ${c('fetch_2026')} | ${c('rest_execute')} |`)
    }
  }
  const s = rs[0]?.session
  if (s) lines.push('', `One 2025 session through the proxy, ${s.calls} calls after the first: ${s.upstream_initialize} upstream initialize, ${s.upstream_posts} upstream POSTs.`)
  return lines.join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, out: { type: 'string' } } })
  try {
    const rs = await agentBench({ quick: values.quick })
    const file = values.out ?? join(ROOT, 'bench/results/agent.json')
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, JSON.stringify(rs, null, 2) + '\n')
    process.stdout.write(agentMarkdown(rs) + '\n')
    process.exit(0)
  } catch (e) {
    process.stderr.write(`bench failed: ${(e as Error)?.stack ?? e}\n`)
    killAllSync()
    process.exit(1)
  }
}
