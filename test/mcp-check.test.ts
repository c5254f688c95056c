/**
 * `POST /mcps/{id}/check`: each user connects to their MCP server with their
 * own credentials and sees what answered (server, protocol, capabilities) or
 * why nothing did; the config view keeps the last result as `health`. A tools
 * listing served from cache while the server is down does not hide it: the
 * view's `health` and a `Cache-Control: no-cache` listing both show it.
 * Against server-everything over streamable HTTP and stdio, and the SDK's
 * 2026-07-28 server.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { rm } from 'node:fs/promises'
import { startGateway, type Gateway } from './support/gateway.js'
import { isProblem } from './support/assert.js'
import { freePort, waitForPort } from './support/net.js'
import { writeTestCatalog, type TestCatalog } from './support/pool.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { stopPool } from '../shared/stdio-pool/instance.js'
import { flushed } from '../shared/background.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { APP, connectOAuth, registerOAuth } from './oauth/gateway-flow.js'

const require = createRequire(import.meta.url)
const EVERYTHING = require.resolve('@modelcontextprotocol/server-everything/dist/index.js')

/** server-everything over streamable HTTP on a port of our choosing, so it can come back on the same one. */
async function everythingOn(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' })
  await waitForPort(port)
  return child
}
async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const gone = new Promise((r) => child.once('exit', r))
  child.kill('SIGKILL')
  await gone
}

const test = suite('health check')
let gw: Gateway
let cat: TestCatalog
let modern: ModernServerHandle
let ev: ChildProcess | undefined
let port: number
const t: Record<string, string> = {}

test.before(async () => {
  cat = await writeTestCatalog()
  port = await freePort()
  ;[gw, modern, ev] = await Promise.all([startGateway({ env: { STDIO_CATALOG: cat.file } }), startModernServer({ requireBearer: 'right-token-1234' }), everythingOn(port)])
  for (const [who, claims] of [['alice', {}], ['bob', {}], ['carol', { org: 'acme' }], ['dave', { org: 'acme', admin: true }]] as const) t[who] = await gw.token(who, claims)
})

test.after(async () => {
  await gw?.close()
  await Promise.allSettled([stop(ev), modern?.stop(), stopPool(2000)])
  await rm(cat.dir, { recursive: true, force: true })
})

async function add(body: Record<string, unknown>, who = 'alice'): Promise<string> {
  const r = await gw.req('POST', '/mcps', { token: t[who], body: { name: 'm', auth_type: 'none', ...body } })
  assert.is(r.status, 201, r.text)
  assert.is(r.json.health, null, 'a new config has no health yet')
  return r.json.id
}
const check = (id: string, who = 'alice') => gw.req('POST', `/mcps/${id}/check`, { token: t[who] })
const view = async (id: string, who = 'alice') => {
  const r = await gw.req('GET', `/mcps/${id}`, { token: t[who] })
  assert.is(r.status, 200, r.text)
  return r.json
}

test('server-everything over streamable HTTP: ok, with what it says about itself; the view keeps it as health', async () => {
  const id = await add({ type: 'http', endpoint: `http://127.0.0.1:${port}/mcp` })
  const r = await check(id)
  assert.is(r.status, 200, r.text)
  assert.is(r.json.ok, true, r.text)
  assert.is(r.json.error, null)
  assert.type(r.json.latency_ms, 'number')
  assert.match(r.json.protocol_version, /^\d{4}-\d{2}-\d{2}$/)
  assert.match(r.json.server.name, /everything/)
  assert.type(r.json.server.version, 'string')
  assert.ok('title' in r.json.server, r.text)
  assert.ok(r.json.capabilities.tools, r.text)
  assert.ok('instructions' in r.json, r.text)
  const v = await view(id)
  assert.equal(v.health, { ok: true, checked_at: r.json.checked_at, source: 'check', error: null })
})

test('server-everything over stdio (a catalog entry): ok', async () => {
  const id = await add({ type: 'stdio', config: { catalog_id: 'everything' } })
  const r = await check(id)
  assert.is(r.status, 200, r.text)
  assert.is(r.json.ok, true, r.text)
  assert.match(r.json.server.name, /everything/)
  assert.ok(r.json.capabilities.tools, r.text)
})

test('the 2026-07-28 server: its protocol version; a wrong token is ok: false (authorization_required, HTTP 401), not a 502', async () => {
  const good = await add({ type: 'http', endpoint: modern.url, auth_type: 'bearer', config: { token: 'right-token-1234' } })
  const r = await check(good)
  assert.is(r.status, 200, r.text)
  assert.is(r.json.ok, true, r.text)
  assert.is(r.json.protocol_version, '2026-07-28')
  const bad = await add({ type: 'http', endpoint: modern.url, auth_type: 'bearer', config: { token: 'wrong-token-5678' } })
  const w = await check(bad)
  assert.is(w.status, 200, w.text)
  assert.is(w.json.ok, false)
  assert.is(w.json.error.code, 'authorization_required', w.text)
  assert.equal(w.json.error.upstream, { reason: 'http_status', http_status: 401 }, w.text)
  assert.equal((await view(bad)).health.error, { code: 'authorization_required', reason: 'http_status' })
})

