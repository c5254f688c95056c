/**
 * `npm run bench` (`node dist/bench/run.js [--quick] [--out FILE]`): starts the
 * upstream test servers on loopback and the gateway in local mode, measures the
 * items of the benchmark issue, prints Markdown to stdout and writes FILE
 * (JSON, default bench/results/latest.json) and the same name with `.md`.
 * Speed is reported, never asserted.
 */
import { mkdir, writeFile, rm } from 'node:fs/promises'
import { cpus, platform, release } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { setLogSink } from '../shared/log.js'
import { startLegacyServer } from '../test/servers/legacy.js'
import { startModernServer } from '../test/servers/modern.js'
import { startEverything, type EverythingHandle } from '../test/support/everything.js'
import { writeTestCatalog, type TestCatalog } from '../test/support/pool.js'
import { stdioBench, type StdioResult } from './stdio.js'
import { homesBench, type HomesResult } from './homes.js'
import { rateLimitBench, type RateLimitResult } from './ratelimit.js'
import { elicitation, type ElicitationResult } from './elicitation.js'
import { agentBench, type AgentBench } from './agent.js'
import { restartBench, type RestartResult } from './restart.js'
import { spawnUpstreams, type UpstreamProc } from './upstream-proc.js'
import type { TestServerHandle } from '../test/servers/tools.js'
import { api } from './api.js'
import { spawnGateway, type GatewayProc } from './gateway-proc.js'
import { latency, type LatencyResult } from './latency.js'
import { floor, type FloorResult } from './floor.js'
import { upstreamCount, type UpstreamCount } from './upstream-count.js'
import { storeOps, type StoreOps } from './store-ops.js'
import { listing, type ListingResult } from './listing.js'
import { throughput, type ThroughputResult } from './throughput.js'
import { coldStarts, fillCompileCache, firstExecute, gatewaySource, warmAB, type ColdStart, type FirstExecute, type WarmAB } from './coldstart.js'
import { goals, type Goal } from './goals.js'
import { markdown } from './report.js'
import { ROOT, killAllSync } from './proc.js'
import type { Era } from './direct.js'

export interface Results {
  meta: { date: string; node: string; cpus: number; cpu_model: string; platform: string; quick: boolean; duration_s: number; gateway_warnings: string[]; bench_warnings: string[] }
  goals: Goal[]
  latency: LatencyResult[]
  /** The same direct session through a bare pass-through proxy: the cost of one more Node hop. */
  floor: FloorResult[]
  upstream: UpstreamCount[]
  store_ops: StoreOps[]
  listing: ListingResult[]
  cold_start: ColdStart[]
  /** The gateway source the cold starts ran (the staged deploy bundle when staged). */
  cold_start_source?: string
  /** First execute on a new instance vs a bare SDK script (not in quick mode). */
  first_execute?: FirstExecute
  /** With --baseline: the deployed bundle's warm execute against the baseline build's, same run. */
  warm_ab?: WarmAB
  throughput: ThroughputResult[]
  stdio: StdioResult | string
  /** 7b: persistent stdio homes (in process). */
  homes?: HomesResult
  /** Item 8: execute with and without rate limits. */
  rate_limit: RateLimitResult[]
  /** Item 9: one elicitation round trip, gateway vs a direct client with a handler. */
  elicitation: ElicitationResult[]
  /** Item 10 (issue 16): a warm tools/call through the agent proxy against REST execute. */
  agent?: AgentBench[]
  /** Item 11 (issue 17 §3): restart-to-ready with 100,000 audited calls, and the pause compaction causes. */
  restart?: RestartResult
}

export interface BenchOptions {
  quick?: boolean
  /** JSON output; the Markdown goes next to it with `.md`. Default bench/results/latest.json. */
  out?: string
  /**
   * `coldstart`: only the cold-start items (5 and the first execute), for iterating on start-up.
   * `elicitation`: only item 9 and the plain execute latency (item 1, without server-everything) its goal compares with.
   * `restart`: only item 11 (restart-to-ready after 100,000 audited calls, compaction's pause).
   */
  only?: 'coldstart' | 'elicitation' | 'restart'
  /** Another build's bundle entry (…/dist/bundle/index.js): its cold starts are measured in the same rounds. */
  baseline?: string
  /** Progress lines (default: stderr). */
  progress?: (line: string) => void
}

