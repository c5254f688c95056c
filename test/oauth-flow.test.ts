/**
 * The OAuth connect flow end to end, headless: the gateway against oidc-provider
 * (DCR, PKCE, rotating refresh tokens, resource indicators) and an MCP server
 * that validates the JWTs it receives. The callback keeps the tokens pending;
 * only the user who started the flow turns them into a connection (complete).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { followAuthorization } from './oauth/user-agent.js'
import { flushed } from '../shared/background.js'
import { CONNS, PENDING, PENDING_TTL_MS, STATES, completionKey, type PendingRec } from '../shared/oauth/model.js'

const test = suite('oauth flow')
let gw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let alice: string
const APP = 'https://app.example.test'
/** The gateway's clock: real time plus `skew` (to let a pending completion expire without waiting). */
const clock = { skew: 0, now: () => Date.now() + clock.skew }

test.before(async () => {
  as = await startProvider({ accessTokenTtlSec: 3600 })
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway({ env: { APP_ORIGINS: APP }, over: { clock } })
  alice = await gw.token('alice')
})
test.after(async () => {
  await gw.close()
  await mcp.stop()
  await as.stop()
})

async function register(token = alice, extra: Record<string, unknown> = {}) {
  const r = await gw.req('POST', '/mcps', { token, body: { name: 'protected', type: 'http', endpoint: mcp.url, auth_type: 'oauth', ...extra } })
  assert.is(r.status, 201, r.text)
  return r.json.id as string
}

/** Start, follow the provider with a cookie jar, and land on the gateway's callback: the tokens are pending. */
async function authorize(id: string, token = alice, body: Record<string, unknown> = { return_to: `${APP}/settings` }) {
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token, body })
  assert.is(s.status, 200, s.text)
  const cb = await followAuthorization(s.json.authorization_url)
  assert.is(cb.origin, new URL(gw.url).origin, 'the provider redirects to the gateway callback')
  const page = await gw.req('GET', cb.href)
  const o = outcome(page.text)
  assert.is(o.status, 'pending_confirmation', JSON.stringify(o))
  return { start: s.json, callback: cb, page, completion: o.completion as string }
}

const complete = (id: string, completion: unknown, token = alice) =>
  gw.req('POST', `/mcps/${id}/oauth/complete`, { token, body: { completion } })

/** authorize, then the initiator completes: connected. */
async function connect(id: string, token = alice, body?: Record<string, unknown>) {
  const a = await authorize(id, token, body)
  const c = await complete(id, a.completion, token)
  assert.is(c.status, 200, c.text)
  assert.is(c.json.connection.state, 'connected')
  return { ...a, complete: c }
}

const outcome = (html: string) => JSON.parse(/<script type="application\/json" id="d">(.*?)<\/script>/s.exec(html)![1]!)

/** The pending record of a completion, and whether its tokens are still in the vault. */
async function pendingOf(completion: string) {
  const rec = await (await gw.deps.store()).get<PendingRec>(PENDING, completionKey(completion))
  return rec?.data ?? null
}
const inVault = async (secretRef: string) => (await (await gw.deps.vault()).get(secretRef)) !== null

/** Audit entries of this action from the gateway's log lines. */
function audits(action: string): Record<string, unknown>[] {
  return gw.logs.flatMap((l) => {
    const e = JSON.parse(l)
    return e.audit?.action === action ? [e.audit] : []
  })
}

test('an OAuth config needs the user to connect: 409 authorization_required with a start_url', async () => {
  const id = await register()
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.status, 'needs_auth')
  assert.is(v.json.connection.connected, false)
  assert.is(v.json.connection.state, 'not_connected')
  const r = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(r.status, 409)
  assert.is(r.json.code, 'authorization_required')
  assert.is(r.json.start_url, `/api/v1/mcps/${id}/oauth/start`)
})

