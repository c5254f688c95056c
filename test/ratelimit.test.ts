/**
 * Rate limits through the gateway, with the memory adapter (local mode, one
 * instance): a 2,000-call burst, other users, the per-MCP limit and
 * config.rate_limit, org limits, burst and refill, what counts, the response
 * fields, the audit trail, and start-up errors for bad settings.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { parseConfig, describeConfig } from '../shared/config.js'
import { auditFlushed, AUDIT } from '../shared/audit.js'
import { rateLimitCounters } from '../shared/ratelimit/limit.js'

let up: ModernServerHandle
let gw: Gateway | undefined

const ECHO = { arguments: { message: 'hi' } }
async function boot(env: Record<string, string>, over?: NonNullable<Parameters<typeof startGateway>[0]>['over']) {
  await gw?.close()
  gw = await startGateway({ env, over })
  return gw
}
async function register(g: Gateway, token: string, extra: Record<string, unknown> = {}) {
  const r = await g.req('POST', '/mcps', { token, body: { name: 'up', type: 'http', endpoint: up.url, ...extra } })
  assert.is(r.status, 201, r.text)
  return r.json.id as string
}
const exec = (g: Gateway, token: string, id: string) => g.req('POST', `/mcps/${id}/tools/echo/execute`, { token, body: ECHO })
const calls = () => up.requests.filter((r) => r.jsonrpcMethods.includes('tools/call')).length

/** Runs `n` calls with at most `c` in flight. */
async function burst(n: number, c: number, f: () => Promise<Res>): Promise<Res[]> {
  const out: Res[] = []
  let next = 0
  await Promise.all(Array.from({ length: c }, async () => {
    while (next < n) {
      next++
      out.push(await f())
    }
  }))
  return out
}

// ---- settings -----------------------------------------------------------------------------------

const cfg = suite('rate limits: settings')

cfg('each variable parses <count>/<s|m|h> with an optional burst; unset means no limit', () => {
  const c = parseConfig({ RATE_LIMIT_USER: '600/m,burst=50', RATE_LIMIT_USER_MCP: '10/s', RATE_LIMIT_ORG: ' 5000 / h ' })
  assert.equal(c.rateLimit.user, { count: 600, periodSec: 60, burst: 50 })
  assert.equal(c.rateLimit.userMcp, { count: 10, periodSec: 1, burst: 10 })
  assert.equal(c.rateLimit.org, { count: 5000, periodSec: 3600, burst: 5000 })
  assert.equal({ ...parseConfig({}).rateLimit }, { user: null, userMcp: null, org: null, redisUrl: null, fail: 'open' })
  assert.equal(describeConfig(c).rate_limit, { user: '600/m,burst=50', user_mcp: '10/s', org: '5000/h', store: 'memory', fail: 'open' })
})

cfg('a bad value is a start-up error that names the variable', () => {
  for (const [name, v] of [['RATE_LIMIT_USER', '600'], ['RATE_LIMIT_USER', '600/d'], ['RATE_LIMIT_USER_MCP', '0/m'], ['RATE_LIMIT_ORG', '10/m,burst=0'], ['RATE_LIMIT_ORG', '10/m,brust=5'], ['RATE_LIMIT_USER', '-1/s'], ['RATE_LIMIT_USER', '2000000/s']]) {
    assert.throws(() => parseConfig({ [name!]: v! }), (e: Error) => e.message.startsWith(`config: ${name} `) && e.message.includes(JSON.stringify(v)), `${name}=${v}`)
  }
  assert.throws(() => parseConfig({ RATE_LIMIT_FAIL: 'maybe' }), /config: RATE_LIMIT_FAIL must be open or closed/)
  assert.throws(() => parseConfig({ REDIS_URL: 'http://:hunter2@10.0.0.3:6379' }), (e: Error) => /config: REDIS_URL must be/.test(e.message) && !e.message.includes('hunter2'))
  const c = parseConfig({ REDIS_URL: 'redis://:hunter2@10.0.0.3:6379', RATE_LIMIT_FAIL: 'closed' })
  assert.equal([c.rateLimit.redisUrl, c.rateLimit.fail], ['redis://:hunter2@10.0.0.3:6379', 'closed'])
  assert.not.match(JSON.stringify(describeConfig(c)), /hunter2/, '/health never shows the URL')
})