const FULL = { homes: { rounds: 200, warmup: 20, coldReps: 8 }, stdio: { rounds: 200, warmup: 20, spawnRounds: 15 }, latency: { rounds: 300, warmup: 30 }, warmCalls: 20, opsCalls: 50, listing: { rounds: 40, warmup: 5 }, levels: [1, 8, 64], durationMs: 3000, coldReps: 5, coldOnly: undefined as string[] | undefined }
const QUICK = { homes: { rounds: 5, warmup: 2, coldReps: 1 }, stdio: { rounds: 5, warmup: 2, spawnRounds: 2 }, latency: { rounds: 10, warmup: 3 }, warmCalls: 3, opsCalls: 3, listing: { rounds: 3, warmup: 1 }, levels: [8], durationMs: 300, coldReps: 0, coldOnly: ['trivial', 'registry'] }
const BEARER = 'bench-upstream-token-5f2a'

export async function runBench(o: BenchOptions = {}): Promise<{ results: Results; markdown: string; json: string; md: string }> {
  const p = o.quick ? QUICK : FULL
  const say = o.progress ?? ((l: string) => process.stderr.write(`bench: ${l}\n`))
  const t0 = performance.now()
  const prevSink = setLogSink(() => {}) // the bench process's own uses of shared/ log nothing
  const benchWarnings = new Set<string>()
  const onWarning = (w: Error) => benchWarnings.add(`${w.name}: ${w.message.replace(/\d+ (abort )?listeners added/, 'N $1listeners added')}`)
  process.on('warning', onWarning)
  const servers: TestServerHandle[] = []
  let gw: GatewayProc | undefined
  let everything: EverythingHandle | undefined
  let catalog: TestCatalog | undefined
  let upProc: UpstreamProc | undefined
  try {
    if (o.only === 'restart') {
      say('11. restart-to-ready after 100,000 audited calls')
      return await finish(o, t0, { latency: [], floor: [], upstream: [], store_ops: [], listing: [], cold_start: [], throughput: [], stdio: 'not run (--only restart)', rate_limit: [], elicitation: [], restart: await restartBench({ quick: o.quick }) }, [], [...benchWarnings])
    }
    if (o.only === 'elicitation') return await finish(o, t0, await elicitationOnly(p, (g) => (gw = g), (u) => (upProc = u), say), gw?.warnings() ?? [], [...benchWarnings])
    // The reference server: @modelcontextprotocol/server-everything over streamable HTTP.
    everything = await startEverything('streamableHttp')
    if (o.only === 'coldstart') {
      const modern = await startModernServer()
      servers.push(modern)
      say('5. cold starts')
      say(fillCompileCache())
      const cold = await coldStarts(modern.url, { reps: p.coldReps, only: p.coldOnly, ...(o.baseline ? { baseline: o.baseline } : {}) })
      say('5b. first execute vs a bare SDK script')
      const first = await firstExecute(everything.url, p.coldReps)
      const ab = o.baseline ? { warm_ab: await warmAB(modern.url, o.baseline, p.latency) } : {}
      return await finish(o, t0, { latency: [], floor: [], upstream: [], store_ops: [], listing: [], cold_start: cold, cold_start_source: gatewaySource(), first_execute: first, ...ab, throughput: [], stdio: 'not run (--only coldstart)', rate_limit: [], elicitation: [] }, [], [...benchWarnings])
    }
    const [legacy, modern, walled] = await Promise.all([startLegacyServer(), startModernServer(), startModernServer({ requireBearer: BEARER })])
    servers.push(legacy, modern, walled)
    const ups: { server: string; era: Era; h: TestServerHandle }[] = [
      { server: '2025-11-25 (legacy.ts)', era: 'legacy', h: legacy },
      { server: '2026-07-28 (modern.ts)', era: 'modern', h: modern },
    ]
    say('starting the gateway (child process, local mode, with the stdio pool)')
    catalog = await writeTestCatalog()
    process.env.STDIO_CATALOG = catalog.file
    gw = await spawnGateway()
    const a = api(gw.base, await gw.token('bench'))

    say('2. upstream requests per call')
    const upstream: UpstreamCount[] = []
    for (const u of ups) upstream.push(await upstreamCount(a, u.server, u.h, p.warmCalls, () => gw!.restart()))

    say('1. execute latency')
    const ids = new Map<string, string>()
    for (const u of ups) ids.set(u.server, await a.register(`lat-${u.era}`, u.h.url))
    const lat: LatencyResult[] = []
    const floors: FloorResult[] = []
    // Latency against servers in their own process: the direct client crosses a process boundary too.
    upProc = await spawnUpstreams()
    for (const u of ups) {
      const url = u.era === 'legacy' ? upProc.legacy : upProc.modern
      const id = await a.register(`lat-proc-${u.era}`, url)
      lat.push(await latency(a, u.server, u.era, url, id, p.latency))
      floors.push(await floor(u.server, url, u.era, p.latency))
    }
    const evId = await a.register('lat-everything', everything.url)
    const EV = 'server-everything (streamableHttp, 2025)'
    lat.push(await latency(a, EV, 'legacy', everything.url, evId, p.latency))
    floors.push(await floor(EV, everything.url, 'legacy', p.latency))

    say('9. elicitation round trip')
    // The servers that ask run in the upstream process too, as item 1's do: the direct client crosses a process boundary as well.
    const token = await gw.token('bench-ask')
    const elic = [
      await elicitation(gw.base, token, '2025-11-25 (asking.ts, v1 SDK)', 'legacy', upProc.asking_legacy, upProc.legacy, p.latency),
      await elicitation(gw.base, token, '2026-07-28 (asking.ts, v2 SDK)', 'modern', upProc.asking_modern, upProc.modern, p.latency),
    ]

    say('7. stdio pool')
    const stdioId = await a.register('stdio-everything', '', { type: 'stdio', endpoint: undefined, config: { catalog_id: 'everything' } })
    const stdio = await stdioBench(a, stdioId, evId, p.stdio)

    say('7b. persistent stdio homes')
    const homes = await homesBench(p.homes)

    say('8. rate limiter')
    const rl = [await rateLimitBench(upProc.modern, '2026-07-28 (modern.ts)', p.latency)]

    say('4. listing tools')
    const list: ListingResult[] = []
    for (const u of ups) list.push(await listing(a, u.server, u.h.url, p.listing))
    // The 2026 SDK stamps ttlMs 0 ("immediately stale") unless the server sets a hint; the gateway honours both.
    const hinted = await startModernServer({ toolsTtlMs: 60_000 })
    servers.push(hinted)
    list.push(await listing(a, '2026-07-28 (modern.ts, tools/list ttlMs 60 s)', hinted.url, p.listing))

    say('6. throughput')
    const tp: ThroughputResult[] = []
    for (const u of ups) tp.push(await throughput(a, gw, u.server, u.era, u.h.url, ids.get(u.server)!, { levels: p.levels, durationMs: p.durationMs }))
    const gatewayWarnings = gw.warnings()
    await gw.stop()
    gw = undefined

    say('3. store and vault operations')
    const ops = [await storeOps('2026-07-28 (modern.ts, bearer)', walled.url, BEARER, p.opsCalls)]

    say('10. agent proxy')
    const agent = await agentBench({ quick: o.quick })

    say('11. restart-to-ready after 100,000 audited calls')
    const restart = await restartBench({ quick: o.quick })

    say('5. cold starts')
    say(fillCompileCache())
    const cold = await coldStarts(modern.url, { reps: p.coldReps, only: p.coldOnly, ...(o.baseline ? { baseline: o.baseline } : {}) })

    if (p.coldReps) say('5b. first execute vs a bare SDK script')
    const first = p.coldReps ? { first_execute: await firstExecute(everything.url, p.coldReps) } : {}
    return await finish(o, t0, { latency: lat, floor: floors, upstream, store_ops: ops, listing: list, cold_start: cold, cold_start_source: gatewaySource(), ...first, throughput: tp, stdio, homes, rate_limit: rl, elicitation: elic, agent, restart }, gatewayWarnings, [...benchWarnings])
  } finally {
    await gw?.stop().catch(() => {})
    await everything?.stop().catch(() => {})
    await upProc?.stop().catch(() => {})
    if (catalog) await rm(catalog.dir, { recursive: true, force: true })
    delete process.env.STDIO_CATALOG
    await Promise.allSettled(servers.map((s) => s.stop()))
    setLogSink(prevSink)
    process.off('warning', onWarning)
  }
}

