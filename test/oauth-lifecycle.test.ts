/**
 * The OAuth client lifecycle against a real authorization server
 * (oidc-provider) that restarts: a dynamic registration the server forgot is
 * never handed out again, whoever connects next; registrations that never
 * worked, or were made for other metadata, are made anew; and the view and
 * every 409 say where a connection stands and how to get out.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startProvider, type ProviderHandle, type ProviderOptions } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { followAuthorization } from './oauth/user-agent.js'
import { APP, connRec, connectOAuth, finishOAuth, outcome, registerOAuth } from './oauth/gateway-flow.js'
import { CLIENTS, LEASES, STATE_TTL_MS, connId, type ClientRec, type LeaseRec } from '../shared/oauth/model.js'

/** The documented limit: an unconfirmed registration is trusted as long as a callback can still come (the state's 10 minutes). */
const UNCONFIRMED_MAX_MS = STATE_TTL_MS

const test = suite('oauth client lifecycle')
let gw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let alice: string
let bob: string
const stop: (() => Promise<void>)[] = []
/** The gateway's clock: real time plus `skew`. */
const clock = { skew: 0, now: () => Date.now() + clock.skew }

test.before(async () => {
  as = await startProvider()
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway({ env: { APP_ORIGINS: APP }, over: { clock } })
  alice = await gw.token('alice')
  bob = await gw.token('bob')
})
test.after(async () => {
  await gw.close()
  for (const s of stop) await s()
  await mcp.stop()
  await as.stop()
})

/** The same issuer and keys, nothing else: every client, grant and token is gone (a restart with an in-memory store). */
async function restart(p: ProviderHandle, o: ProviderOptions = {}): Promise<ProviderHandle> {
  await p.stop()
  return startProvider({ port: p.port, signingKey: p.signingKey, ...o })
}

const registrations = async (issuer: string) =>
  (await (await gw.deps.store()).list<ClientRec>(CLIENTS, { limit: 1000 })).items.filter((r) => r.data.issuer === issuer)
const start = (id: string, token = alice) => gw.req('POST', `/mcps/${id}/oauth/start`, { token, body: {} })
const whoami = (id: string, token = alice) => gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token, body: {} })
const clientIdOf = (authorizationUrl: string) => new URL(authorizationUrl).searchParams.get('client_id')

test('the authorization server restarts with an empty client store: the next call is 409 invalid_client with start_url, and one click reconnects with a new registration', async () => {
  const id = await registerOAuth(gw, alice, mcp.url)
  const first = await connectOAuth(gw, id, alice)
  assert.is((await whoami(id)).status, 200)
  as = await restart(as)
  // The MCP server refuses the token (as it would once it expires): the gateway refreshes, and the server no longer knows the client.
  mcp.rejectNextAuth(1)
  const r = await whoami(id)
  assert.is(r.status, 409, r.text)
  assert.is(r.json.reason, 'invalid_client')
  assert.is(r.json.start_url, `/api/v1/mcps/${id}/oauth/start`)
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.connection.state, 'needs_auth')
  assert.is(v.json.connection.last_error, 'invalid_client')
  assert.is((await registrations(as.issuer)).length, 0, 'the forgotten registration is dropped')

  // One click: start → sign in → callback → complete.
  const again = await connectOAuth(gw, id, alice)
  assert.is(as.registrations, 1, 'registered anew')
  assert.is.not(clientIdOf(again.start.authorization_url), clientIdOf(first.start.authorization_url))
  assert.is((await whoami(id)).status, 200)
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.connection.state, 'connected')
})

test('after a restart, a user who never connected (or a config re-created) connects with one click: the start notices the server forgot the registration', async () => {
  const id = await registerOAuth(gw, alice, mcp.url)
  const first = await connectOAuth(gw, id, alice)
  as = await restart(as)
  // Bob has no connection, so no refresh will ever tell the gateway; the start asks the server itself.
  const bobs = await registerOAuth(gw, bob, mcp.url)
  const s = await start(bobs, bob)
  assert.is(s.status, 200, s.text)
  assert.is(as.registrations, 1, 'registered anew before handing out the authorization URL')
  assert.is.not(clientIdOf(s.json.authorization_url), clientIdOf(first.start.authorization_url))
  const cb = await followAuthorization(s.json.authorization_url)
  await finishOAuth(gw, bobs, bob, cb)
  assert.is((await whoami(bobs, bob)).status, 200)
  // Alice deletes her config and creates it again: the current registration serves her at once.
  assert.is((await gw.req('DELETE', `/mcps/${id}`, { token: alice })).status, 204)
  const recreated = await registerOAuth(gw, alice, mcp.url)
  await connectOAuth(gw, recreated, alice)
  assert.is(as.registrations, 1)
  assert.is((await whoami(recreated)).status, 200)
})

