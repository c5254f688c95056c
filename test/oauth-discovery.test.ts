/**
 * How the gateway finds an MCP server's authorization server and which client
 * it is there (MCP authorization spec 2025-11-25, RFC 9728, RFC 8414, RFC
 * 7591), and what it refuses before sending a user anywhere: a mismatched
 * resource, no PKCE S256, unsafe endpoints. Real servers where they can be
 * made to do it (oidc-provider, the v1 SDK's own OAuth stack), tiny fakes
 * where they can't.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { followAuthorization } from './oauth/user-agent.js'
import { startFakeAs, startFront, type Fake } from './oauth/fakes.js'
import { startSdkExample } from './oauth/sdk-example.js'
import { APP, connectOAuth, connRec, finishOAuth, registerOAuth } from './oauth/gateway-flow.js'
import { CLIENTS, STATES, type ClientRec } from '../shared/oauth/model.js'

const test = suite('oauth discovery and clients')
let gw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let alice: string
const stop: Array<() => Promise<void>> = []

test.before(async () => {
  as = await startProvider({ accessTokenTtlSec: 3600 })
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway({ env: { APP_ORIGINS: APP } })
  alice = await gw.token('alice')
})
test.after(async () => {
  for (const s of stop.reverse()) await s().catch(() => {})
  await gw.close()
  await mcp.stop()
  await as.stop()
})

async function front(o: Parameters<typeof startFront>[0]) {
  const f = await startFront(o)
  stop.push(f.stop)
  return f
}
async function fakeAs(meta: Parameters<typeof startFakeAs>[0]): Promise<Fake> {
  const f = await startFakeAs(meta)
  stop.push(f.stop)
  return f
}

const start = (id: string) => gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: {} })
async function count(col: string) {
  return (await (await gw.deps.store()).list(col, { limit: 1000 })).items.length
}

/** Metadata for a fake AS: everything the spec asks for, overridable. */
const asMeta = (over: Record<string, unknown> = {}) => (issuer: string) => ({
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  registration_endpoint: `${issuer}/register`,
  response_types_supported: ['code'],
  grant_types_supported: ['authorization_code', 'refresh_token'],
  code_challenge_methods_supported: ['S256'],
  ...over,
})

test('protected resource metadata is found without a WWW-Authenticate hint: path-suffixed well-known URL first', async () => {
  const f = await front({ prmAt: 'suffixed', wwwAuthenticate: 'Bearer', prm: (url) => ({ resource: url, authorization_servers: [as.issuer], scopes_supported: ['mcp:read'] }) })
  const id = await registerOAuth(gw, alice, f.url)
  const r = await start(id)
  assert.is(r.status, 200, r.text)
  const auth = new URL(r.json.authorization_url)
  assert.is(auth.origin, as.issuer)
  assert.is(auth.searchParams.get('resource'), f.url)
  assert.is(auth.searchParams.get('scope'), 'mcp:read', 'scope from scopes_supported')
  assert.equal(f.hits.filter((h) => h.startsWith('GET')), ['GET /.well-known/oauth-protected-resource/mcp'])
  // And the provider accepts what the gateway asked for.
  const cb = await followAuthorization(r.json.authorization_url)
  await finishOAuth(gw, id, alice, cb)
})

test('…then the root well-known URL, when the server sends no WWW-Authenticate at all', async () => {
  const f = await front({ prmAt: 'root', prm: (url) => ({ resource: url, authorization_servers: [as.issuer] }) })
  const id = await registerOAuth(gw, alice, f.url)
  const r = await start(id)
  assert.is(r.status, 200, r.text)
  assert.is(new URL(r.json.authorization_url).origin, as.issuer)
  assert.equal(f.hits.filter((h) => h.startsWith('GET')), ['GET /.well-known/oauth-protected-resource/mcp', 'GET /.well-known/oauth-protected-resource'])
})

test('metadata naming another resource: 502 resource_mismatch, nothing registered or stored', async () => {
  const cases = [(url: string) => `${new URL(url).origin}/other`, () => 'https://elsewhere.example/mcp', (url: string) => `${url}/deeper`]
  for (const resourceOf of cases) {
    const f = await front({ prmAt: 'suffixed', wwwAuthenticate: 'Bearer', prm: (url) => ({ resource: resourceOf(url), authorization_servers: [as.issuer] }) })
    const id = await registerOAuth(gw, alice, f.url)
    as.reset()
    const states = await count(STATES)
    const clients = await count(CLIENTS)
    const r = await start(id)
    assert.is(r.status, 502, r.text)
    assert.is(r.json.code, 'upstream_error')
    assert.is(r.json.upstream.reason, 'resource_mismatch')
    assert.is(r.json.authorization_url, undefined)
    assert.is(as.registrations, 0)
    assert.is(await count(STATES), states)
    assert.is(await count(CLIENTS), clients)
  }
})

