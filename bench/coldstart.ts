/**
 * Item 5: cold start of each function under the Functions Framework, from
 * process spawn to the first 2xx on a cheap request that needs that function's
 * code, against a trivial FF function. A separate traced run per function
 * (trace-imports preload) lists the heavy packages it loaded by then.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { parseConfig } from '../shared/config.js'
import { makeDeps } from '../shared/deps.js'
import { create } from '../shared/registry/write.js'
import { devToken } from '../shared/auth/dev-token.js'
import { freePort } from '../test/support/net.js'
import { ROOT, spawnChild } from './proc.js'
import { interleave, summarize, sleep, type Summary } from './stats.js'
import { closedLoop } from './throughput.js'

export const HEAVY = ['@google-cloud/firestore', '@google-cloud/secret-manager', '@modelcontextprotocol/client', 'undici', 'ajv', 'ioredis']
const FF_MAIN = 'node_modules/@google-cloud/functions-framework/build/src/main.js'
const WAIT_MS = 30_000

/** Whether something accepts TCP connections on the port yet (a probe that sends no request). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1')
    sock.once('connect', () => { sock.destroy(); resolve(true) })
    sock.once('error', () => resolve(false))
  })
}

export interface Target { fn: string; source: string; method: string; path: string; auth: boolean; body?: unknown; expect?: string; label?: string; env?: Record<string, string> }
export interface ColdStart {
  function: string
  request: string
  spawn_to_2xx: Summary
  /** p50 ÷ the trivial function's p50 */
  ratio_vs_trivial: number
  /** p50 of spawn → the port accepts (Node, the framework, functions/index.ts) */
  listen_p50: number
  /** p50 of the port accepting → the first 2xx (the function's modules loaded on its first call, and the call) */
  request_p50: number
  /** p50 of the process's CPU time (all its threads) spawn → first 2xx: what a loaded machine changes least (NaN off Linux) */
  cpu_p50: number
  /** heavy packages loaded by the first 2xx (traced run) */
  heavy_modules: string[]
  /** npm packages loaded in all (traced run) */
  packages_loaded: number
}

/** What deploys: the bundle as staged by infra/scripts/stage-source.mjs when staged, else package.json "main". */
export const gatewaySource = (): string => (existsSync(join(ROOT, STAGED)) ? STAGED : 'dist/bundle/index.js')
const STAGED = 'dist/deploy/source/dist/bundle/index.js'

function targets(mcpId: string, baseline?: string): Target[] {
  const gw = gatewaySource()
  // With a baseline bundle (another build's dist/bundle/index.js), its rows are measured in the same rounds.
  const base: Target[] = baseline ? ['registry', 'listing', 'execute'].map((fn) => ({ ...targets(mcpId).find((t) => t.fn === fn)!, source: baseline, label: `${fn} (baseline)` })) : []
  const own: Target[] = [
    { fn: 'trivial', source: 'dist/bench/trivial.js', method: 'GET', path: '/', auth: false },
    { fn: 'health', source: gw, method: 'GET', path: '/api/v1/health', auth: false },
    { fn: 'registry', source: gw, method: 'GET', path: '/api/v1/mcps', auth: true },
    { fn: 'listing', source: gw, method: 'GET', path: `/api/v1/mcps/${mcpId}/tools`, auth: true },
    { fn: 'execute', source: gw, method: 'POST', path: `/api/v1/mcps/${mcpId}/tools/echo/execute`, auth: true, body: { arguments: { message: 'cold' } } },
  ]
  // The compile cache's share, in the same rounds: the same bundle with Node's own switch off.
  // BENCH_COLD_NOCACHE=0 leaves these rows out (for A/B runs that need only the bundle and a baseline).
  const noCache: Target[] = hasCompileCache() && process.env.BENCH_COLD_NOCACHE !== '0' ? own.filter((t) => t.fn === 'listing' || t.fn === 'execute').map((t) => ({ ...t, label: `${t.fn} (no compile cache)`, env: { NODE_DISABLE_COMPILE_CACHE: '1' } })) : []
  return [...base, ...noCache, ...own].sort((a, b) => order(a) - order(b))
}
const FNS = ['trivial', 'health', 'registry', 'listing', 'execute']
const order = (t: Target) => FNS.indexOf(t.fn) * 3 + (t.label?.includes('baseline') ? 1 : t.label ? 2 : 0)