/** `--only elicitation`: item 9 and, for its goal, the plain execute latency of item 1 against the same eras. */
async function elicitationOnly(p: typeof FULL, gwSet: (g: GatewayProc) => void, upSet: (u: UpstreamProc) => void, say: (l: string) => void): Promise<Omit<Results, 'meta' | 'goals'>> {
  say('starting the gateway (child process, local mode)')
  const gw = await spawnGateway()
  gwSet(gw)
  const a = api(gw.base, await gw.token('bench'))
  const upProc = await spawnUpstreams()
  upSet(upProc)
  say('1. execute latency (2025 and 2026 test servers only)')
  const lat: LatencyResult[] = []
  for (const [server, era, url] of [['2025-11-25 (legacy.ts)', 'legacy', upProc.legacy], ['2026-07-28 (modern.ts)', 'modern', upProc.modern]] as const) {
    lat.push(await latency(a, server, era, url, await a.register(`lat-proc-${era}`, url), p.latency))
  }
  say('9. elicitation round trip')
  const token = await gw.token('bench-ask')
  const elic = [
    await elicitation(gw.base, token, '2025-11-25 (asking.ts, v1 SDK)', 'legacy', upProc.asking_legacy, upProc.legacy, p.latency),
    await elicitation(gw.base, token, '2026-07-28 (asking.ts, v2 SDK)', 'modern', upProc.asking_modern, upProc.modern, p.latency),
  ]
  return { latency: lat, floor: [], upstream: [], store_ops: [], listing: [], cold_start: [], throughput: [], stdio: 'not run (--only elicitation)', rate_limit: [], elicitation: elic }
}