test('start → consent → callback keeps the tokens pending; the initiator completes: 200, connected; tools list and execute with the user\'s token', async () => {
  const id = await register()
  as.reset()
  const { start, callback, page, completion } = await authorize(id)
  const auth = new URL(start.authorization_url)
  assert.is(auth.searchParams.get('code_challenge_method'), 'S256')
  assert.is(auth.searchParams.get('resource'), mcp.url)
  assert.is(auth.searchParams.get('scope'), 'mcp:read', 'scope from WWW-Authenticate')
  assert.ok((auth.searchParams.get('state') ?? '').length >= 43)
  assert.ok(callback.searchParams.get('iss'), 'RFC 9207 iss in the response')
  assert.is(page.status, 200)
  assert.match(page.headers.get('content-security-policy') ?? '', "default-src 'none'")
  assert.is(page.headers.get('x-frame-options'), 'DENY')
  assert.is(page.headers.get('cache-control'), 'no-store')
  assert.is(page.headers.get('referrer-policy'), 'no-referrer')
  assert.match(completion, /^[A-Za-z0-9_-]{43}$/, '256 random bits')
  assert.equal(outcome(page.text), { mcp_id: id, status: 'pending_confirmation', error: null, completion, app_origin: APP, return_to: `${APP}/settings` })
  assert.is(as.grants.authorization_code, 1, 'the code was exchanged at the callback')

  // Pending: in the vault, but not usable and not shown as connected.
  const p = await pendingOf(completion)
  assert.ok(p && await inVault(p.secret_ref))
  assert.is(p!.sub, 'alice')
  const before = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(before.json.status, 'needs_auth')
  assert.is(before.json.connection.state, 'not_connected')
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 409)
  assert.is((await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })).status, 409)

  const c = await complete(id, completion)
  assert.is(c.status, 200, c.text)
  const get = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.equal(c.json, get.json, 'the config view, as GET /mcps/{id} shows it')
  assert.is(c.headers.get('etag'), get.headers.get('etag'))
  assert.is(c.json.status, 'ready')
  assert.is(c.json.connection.state, 'connected')
  assert.is(c.json.connection.connected, true)
  assert.equal(c.json.connection.scopes, ['mcp:read'])
  assert.not.match(c.text + get.text, /eyJ/, 'no token in the view')
  assert.is(await pendingOf(completion), null, 'the pending record is used up')
  assert.ok(await inVault(p!.secret_ref), 'the pending secret became the connection\'s')

  const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
  const who = await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })
  assert.is(who.status, 200, who.text)
  assert.is(who.json.content[0].text, 'user-1', 'alice\'s own provider account')
  // The MCP server saw a JWT for itself, in the Authorization header only.
  const seen = mcp.requests.filter((r) => r.headers.authorization?.startsWith('Bearer '))
  assert.ok(seen.length > 0)
  assert.not.ok(seen.some((r) => r.headers.authorization === `Bearer ${alice}`), 'the caller\'s ID token never goes upstream')
  await flushed()
  assert.ok(audits('oauth.complete').some((a) => a.actor === 'alice' && a.mcp_id === id && a.outcome === 'ok'))
})

test('confused deputy: bob signs in on alice\'s authorization URL with his own provider account; his completion is 404, audited, and the tokens are discarded', async () => {
  const id = await register()
  const bob = await gw.token('bob')
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: { return_to: `${APP}/settings` } })
  assert.is(s.status, 200, s.text)
  // Alice sends the URL to bob; bob signs in at the provider as himself.
  as.setAccount('bob-at-provider')
  let cb: URL
  try {
    cb = await followAuthorization(s.json.authorization_url)
  } finally {
    as.setAccount('user-1')
  }
  const o = outcome((await gw.req('GET', cb.href)).text)
  assert.is(o.status, 'pending_confirmation', 'the callback page does not say connected')
  const p = await pendingOf(o.completion)
  assert.ok(p && await inVault(p.secret_ref))
  // Nothing of bob's account is alice's yet.
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.connection.state, 'not_connected')
  assert.is((await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })).status, 409)

  as.reset()
  const r = await complete(id, o.completion, bob)
  assert.is(r.status, 404, r.text)
  assert.is(r.json.code, 'not_found')
  assert.not.ok(r.text.includes(o.completion))
  assert.is(await pendingOf(o.completion), null)
  assert.not.ok(await inVault(p!.secret_ref), 'the pending tokens are gone from the vault')
  assert.ok(as.revocations >= 1, 'and revoked at the provider')
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.status, 'needs_auth')
  assert.is(v.json.connection.state, 'not_connected')
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 409)

  // Discarded: alice can't pick them up afterwards either.
  const late = await complete(id, o.completion)
  assert.is(late.status, 404, late.text)
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.connection.state, 'not_connected')
  await flushed()
  const denied = audits('oauth.complete').filter((a) => a.outcome === 'denied')
  assert.ok(denied.some((a) => a.actor === 'bob' && a.mcp_id === id && a.code === 'not_initiator'), JSON.stringify(denied))
  assert.not.ok(gw.logs.some((l) => l.includes(o.completion)), 'the completion id is never logged')
})

test('a completion is single use: a replay is 404 and the connection stays', async () => {
  const id = await register()
  const { completion } = await connect(id)
  const again = await complete(id, completion)
  assert.is(again.status, 404, again.text)
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.connection.state, 'connected')
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 200)
})