const hasCompileCache = () => existsSync(join(ROOT, dirname(dirname(dirname(gatewaySource()))), '.compile-cache'))

/**
 * Fills the staged tree's compile cache with this Node, as the deploy build's `gcp-build`
 * step does where the functions run; a no-op on Node 20 or for an unstaged bundle.
 */
export function fillCompileCache(): string {
  if (gatewaySource() !== STAGED) return 'not staged: no compile cache'
  const cwd = join(ROOT, 'dist/deploy/source')
  return execFileSync(process.execPath, ['dist/bundle/fill-compile-cache.js'], { cwd, encoding: 'utf8', timeout: 120_000 }).trim()
}

/**
 * One spawn, in phases: `listen` is spawn → the port accepts (Node, the framework and
 * functions/index.ts loaded), `request` is the rest (the function's own modules loaded
 * on its first call, plus the call itself). With `traceFile`, the preload records loaded packages.
 */
export async function phases(t: Target, env: NodeJS.ProcessEnv, token: string, traceFile?: string): Promise<{ total: number; listen: number; request: number; cpu: number }> {
  const port = await freePort()
  // BENCH_CPU_PROF=DIR: each cold start also writes CPU profiles (spawn → exit), one per thread, into a directory
  // of its own under DIR. Node's default file names carry the thread id: a fixed --cpu-prof-name made the schema
  // worker's profile (written when the worker stops, at exit) overwrite the main thread's.
  const profDir = process.env.BENCH_CPU_PROF ? join(process.env.BENCH_CPU_PROF, `${(t.label ?? t.fn).replace(/\W+/g, '-')}-${Date.now()}`) : undefined
  const prof = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []
  // Beside them, marks.json: when the port accepted and when the 2xx arrived, on the profiles' clock (monotonic µs).
  const mark = () => Number(process.hrtime.bigint() / 1000n)
  const marks: Record<string, number> = { spawn: mark() }
  const args = [...prof, ...(traceFile ? ['--import', './dist/bench/trace-imports.js'] : []), FF_MAIN, `--target=${t.fn}`, `--source=${t.source}`, `--port=${port}`]
  const t0 = performance.now()
  const child = spawnChild(args, { env: { ...env, ...t.env, ...(traceFile ? { BENCH_TRACE_FILE: traceFile } : {}) } })
  try {
    const headers: Record<string, string> = t.auth ? { authorization: `Bearer ${token}` } : {}
    if (t.body) headers['content-type'] = 'application/json'
    while (performance.now() - t0 < WAIT_MS) {
      if (child.proc.exitCode !== null) throw new Error(`${t.fn} exited (${child.proc.exitCode}): ${child.stderr()}`)
      if (!(await accepts(port))) {
        await sleep(5) // not listening yet
        continue
      }
      const listen = performance.now() - t0
      marks.listen = mark()
      const res = await fetch(`http://127.0.0.1:${port}${t.path}`, { method: t.method, headers, body: t.body ? JSON.stringify(t.body) : undefined, signal: AbortSignal.timeout(WAIT_MS) })
      const text = await res.text()
      if (res.status < 200 || res.status > 299) throw new Error(`${t.fn}: ${t.method} ${t.path} answered ${res.status} ${text.slice(0, 300)}; stderr: ${child.stderr().slice(-1500)}`)
      if (t.expect && !text.includes(t.expect)) throw new Error(`${t.fn}: ${t.method} ${t.path} answered without ${t.expect}: ${text.slice(0, 300)}`)
      const total = performance.now() - t0
      marks.first_2xx = mark()
      if (profDir) await mkdir(profDir, { recursive: true }).then(() => writeFile(join(profDir, 'marks.json'), JSON.stringify(marks)))
      return { total, listen, request: total - listen, cpu: await cpuMs(child.pid) }
    }
    throw new Error(`${t.fn}: no 2xx within ${WAIT_MS} ms: ${child.stderr()}`)
  } finally {
    await child.stop() // SIGTERM: the framework exits, and the preload writes its list
  }
}

/** CPU time a process has used so far, all threads (Linux: the first field of each task's schedstat, ns), in ms. */
export async function cpuMs(pid: number): Promise<number> {
  try {
    const tasks = await readdir(`/proc/${pid}/task`)
    let ns = 0
    for (const t of tasks) ns += Number((await readFile(`/proc/${pid}/task/${t}/schedstat`, 'utf8').catch(() => '0')).split(' ')[0])
    return ns / 1e6
  } catch {
    return NaN
  }
}