test('a server that cannot tell a forgotten client (it answers every revocation 200): an unconfirmed registration is used for 10 minutes, then registered anew', async () => {
  let lax = await startProvider({ quirks: ['lenient-revocation'] })
  const lmcp = await startProtectedMcp({ issuer: lax.issuer, jwksUrl: lax.jwksUrl })
  stop.push(lmcp.stop, () => lax.stop())
  const id = await registerOAuth(gw, alice, lmcp.url)
  const s1 = await start(id)
  assert.is(s1.status, 200, s1.text)
  assert.is(lax.registrations, 1)
  // The user never comes back; the server restarts and forgets the fresh registration.
  lax = await restart(lax, { quirks: ['lenient-revocation'] })
  const s2 = await start(id)
  assert.is(clientIdOf(s2.json.authorization_url), clientIdOf(s1.json.authorization_url), 'within 10 minutes the callback may still come: same client')
  const refused = await followAuthorization(s2.json.authorization_url).then(() => null, (e: Error) => e.message)
  assert.ok(refused, 'the provider shows an error instead of calling back')

  clock.skew += UNCONFIRMED_MAX_MS + 60_000
  try {
    const s3 = await start(id)
    assert.is(s3.status, 200, s3.text)
    assert.is.not(clientIdOf(s3.json.authorization_url), clientIdOf(s1.json.authorization_url), 'registered anew')
    assert.is(lax.registrations, 1)
    await finishOAuth(gw, id, alice, await followAuthorization(s3.json.authorization_url))
    assert.is((await whoami(id)).status, 200)
    const [rec] = await registrations(lax.issuer)
    assert.ok(rec?.data.confirmed_at, 'confirmed by its first exchange')
  } finally {
    clock.skew -= UNCONFIRMED_MAX_MS + 60_000
  }
})

test('a registration is redone when the server metadata it was made for changes (here its registration endpoint), even though the server still knows it', async () => {
  let moving = await startProvider()
  const mmcp = await startProtectedMcp({ issuer: moving.issuer, jwksUrl: moving.jwksUrl })
  stop.push(mmcp.stop, () => moving.stop())
  const id = await registerOAuth(gw, alice, mmcp.url)
  const first = await connectOAuth(gw, id, alice)
  const before = (await registrations(moving.issuer))[0]!.data
  assert.ok(before.as_fingerprint)
  assert.is(before.registration_endpoint, moving.registrationEndpoint)
  moving = await restart(moving, { keepStateOf: moving, registrationPath: '/register' })
  const bobs = await registerOAuth(gw, bob, mmcp.url)
  const s = await start(bobs, bob)
  assert.is(s.status, 200, s.text)
  assert.is(moving.registrations, 1, 'registered at the new endpoint')
  assert.is.not(clientIdOf(s.json.authorization_url), clientIdOf(first.start.authorization_url))
  const after = (await registrations(moving.issuer))[0]!.data
  assert.is(after.registration_endpoint, `${moving.issuer}/register`)
  await finishOAuth(gw, bobs, bob, await followAuthorization(s.json.authorization_url))
  assert.is((await whoami(bobs, bob)).status, 200)
  // Alice's connection was made with the replaced client: its next refresh asks her to connect again.
  mmcp.rejectNextAuth(1)
  const r = await whoami(id)
  assert.is(r.status, 409, r.text)
  assert.is(r.json.reason, 'registration_gone')
  assert.is(r.json.start_url, `/api/v1/mcps/${id}/oauth/start`)
})

test('invalid_client at the code exchange: the page says invalid_client, the registration is dropped, and the next start registers anew', async () => {
  const id = await registerOAuth(gw, alice, mcp.url)
  await connectOAuth(gw, id, alice)
  const s = await start(id)
  const cb = await followAuthorization(s.json.authorization_url)
  as = await restart(as)
  const page = await gw.req('GET', cb.href)
  const o = outcome(page.text)
  assert.is(o.status, 'error')
  assert.is(o.error, 'invalid_client')
  assert.is((await registrations(as.issuer)).length, 0)
  const again = await connectOAuth(gw, id, alice)
  assert.is(as.registrations, 1)
  assert.is.not(clientIdOf(again.start.authorization_url), clientIdOf(s.json.authorization_url))
})

