/**
 * What the gateway remembers about an upstream, and what that saves: the tools
 * list served from cache (honouring the server's ttlMs and no-cache requests),
 * and a cold instance that skips the protocol probe and the tools/list it
 * would need before validating arguments.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { spawnGateway, type GatewayProc } from '../bench/gateway-proc.js'
import { MCP_STATE } from '../shared/mcp/state.js'
import { flushed } from '../shared/background.js'
import { _sweep } from '../shared/mcp/sessions.js'
import { until } from './support/assert.js'

const test = suite('upstream state')
let gw: Gateway
let legacy: LegacyServerHandle
let modern: ModernServerHandle
let hinted: ModernServerHandle
let alice: string

const rpc = (s: { requests: { jsonrpcMethods: string[] }[] }) => s.requests.flatMap((r) => r.jsonrpcMethods)

test.before(async () => {
  ;[gw, legacy, modern, hinted] = await Promise.all([startGateway(), startLegacyServer(), startModernServer(), startModernServer({ toolsTtlMs: 60_000 })])
  alice = await gw.token('alice')
})
test.after(async () => {
  await gw.close()
  await Promise.all([legacy.stop(), modern.stop(), hinted.stop()])
})

const add = async (endpoint: string, token = alice) => (await gw.req('POST', '/mcps', { token, body: { name: 'x', type: 'http', endpoint } })).json.id as string

test('a second tools listing is served from cache: nothing reaches the upstream', async () => {
  const id = await add(legacy.url)
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 200)
  legacy.reset()
  const r = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(r.status, 200)
  assert.ok(r.json.tools.some((t: { name: string }) => t.name === 'echo'))
  assert.equal(rpc(legacy), [])
})

test('Cache-Control: no-cache asks the upstream again', async () => {
  const id = await add(legacy.url)
  await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  legacy.reset()
  const r = await gw.req('GET', `/mcps/${id}/tools`, { token: alice, headers: { 'cache-control': 'no-cache' } })
  assert.is(r.status, 200)
  assert.equal(rpc(legacy), ['tools/list'])
})

test('a 2026 server that sends ttlMs 0 is asked every time; one that sends a ttl is cached', async () => {
  const noCache = await add(modern.url)
  await gw.req('GET', `/mcps/${noCache}/tools`, { token: alice })
  modern.reset()
  await gw.req('GET', `/mcps/${noCache}/tools`, { token: alice })
  assert.equal(rpc(modern), ['tools/list'])

  const cached = await add(hinted.url)
  await gw.req('GET', `/mcps/${cached}/tools`, { token: alice })
  hinted.reset()
  await gw.req('GET', `/mcps/${cached}/tools`, { token: alice })
  assert.equal(rpc(hinted), [])
})

test('the cache is per user: bob listing alice\'s org tools does not get alice\'s cached entry', async () => {
  const admin = await gw.token('dave', { org: 'acme', admin: true })
  const carol = await gw.token('carol', { org: 'acme' })
  const id = (await gw.req('POST', '/mcps', { token: admin, body: { name: 'org', type: 'http', endpoint: legacy.url, scope: 'org' } })).json.id
  await gw.req('GET', `/mcps/${id}/tools`, { token: admin })
  legacy.reset()
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: carol })).status, 200)
  assert.ok(rpc(legacy).includes('tools/list'), 'carol fetched her own list')
})

test('learned state is stored under an id that reveals no user or config, without secrets', async () => {
  const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 's', type: 'http', endpoint: legacy.url, auth_type: 'bearer', config: { token: 'tok-very-secret-1' } } })
  await gw.req('POST', `/mcps/${c.json.id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'x' } } })
  await flushed()
  const page = await (await gw.deps.store()).list<{ version: number; era?: { kind: string }; tools?: unknown[] }>(MCP_STATE, { limit: 100 })
  assert.ok(page.items.length > 0)
  for (const r of page.items) {
    assert.not.match(r.id, 'alice')
    assert.not.match(r.id, c.json.id)
    assert.not.match(JSON.stringify(r.data), 'tok-very-secret-1')
  }
  assert.ok(page.items.some((r) => r.data.era?.kind === 'legacy' && Array.isArray(r.data.tools)))
})

test('an idle warm session is closed after five minutes; the next call starts a new one', async () => {
  const id = await add(legacy.url)
  const call = () => gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'x' } } })
  assert.is((await call()).status, 200)
  legacy.reset()
  _sweep(Date.now() + 60_000)
  assert.is((await call()).status, 200)
  assert.equal(rpc(legacy), ['tools/call'], 'still warm after a minute')
  legacy.reset()
  _sweep(Date.now() + 6 * 60_000)
  await until(() => legacy.requests.some((r) => r.method === 'DELETE'), 'the upstream session to be released (DELETE)')
  legacy.reset()
  assert.is((await call()).status, 200)
  assert.equal(rpc(legacy), ['initialize', 'notifications/initialized', 'tools/call'])
})

test('a new instance reuses what the store learned: no probe, no tools/list, one session handshake', async () => {
  const up = await startLegacyServer()
  let proc: GatewayProc | undefined
  try {
    proc = await spawnGateway()
    const token = await proc.token('erin')
    const h = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const c = await fetch(`${proc.base}/mcps`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'c', type: 'http', endpoint: up.url }) })
    const id = (await c.json()).id
    const call = async () => {
      const r = await fetch(`${proc!.base}/mcps/${id}/tools/echo/execute`, { method: 'POST', headers: h, body: '{"arguments":{"message":"hi"}}', signal: AbortSignal.timeout(10_000) })
      assert.is(r.status, 200, await r.text())
    }
    await call()
    assert.ok(rpc(up).includes('server/discover'), 'the first call ever probes')
    await proc.restart()
    up.reset()
    await call()
    assert.equal(rpc(up), ['initialize', 'notifications/initialized', 'tools/call'])
  } finally {
    await proc?.stop()
    await up.stop()
  }
})

test.run()