/** Runs the functions round-robin `reps` times untraced, then once traced each. */
export async function coldStarts(upstreamUrl: string, o: { reps: number; only?: string[]; baseline?: string }): Promise<ColdStart[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-cold-'))
  try {
    // Setup, untimed: the dev key, and one registered MCP for listing and execute (then release the store).
    const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir })
    const d = makeDeps(config)
    const token = await devToken(config, { user: 'cold' })
    const rec = await create(d, { sub: 'cold', admin: false }, { name: 'cold', type: 'http', endpoint: upstreamUrl })
    await (await d.store()).close()
    const env = { ...process.env, GATEWAY_MODE: 'local', DATA_DIR: dataDir, METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'production' }
    // BENCH_COLD_ONLY=trivial,listing: only those functions (and their baseline rows), for profiling one of them.
    const only = process.env.BENCH_COLD_ONLY?.split(',') ?? o.only
    const ts = targets(rec.id, o.baseline).filter((t) => !only || only.includes(t.fn))
    type Ph = Awaited<ReturnType<typeof phases>>
    const name = (t: Target) => t.label ?? t.fn
    const samples = new Map(ts.map((t) => [name(t), [] as Ph[]]))
    // BENCH_COLD_REPS=N: more spawns per row than the default, for A/B runs of small levers.
    const reps = Number(process.env.BENCH_COLD_REPS) || o.reps
    for (let r = 0; r < reps; r++) for (const t of ts) samples.get(name(t))!.push(await phases(t, env, token))
    const out: ColdStart[] = []
    for (const [i, t] of ts.entries()) {
      const file = join(dataDir, `trace-${i}.txt`)
      const ph = await phases(t, env, token, file)
      if (reps === 0) samples.get(name(t))!.push(ph) // quick mode: the traced run is the only sample
      const pkgs = new Set((await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean))
      const s = samples.get(name(t))!
      out.push({
        function: name(t), request: `${t.method} ${t.path.replace(rec.id, '{id}')}`,
        spawn_to_2xx: summarize(s.map((x) => x.total)), ratio_vs_trivial: NaN,
        listen_p50: summarize(s.map((x) => x.listen)).p50, request_p50: summarize(s.map((x) => x.request)).p50, cpu_p50: summarize(s.map((x) => x.cpu)).p50,
        heavy_modules: HEAVY.filter((h) => pkgs.has(h)), packages_loaded: pkgs.size,
      })
    }
    const base = out.find((c) => c.function === 'trivial')?.spawn_to_2xx.p50
    for (const c of out) c.ratio_vs_trivial = base ? c.spawn_to_2xx.p50 / base : NaN
    return out
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

export interface FirstExecute {
  /** gateway `execute` on a new instance: spawn → the tool's result */
  gateway: Summary
  /** bare-call.ts: spawn → the result (Node, the SDK, connect, one call) */
  bare: Summary
  ratio_p50: number
  /** p50 CPU time of each (all threads, spawn → result), and their ratio */
  cpu_p50: { gateway: number; bare: number }
  cpu_ratio_p50: number
}

/**
 * The first execute on a new instance against server-everything, spawn → result,
 * interleaved with a bare script that spawns, connects with the SDK and calls once.
 * The MCP is registered beforehand, as on an instance that a scale-out starts.
 */
export async function firstExecute(everythingUrl: string, reps: number): Promise<FirstExecute> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-first-'))
  try {
    const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir })
    const d = makeDeps(config)
    const token = await devToken(config, { user: 'cold' })
    const rec = await create(d, { sub: 'cold', admin: false }, { name: 'everything', type: 'http', endpoint: everythingUrl })
    await (await d.store()).close()
    const env = { ...process.env, GATEWAY_MODE: 'local', DATA_DIR: dataDir, METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'production' }
    const t: Target = { fn: 'execute', source: gatewaySource(), method: 'POST', path: `/api/v1/mcps/${rec.id}/tools/echo/execute`, auth: true, body: { arguments: { message: 'cold' } }, expect: 'Echo: cold' }
    const gw: number[] = []
    const bare: number[] = []
    const cpu = { gw: [] as number[], bare: [] as number[] }
    for (let r = 0; r < Math.max(1, reps); r++) {
      const p = await phases(t, env, token)
      gw.push(p.total)
      cpu.gw.push(p.cpu)
      const b = await bareCall(everythingUrl)
      bare.push(b.ms)
      cpu.bare.push(b.cpu)
    }
    const g = summarize(gw)
    const b = summarize(bare)
    const cg = summarize(cpu.gw).p50
    const cb = summarize(cpu.bare).p50
    return { gateway: g, bare: b, ratio_p50: g.p50 / b.p50, cpu_p50: { gateway: cg, bare: cb }, cpu_ratio_p50: cg / cb }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

