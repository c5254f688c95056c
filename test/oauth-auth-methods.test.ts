/**
 * Token endpoint authentication follows the registration (RFC 6749 §2.3.1,
 * RFC 7591 §2): each method against oidc-provider configured to accept only
 * that method, for the code exchange, the refresh and the RFC 7009
 * revocation; the Python MCP SDK's authorization server rules (emulated in
 * front of oidc-provider, test/oauth/provider-quirks.ts); the v1 SDK's example
 * server; and a disconnect whose revocation the provider refuses, which the
 * answer and the audit trail both show.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startProvider, type ClientAuthSeen, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { startSdkExample } from './oauth/sdk-example.js'
import { APP, connRec, connectOAuth, registerOAuth, storedTokens } from './oauth/gateway-flow.js'
import { flushed } from '../shared/background.js'

const test = suite('oauth token endpoint auth methods')
let gw: Gateway
let alice: string
let bob: string
const stop: (() => Promise<void>)[] = []

test.before(async () => {
  gw = await startGateway({ env: { APP_ORIGINS: APP } })
  alice = await gw.token('alice')
  bob = await gw.token('bob')
})
test.after(async () => {
  await gw.close()
  for (const s of stop) await s()
})

type Method = 'client_secret_basic' | 'client_secret_post' | 'none'

async function server(o: Parameters<typeof startProvider>[0]): Promise<{ as: ProviderHandle; mcp: ProtectedMcpHandle }> {
  const as = await startProvider(o)
  const mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  stop.push(mcp.stop, as.stop)
  return { as, mcp }
}

/** How a request authenticated: Basic (with client_id in the body too), the secret in the body, or only client_id. */
const methodOf = (e: ClientAuthSeen): string =>
  e.basic ? (e.client_id_in_body ? 'client_secret_basic' : 'basic-without-client_id') : e.secret_in_body ? 'client_secret_post' : e.client_id_in_body ? 'none' : 'nothing'

async function registerByHand(as: ProviderHandle, method: Method): Promise<{ client_id: string; client_secret?: string }> {
  const res = await fetch(as.registrationEndpoint, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [`${gw.url}/api/v1/oauth/callback`], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: method }),
  })
  assert.is(res.status, 201)
  return (await res.json()) as { client_id: string; client_secret?: string }
}

const audits = (action: string) => gw.logs.flatMap((l) => {
  const e = JSON.parse(l)
  return e.audit?.action === action ? [e.audit] : []
})

/** Connect, refresh once, disconnect: every token and revocation request used `method`, and the provider really revoked the grant. */
async function lifecycle(as: ProviderHandle, mcp: ProtectedMcpHandle, id: string, method: Method) {
  as.reset()
  await connectOAuth(gw, id, alice)
  mcp.rejectNextAuth(1)
  const w = await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })
  assert.is(w.status, 200, w.text)
  assert.is(as.grants.refresh_token, 1, 'refreshed once')
  const rt = JSON.parse((await storedTokens(gw, 'alice', id))!).refresh_token
  assert.ok(await (as.provider as any).RefreshToken.find(rt), 'the provider knows the refresh token')
  const d = await gw.req('DELETE', `/mcps/${id}/oauth`, { token: alice })
  assert.is(d.status, 204, d.text)
  assert.is(await (as.provider as any).RefreshToken.find(rt), undefined, 'revoked at the provider')
  const token = as.clientAuth.filter((e) => e.endpoint === 'token')
  const revocation = as.clientAuth.filter((e) => e.endpoint === 'revocation')
  assert.equal(token.map(methodOf), [method, method], 'code exchange and refresh')
  assert.ok(revocation.length >= 1)
  assert.equal([...new Set(revocation.map(methodOf))], [method], 'revocation with the same method')
  assert.ok(revocation.every((e) => e.status === 200 || e.status === 400), JSON.stringify(revocation))
}

for (const method of ['client_secret_basic', 'client_secret_post', 'none'] as const) {
  test(`dynamic registration at a server that accepts only ${method}: exchange, refresh and revocation all use it`, async () => {
    const { as, mcp } = await server({ clientAuthMethods: [method] })
    const id = await registerOAuth(gw, alice, mcp.url)
    await lifecycle(as, mcp, id, method)
  })

  test(`a pre-registered ${method} client (config.oauth.token_endpoint_auth_method) at a server that accepts all three`, async () => {
    const { as, mcp } = await server({})
    const c = await registerByHand(as, method)
    const id = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { client_id: c.client_id, ...(c.client_secret ? { client_secret: c.client_secret } : {}), token_endpoint_auth_method: method } } })
    assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.config.oauth.token_endpoint_auth_method, method)
    await lifecycle(as, mcp, id, method)
  })
}