test('an authorization server without PKCE S256: 502 pkce_unsupported, no registration attempted', async () => {
  for (const over of [{ code_challenge_methods_supported: ['plain'] }, { code_challenge_methods_supported: undefined }]) {
    const a = await fakeAs(asMeta(over))
    const f = await front({ prmAt: 'suffixed', wwwAuthenticate: 'Bearer', prm: (url) => ({ resource: url, authorization_servers: [a.origin] }) })
    const id = await registerOAuth(gw, alice, f.url)
    const r = await start(id)
    assert.is(r.status, 502, r.text)
    assert.is(r.json.upstream.reason, 'pkce_unsupported')
    assert.not.ok(a.hits.some((h) => h.startsWith('POST')), 'nothing posted to the authorization server')
  }
})

test('unsafe authorization or token endpoints are refused; plain http on loopback is allowed in local mode', async () => {
  const bad = [
    { authorization_endpoint: 'javascript:alert(document.cookie)' },
    { authorization_endpoint: 'data:text/html,<script>alert(1)</script>' },
    { authorization_endpoint: 'file:///etc/passwd' },
    { authorization_endpoint: 'http://auth.example.test/authorize' },
    { token_endpoint: 'http://auth.example.test/token' },
    { authorization_endpoint: 'https://169.254.169.254/authorize' },
  ]
  for (const over of bad) {
    const a = await fakeAs(asMeta(over))
    const f = await front({ prmAt: 'suffixed', wwwAuthenticate: 'Bearer', prm: (url) => ({ resource: url, authorization_servers: [a.origin] }) })
    // A pre-registered client: the endpoint is the only thing wrong.
    const id = await registerOAuth(gw, alice, f.url, { config: { oauth: { client_id: 'pre-1' } } })
    const states = await count(STATES)
    const r = await start(id)
    assert.is(r.status, 502, `${JSON.stringify(over)}: ${r.text}`)
    assert.is(r.json.code, 'upstream_error')
    assert.is(r.json.upstream.reason, 'oauth_metadata_invalid', JSON.stringify(over))
    assert.is(r.json.authorization_url, undefined)
    assert.is(await count(STATES), states)
  }
  const a = await fakeAs(asMeta())
  const f = await front({ prmAt: 'suffixed', wwwAuthenticate: 'Bearer', prm: (url) => ({ resource: url, authorization_servers: [a.origin] }) })
  const id = await registerOAuth(gw, alice, f.url, { config: { oauth: { client_id: 'pre-1' } } })
  const ok = await start(id)
  assert.is(ok.status, 200, ok.text)
  assert.ok(ok.json.authorization_url.startsWith(`${a.origin}/authorize?`))
  assert.is(new URL(ok.json.authorization_url).searchParams.get('client_id'), 'pre-1')
})