test('a server that went down: the cached listing still answers, but the check, the view and a no-cache listing say so; recovery shows too', async () => {
  const id = await add({ type: 'http', endpoint: `http://127.0.0.1:${port}/mcp` })
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: t.alice })).status, 200)
  assert.is((await check(id)).json.ok, true)
  await stop(ev)
  const cached = await gw.req('GET', `/mcps/${id}/tools`, { token: t.alice })
  assert.is(cached.status, 200, 'a listing within the cache time is served from the cache')
  const r = await check(id)
  assert.is(r.status, 200, r.text)
  assert.is(r.json.ok, false)
  assert.equal([r.json.error.code, r.json.error.reason], ['upstream_error', 'connection_refused'], r.text)
  assert.is(r.json.server, null)
  const line = gw.logs.map((l) => JSON.parse(l)).filter((l) => l.httpRequest?.requestUrl === `/api/v1/mcps/${id}/check`).at(-1)
  assert.equal([line?.upstream?.reason, line?.health?.ok], ['connection_refused', false], 'the log line says why')
  assert.equal((await view(id)).health, { ok: false, checked_at: r.json.checked_at, source: 'check', error: { code: 'upstream_error', reason: 'connection_refused' } })
  const fresh = await gw.req('GET', `/mcps/${id}/tools`, { token: t.alice, headers: { 'cache-control': 'no-cache' } })
  isProblem(fresh, 502, 'upstream_error')
  assert.is(fresh.json.upstream.reason, 'connection_refused')

  // Back on the same port: the first call that reaches it clears the failure, no check needed.
  ev = await everythingOn(port)
  const ok = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: t.alice, body: { arguments: { message: 'back' } } })
  assert.is(ok.status, 200, ok.text)
  await flushed()
  const up = (await view(id)).health
  assert.equal([up.ok, up.source, up.error], [true, 'call', null])
  // Down again: a call that cannot reach it records that too.
  await stop(ev)
  isProblem(await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: t.alice, body: { arguments: { message: 'gone' } } }), 502, 'upstream_error')
  await flushed()
  const down = (await view(id)).health
  assert.equal([down.ok, down.source, down.error], [false, 'call', { code: 'upstream_error', reason: 'connection_refused' }])
  ev = await everythingOn(port)
})

test('another user\'s config is 404; an org config\'s health is each member\'s own', async () => {
  const mine = await add({ type: 'http', endpoint: `http://127.0.0.1:${port}/mcp` })
  isProblem(await check(mine, 'bob'), 404, 'not_found')
  const org = await add({ type: 'http', endpoint: `http://127.0.0.1:${port}/mcp`, scope: 'org' }, 'dave')
  assert.is((await check(org, 'dave')).json.ok, true)
  assert.is((await view(org, 'dave')).health.ok, true)
  assert.is((await view(org, 'carol')).health, null, 'carol never checked it')
  assert.is((await check(org, 'carol')).json.ok, true)
  assert.is((await view(org, 'carol')).health.ok, true)
})

test('an OAuth config the caller has not connected: 409 authorization_required with start_url, nothing recorded', async () => {
  const id = await add({
    type: 'http', endpoint: `http://127.0.0.1:${port}/mcp`, auth_type: 'oauth',
    config: { oauth: { client_id: 'c1', client_secret: 'client-secret-1', auth_url: 'http://127.0.0.1:9/authorize', token_url: 'http://127.0.0.1:9/token' } },
  })
  const r = await check(id)
  isProblem(r, 409, 'authorization_required')
  assert.is(r.json.start_url, `/api/v1/mcps/${id}/oauth/start`)
  assert.is((await view(id)).health, null)
})

test.run()

const oauth = suite('health check with the user\'s own OAuth connection')
let ogw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let carolToken: string

oauth.before(async () => {
  ogw = await startGateway({ env: { APP_ORIGINS: APP } })
  as = await startProvider({ accessTokenTtlSec: 3600 })
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  carolToken = await ogw.token('carol')
})

oauth.after(async () => {
  await ogw?.close()
  await Promise.allSettled([mcp?.stop(), as?.stop()])
})

oauth('connected: ok, with the caller\'s own token; a server that refuses it is ok: false with start_url', async () => {
  const id = await registerOAuth(ogw, carolToken, mcp.url)
  await connectOAuth(ogw, id, carolToken)
  mcp.reset()
  const r = await ogw.req('POST', `/mcps/${id}/check`, { token: carolToken })
  assert.is(r.status, 200, r.text)
  assert.is(r.json.ok, true, r.text)
  assert.ok(mcp.requests.length > 0 && mcp.requests.every((q) => /^Bearer .+/.test(q.headers.authorization ?? '')), 'every request carried her token')
  // Refused twice: once with the token, once after the refresh it triggers.
  mcp.rejectNextAuth(2)
  const w = await ogw.req('POST', `/mcps/${id}/check`, { token: carolToken })
  assert.is(w.status, 200, w.text)
  assert.is(w.json.ok, false, w.text)
  assert.is(w.json.error.code, 'authorization_required', w.text)
  assert.is(w.json.error.start_url, `/api/v1/mcps/${id}/oauth/start`, w.text)
  const v = await ogw.req('GET', `/mcps/${id}`, { token: carolToken })
  assert.equal(v.json.health.error, { code: 'authorization_required', reason: 'http_status' }, v.text)
})

oauth.run()
