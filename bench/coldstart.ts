/**
 * Item 5: cold start of each function under the Functions Framework, from
 * process spawn to the first 2xx on a cheap request that needs that function's
 * code, against a trivial FF function. A separate traced run per function
 * (trace-imports preload) lists the heavy packages it loaded by then.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../shared/config.js'
import { makeDeps } from '../shared/deps.js'
import { create } from '../shared/registry/write.js'
import { devToken } from '../shared/auth/dev-token.js'
import { freePort } from '../test/support/net.js'
import { spawnChild } from './proc.js'
import { summarize, sleep, type Summary } from './stats.js'

export const HEAVY = ['@google-cloud/firestore', '@google-cloud/secret-manager', '@modelcontextprotocol/client', 'undici', 'ajv', 'ioredis']
const FF_MAIN = 'node_modules/@google-cloud/functions-framework/build/src/main.js'
const WAIT_MS = 30_000

interface Target { fn: string; source: string; method: string; path: string; auth: boolean; body?: unknown }
export interface ColdStart {
  function: string
  request: string
  spawn_to_2xx: Summary
  /** p50 ÷ the trivial function's p50 */
  ratio_vs_trivial: number
  /** heavy packages loaded by the first 2xx (traced run) */
  heavy_modules: string[]
  /** npm packages loaded in all (traced run) */
  packages_loaded: number
}

function targets(mcpId: string): Target[] {
  // What deploys: package.json "main", the bundle.
  const gw = 'dist/bundle/index.js'
  return [
    { fn: 'trivial', source: 'dist/bench/trivial.js', method: 'GET', path: '/', auth: false },
    { fn: 'health', source: gw, method: 'GET', path: '/api/v1/health', auth: false },
    { fn: 'registry', source: gw, method: 'GET', path: '/api/v1/mcps', auth: true },
    { fn: 'listing', source: gw, method: 'GET', path: `/api/v1/mcps/${mcpId}/tools`, auth: true },
    { fn: 'execute', source: gw, method: 'POST', path: `/api/v1/mcps/${mcpId}/tools/echo/execute`, auth: true, body: { arguments: { message: 'cold' } } },
  ]
}

/** One spawn: ms from spawn to the first 2xx; with `traceFile`, the preload records loaded packages. */
async function once(t: Target, env: NodeJS.ProcessEnv, token: string, traceFile?: string): Promise<number> {
  const port = await freePort()
  const args = [...(traceFile ? ['--import', './dist/bench/trace-imports.js'] : []), FF_MAIN, `--target=${t.fn}`, `--source=${t.source}`, `--port=${port}`]
  const t0 = performance.now()
  const child = spawnChild(args, { env: { ...env, ...(traceFile ? { BENCH_TRACE_FILE: traceFile } : {}) } })
  try {
    const headers: Record<string, string> = t.auth ? { authorization: `Bearer ${token}` } : {}
    if (t.body) headers['content-type'] = 'application/json'
    while (performance.now() - t0 < WAIT_MS) {
      if (child.proc.exitCode !== null) throw new Error(`${t.fn} exited (${child.proc.exitCode}): ${child.stderr()}`)
      let res: Response
      try {
        res = await fetch(`http://127.0.0.1:${port}${t.path}`, { method: t.method, headers, body: t.body ? JSON.stringify(t.body) : undefined, signal: AbortSignal.timeout(WAIT_MS) })
      } catch {
        await sleep(5) // not listening yet
        continue
      }
      const text = await res.text()
      if (res.status < 200 || res.status > 299) throw new Error(`${t.fn}: ${t.method} ${t.path} answered ${res.status} ${text.slice(0, 300)}`)
      return performance.now() - t0
    }
    throw new Error(`${t.fn}: no 2xx within ${WAIT_MS} ms: ${child.stderr()}`)
  } finally {
    await child.stop() // SIGTERM: the framework exits, and the preload writes its list
  }
}

/** Runs the functions round-robin `reps` times untraced, then once traced each. */
export async function coldStarts(upstreamUrl: string, o: { reps: number; only?: string[] }): Promise<ColdStart[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-cold-'))
  try {
    // Setup, untimed: the dev key, and one registered MCP for listing and execute (then release the store).
    const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir })
    const d = makeDeps(config)
    const token = await devToken(config, { user: 'cold' })
    const rec = await create(d, { sub: 'cold', admin: false }, { name: 'cold', type: 'http', endpoint: upstreamUrl })
    await (await d.store()).close()
    const env = { ...process.env, GATEWAY_MODE: 'local', DATA_DIR: dataDir, METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'production' }
    const ts = targets(rec.id).filter((t) => !o.only || o.only.includes(t.fn))
    const samples = new Map(ts.map((t) => [t.fn, [] as number[]]))
    for (let r = 0; r < o.reps; r++) for (const t of ts) samples.get(t.fn)!.push(await once(t, env, token))
    const out: ColdStart[] = []
    for (const [i, t] of ts.entries()) {
      const file = join(dataDir, `trace-${i}.txt`)
      const ms = await once(t, env, token, file)
      if (o.reps === 0) samples.get(t.fn)!.push(ms) // quick mode: the traced run is the only sample
      const pkgs = new Set((await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean))
      out.push({
        function: t.fn, request: `${t.method} ${t.path.replace(rec.id, '{id}')}`,
        spawn_to_2xx: summarize(samples.get(t.fn)!), ratio_vs_trivial: NaN,
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