/** A client registered at the provider by hand, as an operator would. */
async function registerByHand(): Promise<{ client_id: string; client_secret: string }> {
  const res = await fetch(as.registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'pre-registered',
      redirect_uris: [`${gw.url}/api/v1/oauth/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }),
  })
  assert.is(res.status, 201)
  return (await res.json()) as { client_id: string; client_secret: string }
}

test('a pre-registered client with explicit endpoints is used as configured: no registration, secret never shown', async () => {
  const c = await registerByHand()
  as.reset()
  const id = await registerOAuth(gw, alice, mcp.url, {
    config: { oauth: { client_id: c.client_id, client_secret: c.client_secret, auth_url: as.authorizationEndpoint, token_url: as.tokenEndpoint, revocation_url: as.revocationEndpoint, scopes: ['mcp:read'] } },
  })
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.config.oauth.has_client_secret, true)
  assert.is(v.json.config.oauth.client_id, c.client_id)
  assert.not.ok(v.text.includes(c.client_secret), 'the secret is not in the view')
  assert.is(v.json.config.oauth.client_secret, undefined)

  const { start: s } = await connectOAuth(gw, id, alice)
  const auth = new URL(s.authorization_url)
  assert.ok(s.authorization_url.startsWith(`${as.authorizationEndpoint}?`))
  assert.is(auth.searchParams.get('client_id'), c.client_id)
  assert.is(auth.searchParams.get('scope'), 'mcp:read')
  assert.is(as.registrations, 0, 'no dynamic registration')
  assert.is(as.grants.authorization_code, 1)
  assert.is(as.grantErrors.authorization_code, 0, 'the code was redeemed with the configured secret')
  assert.is((await connRec(gw, 'alice', id))!.data.client.kind, 'preregistered')
  const w = await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })
  assert.is(w.status, 200, w.text)
  const logs = gw.logs.join('\n')
  assert.not.ok(logs.includes(c.client_secret), 'the secret is not logged')

  // The same client found through metadata (no explicit endpoints): still no registration.
  const id2 = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { client_id: c.client_id, client_secret: c.client_secret } } })
  const r = await start(id2)
  assert.is(r.status, 200, r.text)
  assert.is(new URL(r.json.authorization_url).searchParams.get('client_id'), c.client_id)
  assert.is(as.registrations, 0)
})

test('dynamic registrations are kept per issuer: two MCP servers behind one provider register once, another provider gets its own', async () => {
  const asA = await startProvider()
  const asB = await startProvider()
  stop.push(asA.stop, asB.stop)
  const m1 = await startProtectedMcp({ issuer: asA.issuer, jwksUrl: asA.jwksUrl })
  const m2 = await startProtectedMcp({ issuer: asA.issuer, jwksUrl: asA.jwksUrl })
  const m3 = await startProtectedMcp({ issuer: asB.issuer, jwksUrl: asB.jwksUrl })
  stop.push(m1.stop, m2.stop, m3.stop)
  const ids = [await registerOAuth(gw, alice, m1.url), await registerOAuth(gw, alice, m2.url), await registerOAuth(gw, alice, m3.url)]
  const clientIds = []
  for (const id of ids) {
    const { start: s } = await connectOAuth(gw, id, alice)
    clientIds.push(new URL(s.authorization_url).searchParams.get('client_id'))
    assert.is((await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })).status, 200)
  }
  assert.is(asA.registrations, 1)
  assert.is(asB.registrations, 1)
  assert.is(clientIds[0], clientIds[1], 'one client at provider A')
  assert.is.not(clientIds[2], clientIds[0])
  const recs = (await (await gw.deps.store()).list<ClientRec>(CLIENTS, { limit: 1000 })).items.map((r) => r.data)
  assert.is(recs.filter((r) => r.issuer === asA.issuer).length, 1)
  assert.is(recs.filter((r) => r.issuer === asB.issuer).length, 1)
})

test('a second MCP server behind the same provider asking for other scopes connects with the shared registration', async () => {
  const asC = await startProvider()
  stop.push(asC.stop)
  const read = await startProtectedMcp({ issuer: asC.issuer, jwksUrl: asC.jwksUrl })
  const write = await startProtectedMcp({ issuer: asC.issuer, jwksUrl: asC.jwksUrl, requiredScope: 'mcp:write' })
  stop.push(read.stop, write.stop)
  const first = await registerOAuth(gw, alice, read.url)
  await connectOAuth(gw, first, alice)
  const second = await registerOAuth(gw, alice, write.url, { config: { oauth: { scopes: ['mcp:write'] } } })
  const s = await start(second)
  assert.is(s.status, 200, s.text)
  assert.is(new URL(s.json.authorization_url).searchParams.get('scope'), 'mcp:write')
  const cb = await followAuthorization(s.json.authorization_url)
  assert.is(cb.searchParams.get('error'), null, `the provider refused: ${cb.searchParams.get('error_description')}`)
  await finishOAuth(gw, second, alice, cb)
  assert.is(asC.registrations, 1)
  const w = await gw.req('POST', `/mcps/${second}/tools/whoami/execute`, { token: alice, body: {} })
  assert.is(w.status, 200, w.text)
})

test('another authorization server: the v1 SDK\'s own OAuth stack in front of a v1 SDK MCP server, end to end', async () => {
  const ex = await startSdkExample()
  stop.push(ex.stop)
  const id = await registerOAuth(gw, alice, ex.mcpUrl)
  const { start: s } = await connectOAuth(gw, id, alice)
  const auth = new URL(s.authorization_url)
  assert.is(auth.origin, new URL(ex.issuer).origin)
  assert.is(auth.searchParams.get('resource'), ex.mcpUrl)
  assert.is(auth.searchParams.get('code_challenge_method'), 'S256')
  const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
  assert.ok(JSON.stringify(tools.json).includes('whoami'), tools.text)
  const w = await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })
  assert.is(w.status, 200, w.text)
  assert.ok(ex.accepted.length > 0 && ex.accepted.every((h) => h.startsWith('Bearer ') && h !== `Bearer ${alice}`))
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.status, 'ready')
  assert.equal(v.json.connection.scopes, ['mcp:tools'])
})

test.run()