test('an unconfirmed completion expires after 10 minutes: 404, and its tokens are deleted', async () => {
  const id = await register()
  const { completion } = await authorize(id)
  const p = (await pendingOf(completion))!
  clock.skew = PENDING_TTL_MS + 1000
  try {
    const r = await complete(id, completion)
    assert.is(r.status, 404, r.text)
  } finally {
    clock.skew = 0
  }
  assert.not.ok(await inVault(p.secret_ref))
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.connection.state, 'not_connected')
})

test('unconfirmed tokens nobody completes are swept from the vault by a later start', async () => {
  const id = await register()
  const { completion } = await authorize(id)
  const p = (await pendingOf(completion))!
  clock.skew = PENDING_TTL_MS + 2 * 60_000
  try {
    await flushed()
    assert.ok(await inVault(p.secret_ref), 'kept until the sweep runs')
    const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: {} })
    assert.is(s.status, 200, s.text)
    await flushed()
  } finally {
    clock.skew = 0
  }
  assert.is(await pendingOf(completion), null)
  assert.not.ok(await inVault(p.secret_ref))
})

test('a completion for another config, a malformed one and an unknown one', async () => {
  const id = await register()
  const other = await register()
  const { completion } = await authorize(id)
  const p = (await pendingOf(completion))!
  const wrong = await complete(other, completion)
  assert.is(wrong.status, 404, wrong.text)
  assert.not.ok(await inVault(p.secret_ref), 'spent and discarded')
  assert.is((await complete(id, completion)).status, 404)
  for (const bad of ['short', 'A'.repeat(44), 42, null]) {
    const r = await complete(id, bad)
    assert.is(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`)
    assert.is(r.json.code, 'invalid_request')
  }
  const empty = await gw.req('POST', `/mcps/${id}/oauth/complete`, { token: alice, body: {} })
  assert.is(empty.status, 400)
  const unknown = await complete(id, 'B'.repeat(43))
  assert.is(unknown.status, 404)
  assert.is((await gw.req('POST', `/mcps/${id}/oauth/complete`, { body: { completion } })).status, 401, 'needs the app\'s ID token')
})

test('no token appears in the store, the logs or any response', async () => {
  await flushed()
  const store = await gw.deps.store()
  const conns = await store.list(CONNS, { limit: 100 })
  assert.ok(conns.items.length > 0)
  assert.not.match(JSON.stringify(conns.items), /eyJ[A-Za-z0-9_-]{10,}\./)
  const id = await register()
  await authorize(id)
  const pending = await store.list(PENDING, { limit: 100 })
  assert.ok(pending.items.length > 0)
  assert.not.match(JSON.stringify(pending.items), /eyJ[A-Za-z0-9_-]{10,}\.|"access_token"|"refresh_token"/)
  assert.not.ok(gw.logs.some((l) => /eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(l) && !l.includes('[redacted')), 'no JWT in logs')
})

test('a replayed callback, an unknown state and a wrong iss exchange nothing', async () => {
  const id = await register()
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: {} })
  const cb = await followAuthorization(s.json.authorization_url)
  // Wrong issuer first: dropped before any exchange, and the state is spent.
  const wrong = new URL(cb)
  wrong.searchParams.set('iss', 'https://evil.example')
  as.reset()
  const w = await gw.req('GET', wrong.href)
  assert.is(outcome(w.text).error, 'issuer_mismatch')
  const replay = await gw.req('GET', cb.href)
  assert.is(outcome(replay.text).error, 'invalid_state')
  const unknown = new URL(cb)
  unknown.searchParams.set('state', 'A'.repeat(43))
  assert.is(outcome((await gw.req('GET', unknown.href)).text).error, 'invalid_state')
  assert.is(as.grants.authorization_code, 0, 'zero token exchanges')

  // And a good callback can't be used twice.
  const { callback } = await authorize(id)
  as.reset()
  const again = await gw.req('GET', callback.href)
  assert.is(outcome(again.text).error, 'invalid_state')
  assert.is(as.grants.authorization_code, 0)
})

test('a token endpoint failure and a denied consent render the error page and store nothing', async () => {
  const id = await register()
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: {} })
  const cb = await followAuthorization(s.json.authorization_url)
  as.setTokenEndpointFault(500)
  try {
    const page = await gw.req('GET', cb.href)
    assert.is(page.status, 200)
    assert.is(page.headers.get('x-frame-options'), 'DENY')
    const o = outcome(page.text)
    assert.is(o.status, 'error')
    assert.is(o.error, 'token_error')
    assert.not.match(page.text, /at [A-Za-z]+ \(|node_modules|Error:/, 'no stack trace')
  } finally {
    as.setTokenEndpointFault(null)
  }
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.status, 'needs_auth')

  as.setDeny(true)
  try {
    const s2 = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: {} })
    const denied = await followAuthorization(s2.json.authorization_url)
    assert.is(denied.searchParams.get('error'), 'access_denied')
    as.reset()
    const o = outcome((await gw.req('GET', denied.href)).text)
    assert.equal([o.status, o.error], ['error', 'access_denied'])
    assert.is(as.grants.authorization_code, 0)
  } finally {
    as.setDeny(false)
  }
})

test('an expired state is refused', async () => {
  const id = await register()
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: {} })
  const state = new URL(s.json.authorization_url).searchParams.get('state')!
  const store = await gw.deps.store()
  // The record is there, then time passes beyond its 10 minutes (records read as missing once expired).
  assert.ok(await store.get(STATES, state))
  await store.update(STATES, state, (r: any) => ({ ...r, expires_at: Date.now() - 1 }))
  const cb = await followAuthorization(s.json.authorization_url)
  as.reset()
  assert.is(outcome((await gw.req('GET', cb.href)).text).error, 'invalid_state')
  assert.is(as.grants.authorization_code, 0)
})

test('return_to must be on an app origin', async () => {
  const id = await register()
  const r = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: { return_to: 'https://evil.example/x' } })
  assert.is(r.status, 400)
  assert.is(r.json.errors[0].path, '/return_to')
})

test('bob cannot start, use or see alice\'s connection: 404', async () => {
  const id = await register()
  await connect(id)
  const bob = await gw.token('bob')
  assert.is((await gw.req('POST', `/mcps/${id}/oauth/start`, { token: bob, body: {} })).status, 404)
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: bob })).status, 404)
  assert.is((await gw.req('DELETE', `/mcps/${id}/oauth`, { token: bob })).status, 404)
  assert.is((await gw.req('POST', `/mcps/${id}/oauth/complete`, { token: bob, body: { completion: 'C'.repeat(43) } })).status, 404)
})

test('org config: each member connects with their own token', async () => {
  const dave = await gw.token('dave', { org: 'acme', admin: true })
  const carol = await gw.token('carol', { org: 'acme' })
  const id = await register(dave, { scope: 'org' })
  await connect(id, dave, {})
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: dave })).status, 200)
  const c = await gw.req('GET', `/mcps/${id}/tools`, { token: carol })
  assert.is(c.status, 409, 'carol has not connected: dave\'s token is not hers')
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: carol })).json.status, 'needs_auth')
  await connect(id, carol, {})
  mcp.reset()
  const w = await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: carol, body: {} })
  assert.is(w.status, 200, w.text)
})

test('org config: another member cannot complete the connect an org member started; the initiator can\'t afterwards', async () => {
  const dave = await gw.token('dave', { org: 'acme', admin: true })
  const carol = await gw.token('carol', { org: 'acme' })
  const id = await register(dave, { scope: 'org' })
  const { completion } = await authorize(id, dave, {})
  const r = await complete(id, completion, carol)
  assert.is(r.status, 404, r.text)
  assert.is((await complete(id, completion, dave)).status, 404)
  for (const t of [dave, carol]) assert.is((await gw.req('GET', `/mcps/${id}`, { token: t })).json.connection.state, 'not_connected')
  await flushed()
  assert.ok(audits('oauth.complete').some((a) => a.actor === 'carol' && a.org === 'acme' && a.outcome === 'denied'))
})

test('the access token expires; the next execute refreshes it (once) and succeeds', async () => {
  as.setAccessTokenTtl(2)
  const id = await register()
  await connect(id)
  as.setAccessTokenTtl(3600)
  await new Promise((r) => setTimeout(r, 2500))
  as.reset()
  const r = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'later' } } })
  assert.is(r.status, 200, r.text)
  assert.is(as.grants.refresh_token, 1)
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.ok(v.json.connection.last_refreshed_at)
})

test('disconnect revokes at the provider and the config needs auth again', async () => {
  const id = await register()
  await connect(id)
  as.reset()
  const d = await gw.req('DELETE', `/mcps/${id}/oauth`, { token: alice })
  assert.is(d.status, 204, d.text)
  assert.ok(as.revocations >= 1)
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.status, 'needs_auth')
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 409)
})

test('the client ID metadata document names the callback', async () => {
  const r = await gw.req('GET', '/oauth/client-metadata.json')
  assert.is(r.status, 200)
  assert.is(r.json.client_id, `${gw.url}/api/v1/oauth/client-metadata.json`)
  assert.equal(r.json.redirect_uris, [`${gw.url}/api/v1/oauth/callback`])
})

test.run()
