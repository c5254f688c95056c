/**
 * Rate limits that hold across instances: eight gateway processes (`node
 * dist/scripts/local.js`, each with its own data dir holding the same
 * registered MCP) share one real redis-server; 8 × 100 concurrent calls
 * against a limit of 100 admit exactly 100. Then Redis is killed mid-run:
 * RATE_LIMIT_FAIL=open admits (logged and counted), closed answers 503; never 500.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn, type ChildProcess } from 'node:child_process'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseConfig } from '../shared/config.js'
import { makeDeps } from '../shared/deps.js'
import { create } from '../shared/registry/write.js'
import { devToken } from '../shared/auth/dev-token.js'
import { rateLimitCounters } from '../shared/ratelimit/limit.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { startGateway, type Gateway } from './support/gateway.js'
import { auditFlushed } from '../shared/audit.js'
import { setLogSink } from '../shared/log.js'
import { freePort, waitForPort } from './support/net.js'
import { needsRedis, startRedis, type RedisServer } from './support/redis.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const N = 8
const EACH = 100
const LIMIT = 100

interface Proc { child: ChildProcess; base: string; out: () => string }

async function spawnGateway(dataDir: string, env: Record<string, string>): Promise<Proc> {
  const port = await freePort()
  const child = spawn(process.execPath, ['dist/scripts/local.js'], {
    cwd: ROOT,
    env: { ...process.env, GATEWAY_MODE: 'local', PORT: String(port), DATA_DIR: dataDir, METADATA_SERVER_DETECTION: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const keep = (c: Buffer) => { out = (out + c.toString()).slice(-200_000) }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<never>((_, rej) => child.once('exit', (c) => rej(new Error(`gateway exited (${c}): ${out.slice(-2000)}`))))
  exited.catch(() => {})
  await Promise.race([waitForPort(port, 30_000), exited])
  return { child, base: `http://127.0.0.1:${port}/api/v1`, out: () => out }
}

async function stop(p: Proc) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return
  const gone = new Promise((r) => p.child.once('exit', r))
  p.child.kill('SIGTERM')
  const t = setTimeout(() => p.child.kill('SIGKILL'), 5000)
  await gone
  clearTimeout(t)
}

const test = needsRedis(suite('rate limits across instances (Redis)'))
let redis: RedisServer
let up: ModernServerHandle
const dirs: string[] = []
const procs: Proc[] = []

test.before(async () => {
  redis = await startRedis()
  up = await startModernServer()
})
test.after(async () => {
  await Promise.all(procs.map(stop))
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
  await redis?.stop()
  await up?.stop()
})

test('8 gateway processes sharing one Redis: 8 × 100 concurrent calls against a limit of 100 admit exactly 100', async () => {
  // One data dir with the dev key and the registered MCP, copied for each process (a local store is one process's).
  const template = await mkdtemp(join(tmpdir(), 'gw-rl-'))
  dirs.push(template)
  const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: template })
  const token = await devToken(config, { user: 'alice', ttlSec: 600 })
  const d = makeDeps(config)
  const sink = setLogSink(() => {})
  const rec = await create(d, { sub: 'alice', admin: false }, { name: 'shared', type: 'http', endpoint: up.url })
  await auditFlushed()
  setLogSink(sink)
  await (await d.store()).close()
  const copies = await Promise.all(Array.from({ length: N }, async (_, i) => {
    const dir = `${template}-${i}`
    dirs.push(dir)
    await cp(template, dir, { recursive: true })
    return dir
  }))
  // A bucket of 100 that refills one token an hour: however slow this machine, no refill lands during the run.
  const env = { REDIS_URL: redis.url, RATE_LIMIT_USER_MCP: `1/h,burst=${LIMIT}` }
  procs.push(...(await Promise.all(copies.map((dir) => spawnGateway(dir, env)))))

  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  // Warm each process (a listing takes no token), then send the calls round-robin: all eight compete.
  for (const p of procs) assert.is((await fetch(`${p.base}/mcps/${rec.id}/tools`, { headers })).status, 200)
  const t0 = performance.now()
  const rs = await Promise.all(Array.from({ length: EACH }).flatMap(() => procs.map(async (p) => {
    const r = await fetch(`${p.base}/mcps/${rec.id}/tools/echo/execute`, {
      method: 'POST', headers,
      body: JSON.stringify({ arguments: { message: 'hi' } }), signal: AbortSignal.timeout(60_000),
    })
    return { p, status: r.status, headers: r.headers, body: await r.json() }
  })))
  const elapsed = performance.now() - t0
  assert.ok(elapsed < 3_600_000)
  const byStatus = (s: number) => rs.filter((r) => r.status === s)
  assert.is(rs.length, N * EACH)
  const unchecked = procs.map((p) => p.out().split('\n').filter((l) => l.includes('"store":"unreachable"')).length)
  assert.is(byStatus(200).length, LIMIT, `unchecked per process ${unchecked}; statuses: ${JSON.stringify(Object.fromEntries([...new Set(rs.map((r) => r.status))].map((s) => [s, byStatus(s).length])))}`)
  assert.is(byStatus(429).length, N * EACH - LIMIT)
  assert.is(up.requests.filter((r) => r.jsonrpcMethods.includes('tools/call')).length, LIMIT, 'the upstream saw exactly the admitted calls')
  // Each process alone would have admitted 100: the bucket is one for all of them, wherever the calls landed.
  const admittedBy = procs.map((p) => byStatus(200).filter((r) => r.p === p).length)
  assert.is(admittedBy.reduce((a, b) => a + b), LIMIT, `admitted per process: ${admittedBy}`)
  for (const r of byStatus(429)) {
    assert.is(r.body.code, 'rate_limited')
    const retry = Number(r.headers.get('retry-after'))
    // One token an hour; a call whose clock read a little earlier than the first admitted one's waits that much longer.
    assert.ok(retry >= 3000 && retry <= 3660, `Retry-After ${retry}`)
    assert.is(r.headers.get('ratelimit'), `"user-mcp";r=0;t=${retry}`)
    assert.is(r.headers.get('ratelimit-policy'), `"user-mcp";q=1;w=3600;mcpgw-burst=${LIMIT}`)
  }
})

// ---- Redis goes away mid-run (in-process gateways: the counters are visible) -------------------

async function outage(fail: 'open' | 'closed') {
  await redis.restart() // the previous test may have left it killed
  const g: Gateway = await startGateway({ env: { REDIS_URL: redis.url, RATE_LIMIT_USER: '100000/h', RATE_LIMIT_FAIL: fail } })
  try {
    const alice = await g.token('alice')
    const made = await g.req('POST', '/mcps', { token: alice, body: { name: 'x', type: 'http', endpoint: up.url } })
    const id = made.json.id
    const exec = () => g.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'hi' } } })
    const before = { ...rateLimitCounters }
    // Four callers in a loop; Redis is killed once 20 calls have gone through, and the loop runs on to 100 calls.
    // before: the call was answered before the kill began; after: it started once Redis was gone.
    // A call in flight during the kill may go either way, but never to a 500.
    const statuses: { status: number; before: boolean; after: boolean; retry: string | null; code: string }[] = []
    let phase: 'up' | 'dying' | 'down' = 'up'
    let killing: Promise<void> | undefined
    let n = 0
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (n < 100) {
        n++
        const after = phase === 'down'
        const r = await exec()
        statuses.push({ status: r.status, before: phase === 'up', after, retry: r.headers.get('retry-after'), code: r.json?.code })
        if (statuses.length === 20 && !killing) {
          phase = 'dying'
          killing = redis.kill().then(() => { phase = 'down' })
        }
      }
    }))
    await killing
    const pre = statuses.filter((s) => s.before)
    const post = statuses.filter((s) => s.after)
    assert.ok(pre.length >= 20 && post.length >= 20, `${pre.length} calls before the kill, ${post.length} after`)
    assert.ok(pre.every((s) => s.status === 200), `with Redis up, every call passes the limiter: ${JSON.stringify(pre)}`)
    assert.not.ok(statuses.some((s) => s.status >= 500 && s.status !== 503), `never a 500: ${statuses.map((s) => s.status)}`)
    const failedOpen = rateLimitCounters.failed_open - before.failed_open
    const failedClosed = rateLimitCounters.failed_closed - before.failed_closed
    assert.ok(rateLimitCounters.store_errors - before.store_errors >= post.length, `every unchecked call is counted: ${rateLimitCounters.store_errors - before.store_errors} of ${post.length}`)
    const lines = g.logs.map((l) => JSON.parse(l))
    assert.ok(lines.some((l) => l.severity === 'ERROR' && l.message === `rate limiter store unreachable; failing ${fail} until it is back`), 'one line says so when it starts')
    const perCall = lines.filter((l) => l.rate_limit?.store === 'unreachable' && l.httpRequest)
    assert.ok(perCall.length >= post.length, 'each unchecked call says so on its own request line (the log-based metric)')
    assert.ok(perCall.every((l) => l.rate_limit.fail === fail))
    return { post, failedOpen, failedClosed, g, exec }
  } catch (e) {
    await g.close()
    throw e
  }
}

test('Redis killed mid-run, RATE_LIMIT_FAIL=open (the default): calls pass, logged and counted', async () => {
  const { post, failedOpen, g } = await outage('open')
  try {
    assert.ok(post.every((s) => s.status === 200), `after the kill: ${post.map((s) => s.status)}`)
    assert.ok(failedOpen >= post.length)
  } finally {
    await g.close()
  }
})

test('Redis killed mid-run, RATE_LIMIT_FAIL=closed: 503 unavailable with Retry-After; limits work again once Redis is back', async () => {
  const { post, failedClosed, g, exec } = await outage('closed')
  try {
    assert.ok(post.every((s) => s.status === 503), `after the kill: ${post.map((s) => s.status)}`)
    for (const s of post) assert.equal([s.code, s.retry], ['unavailable', '5'])
    assert.ok(failedClosed >= post.length)
    await redis.restart()
    const until = Date.now() + 15_000
    let status = 0
    while (status !== 200 && Date.now() < until) status = (await exec()).status
    assert.is(status, 200, 'the client reconnected by itself')
    assert.ok(g.logs.some((l) => JSON.parse(l).message === 'rate limiter store reachable again'))
  } finally {
    await g.close()
  }
})

test.run()