cfg('the Functions Framework entry refuses to load with a bad setting', async () => {
  const { spawnSync } = await import('node:child_process')
  const { fileURLToPath } = await import('node:url')
  const entry = fileURLToPath(new URL('../functions/index.js', import.meta.url))
  const r = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(entry)})`], { env: { ...process.env, RATE_LIMIT_USER: 'lots' }, encoding: 'utf8', timeout: 20_000 })
  assert.is.not(r.status, 0)
  assert.match(r.stderr, /config: RATE_LIMIT_USER must be <count>\/<s\|m\|h>/)
})
cfg.run()

// ---- through the gateway ------------------------------------------------------------------------

const test = suite('rate limits: memory adapter')
test.before(async () => {
  up = await startModernServer()
})
test.after(async () => {
  await gw?.close()
  gw = undefined
  await up.stop()
})
test.before.each(() => up.reset())

test('2,000 calls in a burst from one user admit exactly the limit; the rest get 429 rate_limited with Retry-After and RateLimit fields', async () => {
  const g = await boot({ RATE_LIMIT_USER: '50/h' })
  const alice = await g.token('alice')
  const id = await register(g, alice)
  const blockedBefore = rateLimitCounters.blocked
  const t0 = performance.now()
  const rs = await burst(2000, 200, () => exec(g, alice, id))
  const elapsed = performance.now() - t0
  // 50/h refills one token every 72 s: a burst shorter than that can get no more than 50.
  assert.ok(elapsed < 72_000, `the burst took ${Math.round(elapsed)} ms`)
  const ok = rs.filter((r) => r.status === 200)
  const limited = rs.filter((r) => r.status === 429)
  assert.is(ok.length, 50)
  assert.is(limited.length, 1950, `other statuses: ${[...new Set(rs.map((r) => r.status))]}`)
  assert.is(calls(), 50, 'refused calls never reached the upstream')
  assert.is(rateLimitCounters.blocked - blockedBefore, 1950)
  for (const r of limited) {
    assert.is(r.json.code, 'rate_limited')
    assert.match(r.headers.get('content-type') ?? '', 'application/problem+json')
    const retry = Number(r.headers.get('retry-after'))
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 72, `Retry-After ${retry}`)
    assert.is(r.json.retry_after, retry)
    assert.equal(r.json.violated_policies, ['user'])
    assert.is(r.headers.get('ratelimit-policy'), '"user";q=50;w=3600')
    assert.is(r.headers.get('ratelimit'), `"user";r=0;t=${retry}`)
  }
  const rem = ok.map((r) => Number(/r=(\d+)/.exec(r.headers.get('ratelimit') ?? '')?.[1])).sort((a, b) => a - b)
  assert.equal(rem, Array.from({ length: 50 }, (_, i) => i), 'each admitted call saw one token fewer: 49 … 0')

  // Another user is unaffected, at once.
  const bob = await g.token('bob')
  const bobs = await register(g, bob)
  const b = await exec(g, bob, bobs)
  assert.is(b.status, 200, b.text)
  assert.is(b.headers.get('ratelimit'), '"user";r=49;t=72')

  // Every block is an audit record.
  await auditFlushed()
  const store = await g.deps.store()
  let denied = 0
  for (let cursor: string | undefined, page; (page = await store.list<any>(AUDIT, { limit: 1000, cursor })); cursor = page.next ?? undefined) {
    for (const r of page.items) {
      if (r.data.code !== 'rate_limited') continue
      denied++
      assert.equal([r.data.action, r.data.outcome, r.data.actor, r.data.mcp_id, r.data.tool, r.data.rate_limit], ['tool.execute', 'denied', 'alice', id, 'echo', { policy: 'user' }])
    }
    if (!page.next) break
  }
  assert.is(denied, 1950)
})

test('config.rate_limit lowers the MCP limit; another MCP of the same user keeps the gateway\'s', async () => {
  const g = await boot({ RATE_LIMIT_USER_MCP: '10/h' })
  const alice = await g.token('alice')
  const low = await register(g, alice, { config: { rate_limit: '3/h' } })
  const other = await register(g, alice)
  assert.is((await g.req('GET', `/mcps/${low}`, { token: alice })).json.config.rate_limit, '3/h')
  const rs = await burst(20, 20, () => exec(g, alice, low))
  assert.is(rs.filter((r) => r.status === 200).length, 3)
  const r = rs.find((x) => x.status === 429)!
  assert.equal(r.json.violated_policies, ['user-mcp'])
  assert.is(r.headers.get('ratelimit-policy'), '"user-mcp";q=3;w=3600')
  const o = await burst(20, 20, () => exec(g, alice, other))
  assert.is(o.filter((x) => x.status === 200).length, 10, 'the other MCP: RATE_LIMIT_USER_MCP')
  // The same MCP, another user: a bucket of their own.
  const bob = await g.token('bob')
  const bobs = await register(g, bob, { config: { rate_limit: '3/h' } })
  assert.is((await exec(g, bob, bobs)).status, 200)
})

test('config.rate_limit may only lower: a looser rate or burst, or bad syntax, is 400 naming the field; null removes it', async () => {
  const g = await boot({ RATE_LIMIT_USER_MCP: '10/h' })
  const alice = await g.token('alice')
  for (const v of ['20/h', '1/s', '5/h,burst=20', '10/x', 'lots', '0/h']) {
    const r = await g.req('POST', '/mcps', { token: alice, body: { name: 'x', type: 'http', endpoint: up.url, config: { rate_limit: v } } })
    assert.is(r.status, 400, `${v}: ${r.text}`)
    assert.is(r.json.errors[0].path, '/config/rate_limit', v)
  }
  const id = await register(g, alice, { config: { rate_limit: '10/h,burst=2' } })
  const p = await g.req('PATCH', `/mcps/${id}`, { token: alice, body: { config: { rate_limit: '11/h' } } })
  assert.is(p.status, 400)
  const cleared = await g.req('PATCH', `/mcps/${id}`, { token: alice, body: { config: { rate_limit: null } } })
  assert.is(cleared.status, 200, cleared.text)
  assert.is(cleared.json.config.rate_limit, undefined)
  // Without an operator limit, any policy is a lowering.
  const g2 = await boot({})
  const a2 = await g2.token('alice')
  const free = await register(g2, a2, { config: { rate_limit: '2/m' } })
  const rs = await burst(5, 5, () => exec(g2, a2, free))
  assert.is(rs.filter((r) => r.status === 200).length, 2)
})

test('the org limit is shared by the org\'s members; other orgs and users without one are unaffected', async () => {
  const g = await boot({ RATE_LIMIT_ORG: '4/h' })
  const dave = await g.token('dave', { org: 'acme', admin: true })
  const carol = await g.token('carol', { org: 'acme' })
  const id = await register(g, dave, { scope: 'org' })
  const rs = await burst(10, 10, () => exec(g, dave, id))
  const rc = await burst(10, 10, () => exec(g, carol, id))
  assert.is([...rs, ...rc].filter((r) => r.status === 200).length, 4)
  const r = [...rs, ...rc].find((x) => x.status === 429)!
  assert.equal(r.json.violated_policies, ['org'])
  const erin = await g.token('erin', { org: 'globex', admin: true })
  assert.is((await exec(g, erin, await register(g, erin, { scope: 'org' }))).status, 200)
  const alice = await g.token('alice')
  const a = await exec(g, alice, await register(g, alice))
  assert.is(a.status, 200)
  assert.is(a.headers.get('ratelimit'), null, 'no limit applies to alice: no fields')
})

test('burst and refill: 60/m with burst 5 admits 5 at once, then one per second', async () => {
  let now = Date.now()
  const g = await boot({ RATE_LIMIT_USER: '60/m,burst=5' }, { clock: { now: () => now } })
  const alice = await g.token('alice')
  const id = await register(g, alice)
  const rs = await burst(12, 12, () => exec(g, alice, id))
  assert.is(rs.filter((r) => r.status === 200).length, 5)
  const r = rs.find((x) => x.status === 429)!
  assert.is(r.headers.get('retry-after'), '1')
  assert.is(r.headers.get('ratelimit-policy'), '"user";q=60;w=60;mcpgw-burst=5')
  now += 1000
  assert.is((await exec(g, alice, id)).status, 200, 'one token a second later')
  assert.is((await exec(g, alice, id)).status, 429, 'and only one')
  now += 60_000
  const again = await burst(8, 8, () => exec(g, alice, id))
  assert.is(again.filter((x) => x.status === 200).length, 5, 'a full bucket again, never more than the burst')
})

test('only tool calls count: listings, reads, refused bodies and other users\' configs take no token', async () => {
  const g = await boot({ RATE_LIMIT_USER: '1/h' })
  const alice = await g.token('alice')
  const bob = await g.token('bob')
  const id = await register(g, alice)
  for (let i = 0; i < 5; i++) assert.is((await g.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 200)
  assert.is((await g.req('GET', `/mcps/${id}/resources`, { token: alice })).status, 200)
  const bad = await g.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: 5 } })
  assert.is(bad.status, 400)
  assert.is((await exec(g, bob, id)).status, 404, "bob: alice's MCP does not exist for him")
  assert.is((await exec(g, alice, 'nope')).status, 404)
  assert.is((await exec(g, alice, id)).status, 200, 'the one token was still there')
  assert.is((await exec(g, alice, id)).status, 429)
})

test('a streamed execute carries the fields; a refused one is an ordinary 429 before any stream', async () => {
  const g = await boot({ RATE_LIMIT_USER: '1/h' })
  const alice = await g.token('alice')
  const id = await register(g, alice)
  const headers = { accept: 'text/event-stream' }
  const s = await g.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: ECHO, headers })
  assert.is(s.status, 200)
  assert.match(s.headers.get('content-type') ?? '', 'text/event-stream')
  assert.is(s.headers.get('ratelimit'), '"user";r=0;t=3600')
  const r = await g.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: ECHO, headers })
  assert.is(r.status, 429)
  assert.match(r.headers.get('content-type') ?? '', 'application/problem+json')
  assert.is(r.headers.get('retry-after'), '3600')
})

test('browsers may read the fields: CORS exposes RateLimit and RateLimit-Policy', async () => {
  const g = await boot({ RATE_LIMIT_USER: '5/h', APP_ORIGINS: 'https://app.example' })
  const alice = await g.token('alice')
  const r = await exec(g, alice, await register(g, alice)).then(() => g.req('POST', '/mcps/x/tools/echo/execute', { token: alice, body: ECHO, headers: { origin: 'https://app.example' } }))
  assert.match(r.headers.get('access-control-expose-headers') ?? '', /RateLimit, RateLimit-Policy/)
})

test.run()
