/**
 * A new user's first hour, as they would meet it: the messages a mistake
 * gets (each names the way out), what `npm start` and /health say about the
 * setup, the dev-token script's usage errors, a port in use, stopping
 * `npm start`, and the README's curl steps failing visibly.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGateway, type Gateway } from './support/gateway.js'
import { isProblem, until } from './support/assert.js'
import { freePort, waitForPort } from './support/net.js'
import { writeTestCatalog, type TestCatalog } from './support/pool.js'
import { root } from './fixtures/terraform.js'

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const LOCAL = join(root, 'dist/scripts/local.js')
const DEV_TOKEN = join(root, 'dist/scripts/dev-token.js')
const NO_STACK = /\n\s+at .+:\d+:\d+/

// ---------------------------------------------------------------------------
const msgs = suite<{ gw: Gateway; cat: TestCatalog; token: string }>('first hour: messages a person can act on', {} as never)
msgs.before(async (ctx) => {
  ctx.cat = await writeTestCatalog()
  ctx.gw = await startGateway({ env: { STDIO_CATALOG: ctx.cat.file } })
  ctx.token = await ctx.gw.token('newbie')
})
msgs.after(async (ctx) => {
  await ctx.gw.close()
  await rm(ctx.cat.dir, { recursive: true, force: true })
})

const errorsOf = (r: { json: any }) => r.json.errors as { path: string; message: string }[]
const post = (ctx: { gw: Gateway; token: string }, body: unknown) => ctx.gw.req('POST', '/mcps', { token: ctx.token, body })
const ok = { name: 'x', type: 'http', endpoint: 'https://mcp.example.com/mcp' }

msgs('a bad timeout_ms gets one message saying what it must be, on create and on PATCH (not one per anyOf branch)', async (ctx) => {
  const c = await post(ctx, { ...ok, config: { timeout_ms: 99 } })
  isProblem(c, 400, 'invalid_request', { path: '/config/timeout_ms' })
  assert.equal(errorsOf(c), [{ path: '/config/timeout_ms', message: 'must be a whole number of milliseconds from 100 to 3600000' }])
  const made = await post(ctx, ok)
  for (const bad of [99, 'abc', 1.5]) {
    const p = await ctx.gw.req('PATCH', `/mcps/${made.json.id}`, { token: ctx.token, body: { config: { timeout_ms: bad } } })
    assert.equal(errorsOf(p), [{ path: '/config/timeout_ms', message: 'must be a whole number of milliseconds from 100 to 3600000, or null to unset it' }], JSON.stringify(bad))
    assert.match(p.json.detail, '/config/timeout_ms must be a whole number')
  }
})

msgs('a bad limit says "1 to 100", not a regular expression', async (ctx) => {
  for (const q of ['limit=0', 'limit=500', 'limit=abc']) {
    const r = await ctx.gw.req('GET', `/mcps?${q}`, { token: ctx.token })
    assert.equal(errorsOf(r), [{ path: '/limit', message: 'must be a whole number from 1 to 100' }], q)
  }
})

msgs('an endpoint without a scheme suggests the URL the user meant', async (ctx) => {
  const r = await post(ctx, { ...ok, endpoint: 'mcp.example.com/mcp' })
  isProblem(r, 400, 'invalid_request', { path: '/endpoint' })
  assert.match(errorsOf(r)[0]!.message, 'did you mean https://mcp.example.com/mcp?')
  const l = await post(ctx, { ...ok, endpoint: 'localhost:3001/mcp' })
  assert.match(errorsOf(l)[0]!.message, 'did you mean http://localhost:3001/mcp?')
  // Not a host at all: no suggestion.
  assert.not.match(errorsOf(await post(ctx, { ...ok, endpoint: 'not a url' }))[0]!.message, 'did you mean')
})

msgs('tool arguments at the top level of an execute body: the message shows {"arguments": ...}', async (ctx) => {
  const made = await post(ctx, ok)
  const r = await ctx.gw.req('POST', `/mcps/${made.json.id}/tools/echo/execute`, { token: ctx.token, body: { message: 'hi' } })
  isProblem(r, 400, 'invalid_request', { path: '/message' })
  assert.match(errorsOf(r)[0]!.message, '{"arguments": {...}}')
})

msgs('a catalog parameter that does not fit says what it must look like', async (ctx) => {
  const r = await post(ctx, { name: 'fs', type: 'stdio', config: { catalog_id: 'filesystem', params: { root: '/etc' } } })
  isProblem(r, 400, 'invalid_request', { path: '/config/params/root' })
  // The root is a path inside the user's own storage (the example catalog's form): the message shows its shape.
  assert.match(errorsOf(r)[0]!.message, /^must be a string matching \^\[A-Za-z0-9\._-\]\+.* of at most 200 characters/)
})

msgs('/health says whether CORS and stdio are on, and the version from package.json', async (ctx) => {
  const h = await ctx.gw.req('GET', '/health')
  assert.is(h.json.version, pkg.version)
  assert.is(h.json.config.cors, 'off')
  assert.is(h.json.config.stdio, 'on')
  const other = await startGateway({ env: { APP_ORIGINS: 'http://localhost:5173' } })
  try {
    const o = await other.req('GET', '/health')
    assert.is(o.json.config.cors, 'on')
    assert.is(o.json.config.stdio, 'off')
  } finally {
    await other.close()
  }
})

msgs.run()

// ---------------------------------------------------------------------------
const cli = suite('first hour: npm start and dev-token')

interface Run { code: number | null; stdout: string; stderr: string }
const run = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }))
  })

/** Starts `node dist/scripts/local.js`, resolves with its banner once it listens. */
async function startLocal(env: Record<string, string>): Promise<{ child: ChildProcess; banner: string; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [LOCAL], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let banner = ''
  child.stderr!.on('data', (b) => (banner += b))
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)))
  await waitForPort(Number(env.PORT), 30_000)
  await until(() => banner.includes('then:'), 'the start-up banner')
  return { child, banner, stop: async () => { child.kill('SIGTERM'); return exited } }
}

