/**
 * Where item 9's budget goes, in CPU (which a loaded machine moves far less than wall time):
 * `node dist/bench/elicitation-cpu.js [--rounds N] [--era legacy|modern]`.
 * One gateway (child process, local mode), the upstreams in their own process; per era, after
 * a warm-up, the gateway's CPU (all its threads) per plain execute and per elicitation round
 * (execute → input_required → input → completed), each run alone (sequential calls), and the
 * wall p50 of each next to the direct client's. A round through the gateway is two gateway
 * requests: the goal holds when a round costs about what two plain executes cost.
 */
import { parseArgs } from 'node:util'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { spawnGateway } from './gateway-proc.js'
import { spawnUpstreams } from './upstream-proc.js'
import { api, ECHO } from './api.js'
import { warmClient } from './direct.js'
import { cpuMs } from './coldstart.js'
import { killAllSync } from './proc.js'
import { readdir, readFile } from 'node:fs/promises'

/** CPU ms by thread name (all threads of `pid`). */
async function threads(pid: number): Promise<Map<string, number>> {
  const m = new Map<string, number>()
  for (const t of await readdir(`/proc/${pid}/task`)) {
    const name = (await readFile(`/proc/${pid}/task/${t}/comm`, 'utf8').catch(() => '?')).trim() + (t === String(pid) ? ' (main)' : '')
    const ns = Number((await readFile(`/proc/${pid}/task/${t}/schedstat`, 'utf8').catch(() => '0')).split(' ')[0])
    m.set(name, (m.get(name) ?? 0) + ns / 1e6)
  }
  return m
}
const byThread = new Map<string, Map<string, number>>()

const { values } = parseArgs({ options: { rounds: { type: 'string' }, era: { type: 'string' }, kinds: { type: 'string' } } })
const N = Number(values.rounds ?? 300)
const ANSWER = { action: 'accept', content: { name: 'Bench', age: 1 } }
const FORM = { elicitation: { form: {} } }
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

const gw = await spawnGateway()
const up = await spawnUpstreams()
process.stdout.write(`gateway pid ${gw.pid}\n`)
try {
  const token = await gw.token('cpu')
  const a = api(gw.base, token)
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const post = async (path: string, body: unknown) => (await (await fetch(gw.base + path, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as Record<string, any>
  for (const era of ['legacy', 'modern'] as const) {
    if (values.era && values.era !== era) continue
    const plainId = await a.register(`cpu-plain-${era}`, era === 'legacy' ? up.legacy : up.modern)
    const askUrl = era === 'legacy' ? up.asking_legacy : up.asking_modern
    const ask = await post('/mcps', { name: `cpu-ask-${era}`, type: 'http', endpoint: askUrl, config: { tool_policy: { mode: 'open' } } })
    const plain = () => a.execute(plainId, 'echo', ECHO)
    const round = async () => {
      const q = await post(`/mcps/${ask.id}/tools/ask_form/execute`, { arguments: {}, capabilities: FORM })
      if (q.status !== 'input_required') return false
      const r = await post(`/executions/${q.execution_id}/input`, { responses: { [Object.keys(q.input_requests)[0]!]: ANSWER } })
      return r.status === 'completed'
    }
    const warm = await warmClient(era === 'legacy' ? up.legacy : up.modern, era)
    const client = new Client({ name: 'cpu-direct', version: '0' }, { capabilities: FORM, ...(era === 'modern' ? { versionNegotiation: { mode: 'auto' as const } } : {}) })
    client.setRequestHandler('elicitation/create', async () => ANSWER as never)
    await client.connect(new StreamableHTTPClientTransport(new URL(askUrl)))
    const directRound = async () => (await client.callTool({ name: 'ask_form', arguments: {} })).isError !== true
    const measure = async (fn: () => Promise<boolean>, gateway: boolean) => {
      for (let i = 0; i < 50; i++) await fn()
      const c0 = gateway ? await cpuMs(gw.pid) : 0
      const t0 = gateway ? await threads(gw.pid) : new Map<string, number>()
      const ts: number[] = []
      let bad = 0
      for (let i = 0; i < N; i++) {
        const t = performance.now()
        if (!(await fn())) bad++
        ts.push(performance.now() - t)
      }
      if (gateway) {
        const t1 = await threads(gw.pid)
        const key = fn === plain ? 'plain' : 'round'
        const acc = byThread.get(key) ?? new Map<string, number>()
        for (const [k, v] of t1) acc.set(k, (acc.get(k) ?? 0) + (v - (t0.get(k) ?? 0)) / N / 2)
        byThread.set(key, acc)
      }
      return { p50: p50(ts), cpu: gateway ? ((await cpuMs(gw.pid)) - c0) / N : NaN, bad }
    }
    const res: Record<string, { p50: number; cpu: number; bad: number }> = {}
    // Alternate blocks so that drift hits both.
    for (const k of [0, 1]) {
      for (const [name, fn, g] of [['plain', plain, true], ['direct', () => warm.call(), false], ['round', round, true], ['direct round', directRound, false]] as const) {
        if (values.kinds && !values.kinds.split(',').includes(name)) { res[name] ??= { p50: NaN, cpu: NaN, bad: 0 }; continue }
        const r = await measure(fn, g)
        const o = res[name]
        res[name] = o ? { p50: (o.p50 + r.p50) / 2, cpu: (o.cpu + r.cpu) / 2, bad: o.bad + r.bad } : r
        void k
      }
    }
    const f = (x: number) => x.toFixed(2)
    const hop = res.plain!.p50 - res.direct!.p50
    const added = res.round!.p50 - res['direct round']!.p50
    process.stdout.write(`${era}: plain ${f(res.plain!.p50)} vs direct ${f(res.direct!.p50)} ms (hop ${f(hop)}), gateway CPU ${f(res.plain!.cpu)} ms/call; ` +
      `round ${f(res.round!.p50)} vs direct ${f(res['direct round']!.p50)} ms (added ${f(added)} = ${f(added / hop)}× hop), gateway CPU ${f(res.round!.cpu)} ms/round = ${f(res.round!.cpu / res.plain!.cpu)}× plain (errors ${res.plain!.bad + res.round!.bad})\n`)
    for (const [k, m] of byThread) process.stdout.write(`  ${k} CPU by thread: ${[...m].filter(([, v]) => v > 0.005).map(([n, v]) => `${n} ${v.toFixed(2)}`).join(', ')}\n`)
    byThread.clear()
    await warm.close()
    await client.close()
  }
} finally {
  await Promise.allSettled([gw.stop(), up.stop()])
  killAllSync()
}
process.exit(0)