/** ms from spawning bare-call.js to its result line, and its CPU time by then. */
async function bareCall(url: string): Promise<{ ms: number; cpu: number }> {
  const t0 = performance.now()
  const child = spawnChild(['dist/bench/bare-call.js', url], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] })
  try {
    const out = await new Promise<string>((resolve, reject) => {
      let buf = ''
      child.proc.stdout!.on('data', (c: Buffer) => {
        buf += c.toString()
        if (buf.includes('\n')) resolve(buf)
      })
      child.proc.once('exit', (code) => reject(new Error(`bare-call exited (${code}): ${child.stderr()}`)))
    })
    if (!out.includes('Echo: cold')) throw new Error(`bare-call: unexpected result ${out.slice(0, 300)}`)
    const ms = performance.now() - t0
    return { ms, cpu: await cpuMs(child.pid) }
  } finally {
    await child.stop()
  }
}

export interface WarmAB {
  /** The two bundles' execute under the Functions Framework, warm, interleaved (ms). */
  current: Summary
  baseline: Summary
  /** Closed loop at c64, 2 × 2 s each, alternating (calls/s). */
  current_rps: number
  baseline_rps: number
}

/**
 * The warm path of the deployed bundle against a baseline build's: both `execute`
 * functions served by the Functions Framework side by side against the same upstream,
 * warm execute latency interleaved, then throughput at c64 alternating.
 */
export async function warmAB(upstreamUrl: string, baseline: string, o: { rounds: number; warmup: number }): Promise<WarmAB> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-warm-'))
  const children: Awaited<ReturnType<typeof serveFF>>[] = []
  try {
    // Each process its own data dir (the local store holds a lock), the same MCP registered in each.
    const call = async (src: string) => {
      const dir = await mkdtemp(join(dataDir, 'fn-'))
      const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dir })
      const d = makeDeps(config)
      const rec = await create(d, { sub: 'warm', admin: false }, { name: 'warm', type: 'http', endpoint: upstreamUrl })
      await (await d.store()).close()
      const tk = await devToken(config, { user: 'warm' })
      const ff = await serveFF(src, { ...process.env, GATEWAY_MODE: 'local', DATA_DIR: dir, METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'production' })
      children.push(ff)
      const url = `http://127.0.0.1:${ff.port}/api/v1/mcps/${rec.id}/tools/echo/execute`
      return async () => {
        const r = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${tk}`, 'content-type': 'application/json' }, body: '{"arguments":{"message":"warm"}}' })
        await r.arrayBuffer()
        return r.ok
      }
    }
    const cur = await call(gatewaySource())
    const base = await call(baseline)
    const lat = await interleave({ current: cur, baseline: base }, o)
    const rps = { current: [] as number[], baseline: [] as number[] }
    for (let i = 0; i < 2; i++) {
      rps.current.push((await closedLoop(cur, 64, 2000)).throughput)
      rps.baseline.push((await closedLoop(base, 64, 2000)).throughput)
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length
    return { current: lat.current, baseline: lat.baseline, current_rps: mean(rps.current), baseline_rps: mean(rps.baseline) }
  } finally {
    await Promise.allSettled(children.map((c) => c.child.stop()))
    await rm(dataDir, { recursive: true, force: true })
  }
}

async function serveFF(source: string, env: NodeJS.ProcessEnv): Promise<{ port: number; child: ReturnType<typeof spawnChild> }> {
  const port = await freePort()
  const child = spawnChild([FF_MAIN, '--target=execute', `--source=${source}`, `--port=${port}`], { env })
  const t0 = performance.now()
  while (!(await accepts(port))) {
    if (child.proc.exitCode !== null) throw new Error(`execute exited (${child.proc.exitCode}): ${child.stderr()}`)
    if (performance.now() - t0 > WAIT_MS) throw new Error(`execute: not listening within ${WAIT_MS} ms`)
    await sleep(10)
  }
  return { port, child }
}