cli('npm start warns when APP_ORIGINS is empty (CORS off) and says stdio is off; with both set it says they are on', async () => {
  const data = await mkdtemp(join(tmpdir(), 'fh-data-'))
  const cat = await writeTestCatalog()
  try {
    const a = await startLocal({ PORT: String(await freePort()), DATA_DIR: data, APP_ORIGINS: '', STDIO_CATALOG: '' })
    assert.is(await a.stop(), 0)
    assert.match(a.banner, `MCP gateway ${pkg.version}`)
    assert.match(a.banner, /WARNING: APP_ORIGINS is empty, so CORS is off/)
    assert.match(a.banner, /stdio servers: off \(set STDIO_CATALOG=/)
    const b = await startLocal({ PORT: String(await freePort()), DATA_DIR: data, APP_ORIGINS: 'http://localhost:5173', STDIO_CATALOG: cat.file })
    assert.is(await b.stop(), 0)
    assert.match(b.banner, 'CORS: on for http://localhost:5173')
    // The console's URL, signed in by a dev token in the fragment (never sent to the server).
    assert.match(b.banner, /^ {2}console: {2}http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+\.[\w-]+\.[\w-]+$/m)
    assert.match(b.banner, `stdio servers: on (catalog ${cat.file})`)
    assert.not.match(b.banner, 'WARNING')
  } finally {
    await rm(data, { recursive: true, force: true })
    await rm(cat.dir, { recursive: true, force: true })
  }
})

cli('a port in use: npm start says so and which variable to set, without a stack trace', async () => {
  const data = await mkdtemp(join(tmpdir(), 'fh-data-'))
  const busy: Server = createServer()
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r))
  try {
    const port = (busy.address() as { port: number }).port
    const r = await run([LOCAL], { PORT: String(port), DATA_DIR: data })
    assert.is(r.code, 1, r.stderr)
    assert.match(r.stderr, `port ${port} is in use`)
    assert.match(r.stderr, /set PORT to another port, e\.g\. PORT=\d+ npm start/)
    assert.not.match(r.stderr, NO_STACK)
    // A wrong PORT value names the variable too.
    const w = await run([LOCAL], { PORT: 'eighty', DATA_DIR: data })
    assert.is(w.code, 1)
    assert.match(w.stderr, /PORT must be an integer/)
    assert.not.match(w.stderr, NO_STACK)
  } finally {
    busy.close()
    await rm(data, { recursive: true, force: true })
  }
})