test('token_endpoint_auth_method: basic and post need a client_secret, none refuses one, and it needs a client_id', async () => {
  const { mcp } = await server({})
  const bad = async (oauth: Record<string, unknown>, path: string) => {
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'x', type: 'http', endpoint: mcp.url, auth_type: 'oauth', config: { oauth } } })
    assert.is(r.status, 400, r.text)
    assert.is(r.json.errors[0].path, path)
  }
  await bad({ client_id: 'c', token_endpoint_auth_method: 'client_secret_basic' }, '/config/oauth/client_secret')
  await bad({ client_id: 'c', token_endpoint_auth_method: 'client_secret_post' }, '/config/oauth/client_secret')
  await bad({ client_id: 'c', client_secret: 's', token_endpoint_auth_method: 'none' }, '/config/oauth/client_secret')
  await bad({ token_endpoint_auth_method: 'none' }, '/config/oauth/token_endpoint_auth_method')
  await bad({ client_id: 'c', client_secret: 's', token_endpoint_auth_method: 'private_key_jwt' }, '/config/oauth/token_endpoint_auth_method')
})

test('Python MCP SDK server rules: a pre-registered Basic client connects (client_id in the body too) and refreshes; the revocation it refuses (no client_secret in the body) is visible: 200 {revoked: false}, audited', async () => {
  const { as, mcp } = await server({ quirks: ['python-sdk'], clientAuthMethods: ['client_secret_post', 'client_secret_basic'] })
  const c = await registerByHand(as, 'client_secret_basic')
  // The emulation refuses what the Python server refuses: Basic without client_id in the body.
  const plain = await fetch(as.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }).toString(),
  })
  assert.is(plain.status, 401)
  assert.is(((await plain.json()) as { error: string }).error, 'invalid_client')

  const id = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { client_id: c.client_id, client_secret: c.client_secret, token_endpoint_auth_method: 'client_secret_basic' } } })
  as.reset()
  await connectOAuth(gw, id, alice)
  mcp.rejectNextAuth(1)
  assert.is((await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })).status, 200)
  assert.equal(as.clientAuth.filter((e) => e.endpoint === 'token').map(methodOf), ['client_secret_basic', 'client_secret_basic'])

  const d = await gw.req('DELETE', `/mcps/${id}/oauth`, { token: alice })
  assert.is(d.status, 200, d.text)
  assert.is(d.json.revoked, false)
  assert.is(d.json.reason, 'revocation_refused')
  assert.is(d.json.provider_status, 400)
  assert.match(d.json.detail, /may still be valid/)
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.connection.state, 'not_connected', 'disconnected here all the same')
  assert.is(await connRec(gw, 'alice', id), null)
  await flushed()
  const a = audits('oauth.disconnect').filter((x) => x.mcp_id === id)
  assert.equal(a.map((x) => [x.outcome, x.code]), [['error', 'revocation_refused']])
})

test('Python MCP SDK server rules: dynamic registration takes the first confidential method it lists (client_secret_post); the secret goes in the body, and revocation works', async () => {
  const { as, mcp } = await server({ quirks: ['python-sdk'], clientAuthMethods: ['client_secret_post', 'client_secret_basic'] })
  const id = await registerOAuth(gw, alice, mcp.url)
  await lifecycle(as, mcp, id, 'client_secret_post')
})

test('the v1 SDK\'s example server: a second user reuses the registration after the start\'s check, and disconnect says the server offers no revocation', async () => {
  const ex = await startSdkExample()
  stop.push(ex.stop)
  const id = await registerOAuth(gw, alice, ex.mcpUrl)
  const a = await connectOAuth(gw, id, alice)
  const bobs = await registerOAuth(gw, bob, ex.mcpUrl)
  const b = await connectOAuth(gw, bobs, bob)
  assert.is(new URL(b.start.authorization_url).searchParams.get('client_id'), new URL(a.start.authorization_url).searchParams.get('client_id'))
  assert.is((await gw.req('POST', `/mcps/${bobs}/tools/whoami/execute`, { token: bob, body: {} })).status, 200)
  const d = await gw.req('DELETE', `/mcps/${id}/oauth`, { token: alice })
  assert.is(d.status, 200, d.text)
  assert.equal([d.json.revoked, d.json.reason], [false, 'revocation_unsupported'])
})

test.run()
