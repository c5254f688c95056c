/**
 * Item 9 as an A/B: `node dist/bench/elicitation-ab.js --baseline OTHER/dist/scripts/local.js [--rounds N]`
 * (`BENCH_CPU_PROF=DIR`: this build's gateway writes a CPU profile there; `--era legacy|modern`: that era only).
 * One elicitation round through another build's gateway, through this one's, and by the direct client,
 * interleaved round by round (A B direct A B direct ...), against both eras of test/servers/asking.ts:
 * on a loaded machine only a comparison within one run holds. OTHER is a built checkout (its own
 * firebase.json, catalog/ and node_modules).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { parseConfig } from '../shared/config.js'
import { devToken } from '../shared/auth/dev-token.js'
import { setLogSink } from '../shared/log.js'
import { freePort, waitForPort } from '../test/support/net.js'
import { startAskingLegacy, startAskingModern } from '../test/servers/asking.js'
import { interleave } from './stats.js'
import { killAllSync, spawnChild, type Child } from './proc.js'
import { cpuMs } from './coldstart.js'

const ANSWER = { action: 'accept', content: { name: 'Bench', age: 1 } }
const FORM = { elicitation: { form: {} } }

async function gateway(script: string, prof = false): Promise<{ base: string; token: string; pid: number; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-ab-'))
  const port = await freePort()
  // BENCH_CPU_PROF=DIR: this build's gateway writes a CPU profile there when it stops.
  const cpu = prof && process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
  const c: Child = spawnChild([...cpu, script], { env: { ...process.env, GATEWAY_MODE: 'local', PORT: String(port), DATA_DIR: dataDir, METADATA_SERVER_DETECTION: 'none' } })
  await waitForPort(port, 20_000)
  const token = await devToken(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir }), { user: 'ab', ttlSec: 3600 })
  return { base: `http://127.0.0.1:${port}/api/v1`, token, pid: c.pid, stop: async () => { await c.stop(); await rm(dataDir, { recursive: true, force: true }) } }
}

/** One round through `g`: execute → input_required → input → completed. */
async function round(g: { base: string; token: string }, url: string, era: string): Promise<() => Promise<boolean>> {
  const headers = { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' }
  const post = async (path: string, body: unknown) => (await (await fetch(g.base + path, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) })).json()) as Record<string, any>
  const { id } = await post('/mcps', { name: `ask-${era}`, type: 'http', endpoint: url, config: { tool_policy: { mode: 'open' } } })
  return async () => {
    const q = await post(`/mcps/${id}/tools/ask_form/execute`, { arguments: {}, capabilities: FORM })
    if (q.status !== 'input_required') return false
    const a = await post(`/executions/${q.execution_id}/input`, { responses: { [Object.keys(q.input_requests)[0]!]: ANSWER } })
    return a.status === 'completed'
  }
}

const { values } = parseArgs({ options: { baseline: { type: 'string' }, rounds: { type: 'string' }, era: { type: 'string' } } })
if (!values.baseline) throw new Error('--baseline OTHER/dist/scripts/local.js is required')
setLogSink(() => {})
const rounds = Number(values.rounds ?? 150)
const WARM = 100
const [base, mine] = [await gateway(values.baseline), await gateway('dist/scripts/local.js', true)]
const servers = [await startAskingLegacy(), await startAskingModern()]
try {
  for (const [h, era] of [[servers[0]!, 'legacy'], [servers[1]!, 'modern']] as const) {
    if (values.era && values.era !== era) continue
    const client = new Client({ name: 'bench-direct', version: '0' }, { capabilities: FORM, ...(era === 'modern' ? { versionNegotiation: { mode: 'auto' as const } } : {}) })
    client.setRequestHandler('elicitation/create', async () => ANSWER as never)
    await client.connect(new StreamableHTTPClientTransport(new URL(h.url)))
    const ops = {
      baseline: await round(base, h.url, era),
      this: await round(mine, h.url, era),
      direct: async () => (await client.callTool({ name: 'ask_form', arguments: {} })).isError !== true,
    }
    // Warmed up before CPU is counted: the first era's early rounds (JIT, modules loaded on first use,
    // the schema worker's start) cost several times a warm round's CPU, which 20 rounds do not cover.
    await interleave(ops, { rounds: WARM, warmup: 0 })
    const cpu0 = [await cpuMs(base.pid), await cpuMs(mine.pid)]
    const s = await interleave(ops, { rounds, warmup: 20 })
    // Each gateway's CPU time (all threads) per round, after WARM rounds: on a loaded machine it moves far less than wall time.
    const per = [(await cpuMs(base.pid)) - cpu0[0]!, (await cpuMs(mine.pid)) - cpu0[1]!].map((ms) => ms / (rounds + 20))
    const f = (x: number) => x.toFixed(2)
    process.stdout.write(`${era}: p50 baseline ${f(s.baseline.p50)}, this ${f(s.this.p50)}, direct ${f(s.direct.p50)} ms; added per round: baseline +${f(s.baseline.p50 - s.direct.p50)}, this +${f(s.this.p50 - s.direct.p50)} ms; gateway CPU per round: baseline ${f(per[0]!)}, this ${f(per[1]!)} ms (errors ${s.baseline.errors}/${s.this.errors})\n`)
    await client.close()
  }
} finally {
  await Promise.allSettled([base.stop(), mine.stop(), ...servers.map((x) => x.stop())])
  killAllSync()
}
process.exit(0)
