/**
 * `node dist/bench/agent-cpu.js [--n 200] [--reps 5]`: CPU per warm `tools/call`, gateway
 * and this (agent) process, for each kind (proxy 2025 and 2026 by the SDK client, the same
 * by plain fetch as REST's client (bench/agent-fetch.ts), REST execute), in
 * interleaved blocks, on both upstreams. Less noisy than wall time on a shared machine:
 * where bench:agent's latency ratio comes from, side by side.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { api, ECHO } from './api.js'
import { fetchAgent } from './agent-fetch.js'
import { spawnGateway } from './gateway-proc.js'
import { spawnUpstreams } from './upstream-proc.js'

/** A process's user and system CPU time so far (ms). */
const cpuOf = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return { user: Number(f[11]) * 10, sys: Number(f[12]) * 10 }
}
const self = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

async function agentClient(url: string, token: string, modern: boolean) {
  const client = new Client({ name: 'bench-agent', version: '0' }, { capabilities: {}, ...(modern ? { versionNegotiation: { mode: 'auto' as const } } : {}) })
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } })
  await client.connect(transport as any)
  return { call: async () => (await client.callTool({ name: 'echo', arguments: ECHO })).isError !== true, close: () => client.close() }
}

const { values } = parseArgs({ options: { n: { type: 'string' }, reps: { type: 'string' }, only: { type: 'string' }, upstream: { type: 'string' } } })
const n = Number(values.n ?? 200), reps = Number(values.reps ?? 5)
const gw = await spawnGateway()
const up = await spawnUpstreams()
try {
  const token = await gw.token('bench')
  const a = api(gw.base, token)
  for (const [name, url] of [['legacy', up.legacy], ['modern', up.modern]] as const) {
    if (values.upstream && values.upstream !== name) continue
    const id = await a.register(`agent-${name}`, url, { config: { tool_policy: { mode: 'open' } } })
    const ep = `${gw.base}/mcps/${id}/mcp`
    const [p25, p26, f25, f26] = await Promise.all([agentClient(ep, token, false), agentClient(ep, token, true), fetchAgent(ep, token, 'legacy'), fetchAgent(ep, token, 'modern')])
    const all = { proxy_2025: () => p25.call(), proxy_2026: () => p26.call(), fetch_2025: () => f25.call(), fetch_2026: () => f26.call(), rest: () => a.execute(id, 'echo', ECHO) }
    // --only KIND: that kind alone (to profile it: BENCH_CPU_PROF=DIR).
    const kinds = values.only ? { [values.only]: all[values.only as keyof typeof all] } : all
    const gwc: Record<string, number[]> = {}, gws: Record<string, number[]> = {}, mec: Record<string, number[]> = {}
    for (const k of Object.keys(kinds)) { gwc[k] = []; gws[k] = []; mec[k] = [] }
    for (const call of Object.values(kinds)) for (let i = 0; i < 30; i++) await call()
    for (let r = 0; r < reps; r++) {
      for (const [k, call] of Object.entries(kinds)) {
        const g0 = cpuOf(gw.pid), m0 = self()
        for (let i = 0; i < n; i++) await call()
        const g1 = cpuOf(gw.pid)
        gwc[k]!.push((g1.user + g1.sys - g0.user - g0.sys) / n)
        gws[k]!.push((g1.sys - g0.sys) / n)
        mec[k]!.push((self() - m0) / n)
      }
    }
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1]!.toFixed(2)
    const rng = (xs: number[]) => `${med(xs)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`
    for (const k of Object.keys(kinds)) console.log(`${name} ${k.padEnd(10)} gateway ${rng(gwc[k]!)} ms (system ${med(gws[k]!)})  agent ${rng(mec[k]!)} ms`)
    await Promise.all([p25.close(), p26.close(), f25.close(), f26.close()])
  }
} finally {
  await gw.stop().catch(() => {})
  await up.stop().catch(() => {})
}
process.exit(0)