async function finish(o: BenchOptions, t0: number, parts: Omit<Results, 'meta' | 'goals'>, gatewayWarnings: string[], benchWarnings: string[]): Promise<{ results: Results; markdown: string; json: string; md: string }> {
  const cpu = cpus()
  const results: Results = {
    meta: {
      date: new Date().toISOString(), node: process.version, cpus: cpu.length, cpu_model: cpu[0]?.model ?? 'unknown',
      platform: `${platform()} ${release()}`, quick: Boolean(o.quick), duration_s: (performance.now() - t0) / 1000,
      gateway_warnings: gatewayWarnings, bench_warnings: benchWarnings,
    },
    goals: [], ...parts,
  }
  results.goals = goals(results)
  const md = markdown(results)
  const json = resolveOut(o.out)
  const mdPath = json.replace(/\.json$/, '') + '.md'
  await mkdir(dirname(json), { recursive: true })
  await writeFile(json, JSON.stringify(results, null, 2) + '\n')
  await writeFile(mdPath, md)
  return { results, markdown: md, json, md: mdPath }
}

function resolveOut(out: string | undefined): string {
  if (!out) return join(ROOT, 'bench/results/latest.json')
  return isAbsolute(out) ? out : join(process.cwd(), out)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, out: { type: 'string' }, only: { type: 'string' }, baseline: { type: 'string' } } })
  if (values.only !== undefined && !['coldstart', 'elicitation', 'restart'].includes(values.only)) throw new Error(`--only: unknown item ${values.only} (known: coldstart, elicitation, restart)`)
  try {
    const r = await runBench({ quick: values.quick, out: values.out, only: values.only as BenchOptions['only'], ...(values.baseline ? { baseline: values.baseline } : {}) })
    process.stdout.write(r.markdown + '\n')
    process.stderr.write(`bench: wrote ${r.json} and ${r.md}\n`)
    process.exit(0)
  } catch (e) {
    process.stderr.write(`bench failed: ${(e as Error)?.stack ?? e}\n`)
    killAllSync()
    process.exit(1)
  }
}