test('connection states on the view: not_connected, connected, refreshing (a refresh holds the lease), error (provider outage, tokens kept), connected again with last_refreshed_at', async () => {
  const id = await registerOAuth(gw, alice, mcp.url)
  const view = async () => (await gw.req('GET', `/mcps/${id}`, { token: alice })).json
  let v = await view()
  assert.equal(v.connection, { state: 'not_connected', connected: false, scopes: [], expires_at: null, last_refreshed_at: null, last_error: null })
  assert.is(v.status, 'needs_auth')
  await connectOAuth(gw, id, alice)
  v = await view()
  assert.is(v.connection.state, 'connected')
  assert.ok(Date.parse(v.connection.expires_at) > Date.now())
  assert.is(v.connection.last_refreshed_at, null)

  // Another instance refreshing right now.
  const store = await gw.deps.store()
  await store.create<LeaseRec>(LEASES, connId('alice', id), { owner: 'another-instance', expires_at: clock.now() + 60_000 })
  v = await view()
  assert.is(v.connection.state, 'refreshing')
  assert.is(v.connection.connected, true)
  assert.is(v.status, 'ready')
  await store.delete(LEASES, connId('alice', id))

  // The provider is down when the token needs refreshing (the gateway's clock says it expired).
  as.setTokenEndpointFault(503)
  clock.skew += 2 * 3600_000
  try {
    const r = await whoami(id)
    assert.is(r.status, 503, r.text)
    v = await view()
    assert.is(v.connection.state, 'error')
    assert.is(v.connection.last_error, 'server_error')
    assert.is(v.connection.connected, true, 'the tokens are kept')
    as.setTokenEndpointFault(null)
    assert.is((await whoami(id)).status, 200)
    v = await view()
    assert.is(v.connection.state, 'connected')
    assert.is(v.connection.last_error, null)
    assert.ok(v.connection.last_refreshed_at)
  } finally {
    as.setTokenEndpointFault(null)
    clock.skew -= 2 * 3600_000
  }
})

test('expired: no refresh token and the access token ran out; the view says so before any call, and the call is 409 expired with start_url', async () => {
  // A server that issues refresh tokens only for offline_access, which this MCP server does not advertise.
  const strict = await startProvider({ refreshTokens: 'offline_access' })
  const smcp = await startProtectedMcp({ issuer: strict.issuer, jwksUrl: strict.jwksUrl })
  stop.push(smcp.stop, strict.stop)
  const id = await registerOAuth(gw, alice, smcp.url)
  await connectOAuth(gw, id, alice)
  assert.is((await connRec(gw, 'alice', id))!.data.has_refresh_token, false)
  clock.skew += 2 * 3600_000
  try {
    let v = (await gw.req('GET', `/mcps/${id}`, { token: alice })).json
    assert.is(v.connection.state, 'expired')
    assert.is(v.connection.last_error, 'no_refresh_token')
    assert.is(v.status, 'needs_auth')
    const r = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
    assert.is(r.status, 409, r.text)
    assert.is(r.json.reason, 'expired')
    assert.is(r.json.start_url, `/api/v1/mcps/${id}/oauth/start`)
    v = (await gw.req('GET', `/mcps/${id}`, { token: alice })).json
    assert.is(v.connection.state, 'expired')
  } finally {
    clock.skew -= 2 * 3600_000
  }
})

test('every 409 authorization_required names its reason and carries start_url: never connected, pre-registered client changed, endpoint changed', async () => {
  const id = await registerOAuth(gw, alice, mcp.url)
  for (const [method, path] of [['GET', 'tools'], ['GET', 'resources'], ['GET', 'prompts'], ['POST', 'tools/echo/execute']] as const) {
    const r = await gw.req(method, `/mcps/${id}/${path}`, { token: alice, ...(method === 'POST' ? { body: { arguments: { message: 'x' } } } : {}) })
    assert.is(r.status, 409, `${path}: ${r.text}`)
    assert.is(r.json.reason, 'not_connected', path)
    assert.is(r.json.start_url, `/api/v1/mcps/${id}/oauth/start`, path)
  }

  // A pre-registered client whose client_id the admin changes after Alice connected.
  const reg = await fetch(as.registrationEndpoint, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [`${gw.url}/api/v1/oauth/callback`], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }),
  }).then((r) => r.json() as Promise<{ client_id: string; client_secret: string }>)
  const pre = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { client_id: reg.client_id, client_secret: reg.client_secret } } })
  await connectOAuth(gw, pre, alice)
  const p = await gw.req('PATCH', `/mcps/${pre}`, { token: alice, body: { config: { oauth: { client_id: 'another-client', client_secret: 'another-secret' } } } })
  assert.is(p.status, 200, p.text)
  mcp.rejectNextAuth(1)
  const changed = await whoami(pre)
  assert.is(changed.status, 409, changed.text)
  assert.is(changed.json.reason, 'client_changed')
  assert.is(changed.json.start_url, `/api/v1/mcps/${pre}/oauth/start`)
  assert.is((await gw.req('GET', `/mcps/${pre}`, { token: alice })).json.connection.state, 'needs_auth')

  // The endpoint changes: tokens go only to the server they were issued for.
  const other = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  stop.push(other.stop)
  const moved = await registerOAuth(gw, alice, mcp.url)
  await connectOAuth(gw, moved, alice)
  assert.is((await gw.req('PATCH', `/mcps/${moved}`, { token: alice, body: { endpoint: other.url } })).status, 200)
  const m = await whoami(moved)
  assert.is(m.status, 409, m.text)
  assert.is(m.json.reason, 'endpoint_changed')
  assert.is(m.json.start_url, `/api/v1/mcps/${moved}/oauth/start`)
})

test.run()