cli('dev-token: a bad --ttl, an unknown option or no --user is a usage error (exit 2), not a stack trace', async () => {
  const data = await mkdtemp(join(tmpdir(), 'fh-data-'))
  try {
    for (const [args, says] of [
      [['--user', 'alice', '--ttl', 'abc'], /--ttl must be a whole number of seconds from 1 to \d+, not "abc"/],
      [['--user', 'alice', '--ttl=0'], /--ttl must be a whole number/],
      [['--user', 'alice', '--ttl', '-5'], /--ttl/],
      [['--user', 'alice', '--bogus'], /Unknown option '--bogus'/],
      [[], /--user is required/],
      [['--user', 'alice', '--admin'], /--admin needs --org/],
    ] as const) {
      const r = await run([DEV_TOKEN, ...args], { DATA_DIR: data })
      assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, says, args.join(' '))
      assert.match(r.stderr, /^usage: npm run -s dev-token -- --user alice/m)
      assert.not.match(r.stderr, NO_STACK)
      assert.is(r.stdout, '')
    }
    const good = await run([DEV_TOKEN, '--user', 'alice', '--ttl', '60'], { DATA_DIR: data })
    assert.is(good.code, 0, good.stderr)
    assert.match(good.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/)
  } finally {
    await rm(data, { recursive: true, force: true })
  }
})

/** Every process whose parent chain leads to `pid` (from /proc). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch { /* gone */ }
  }
  const out: number[] = []
  const walk = (p: number) => { for (const [c, pp] of parent) if (pp === p) { out.push(c); walk(c) } }
  walk(pid)
  return out
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true } catch { return false } }

cli('SIGTERM to `npm start` stops the gateway: no process of it is left, the port closes', async () => {
  const data = await mkdtemp(join(tmpdir(), 'fh-data-'))
  const port = await freePort()
  // npm start as a user runs it (it builds first): npm, its shell, the gateway.
  const npm = spawn('npm', ['start'], { cwd: root, env: { ...process.env, PORT: String(port), DATA_DIR: data }, stdio: 'ignore' })
  const exited = new Promise<number | null>((r) => npm.once('exit', (c) => r(c)))
  let tree: number[] = []
  try {
    await waitForPort(port, 120_000)
    tree = descendants(npm.pid!)
    assert.ok(tree.length >= 1, 'the gateway runs under npm')
    npm.kill('SIGTERM')
    await exited
    await until(() => tree.every((p) => !alive(p)), `every process of npm start (${tree.join(', ')}) to exit`, 15_000)
    const taken = await new Promise<boolean>((r) => { const s = createServer(); s.once('error', () => r(true)); s.listen(port, '127.0.0.1', () => s.close(() => r(false))) })
    assert.not.ok(taken, 'the port is free again')
  } finally {
    for (const p of [...tree, ...descendants(npm.pid!)]) try { process.kill(p, 'SIGKILL') } catch { /* gone */ }
    if (npm.exitCode === null) npm.kill('SIGKILL')
    await rm(data, { recursive: true, force: true })
  }
})

/** The README's "Try it" shell block, pointed at this test's ports. */
function tryIt(o: { everything: number; gateway: number; token?: string }): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const block = /## Try it[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!
  let sh = block
    .replace(/^PORT=3001 (node .*) &$/m, `PORT=${o.everything} $1 & EV=$!; trap 'kill $EV' EXIT`)
    .replaceAll('127.0.0.1:3001', `127.0.0.1:${o.everything}`)
    .replaceAll('127.0.0.1:8080', `127.0.0.1:${o.gateway}`)
  if (o.token) sh = sh.replace(/^TOKEN=\$\(npm run -s dev-token -- --user alice\)$/m, `TOKEN=${o.token}`)
  assert.is.not(sh, block)
  return sh
}

cli('the README\'s curl steps work, and stop visibly at the first failing step instead of feeding an undefined id on', async () => {
  const data = await mkdtemp(join(tmpdir(), 'fh-data-'))
  const everything = await freePort()
  const port = await freePort()
  const gw = await startLocal({ PORT: String(port), DATA_DIR: data })
  const bash = (script: string) => new Promise<Run>((resolve) =>
    execFile('bash', ['-c', script], { cwd: root, env: { ...process.env, DATA_DIR: data }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })))
  try {
    const good = await bash(tryIt({ everything, gateway: port }))
    assert.is(good.code, 0, good.stderr)
    assert.match(good.stdout, '"text":"Echo: hello"')
    assert.match(good.stdout, 'event: result')
    const bad = await bash(tryIt({ everything, gateway: port, token: 'garbage' }))
    assert.is.not(bad.code, 0)
    assert.match(bad.stderr, /"code":"unauthenticated"/, 'the problem+json answer is shown')
    assert.match(bad.stderr, 'register it first', 'the next step refuses to run without an id')
    assert.not.match(bad.stdout + bad.stderr, 'undefined')
  } finally {
    assert.is(await gw.stop(), 0)
    await rm(data, { recursive: true, force: true })
  }
})

cli.run()
