/**
 * Provider presets (`config.oauth.provider`): the documented endpoints, and
 * each provider's quirks tested against oidc-provider configured (or fronted,
 * test/oauth/provider-quirks.ts) to behave that way. Endpoint overrides point a
 * preset at the emulating server; the same server refuses a plain client that
 * does not know the quirk.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startProvider, type ClientAuthSeen, type ProviderHandle, type ProviderOptions } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { followAuthorization } from './oauth/user-agent.js'
import { APP, connRec, connectOAuth, registerOAuth } from './oauth/gateway-flow.js'
import { PRESETS, PRESET_IDS } from '../shared/oauth/presets.js'
import { TokenError, parseTokenResponse } from '../shared/oauth/token-request.js'

const test = suite('oauth provider presets')
let gw: Gateway
let alice: string
let mcpEndpoint: string
const stop: (() => Promise<void>)[] = []

test.before(async () => {
  gw = await startGateway({ env: { APP_ORIGINS: APP } })
  alice = await gw.token('alice')
  const idle = await startProtectedMcp({ issuer: 'http://127.0.0.1:9', jwksUrl: 'http://127.0.0.1:9/jwks' })
  stop.push(idle.stop)
  mcpEndpoint = idle.url
})
test.after(async () => {
  await gw.close()
  for (const s of stop) await s()
})

/** An emulating provider and an MCP server that takes its tokens (JWTs for the MCP URL: presets send no resource indicator). */
async function server(o: ProviderOptions): Promise<{ as: ProviderHandle; mcp: ProtectedMcpHandle }> {
  const as = await startProvider(o)
  const mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  as.setDefaultResource(mcp.url)
  stop.push(mcp.stop, as.stop)
  return { as, mcp }
}

async function client(as: ProviderHandle, method = 'client_secret_post'): Promise<{ client_id: string; client_secret: string }> {
  const res = await fetch(as.registrationEndpoint, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [`${gw.url}/api/v1/oauth/callback`], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: method }),
  })
  assert.is(res.status, 201)
  return (await res.json()) as { client_id: string; client_secret: string }
}

/** The emulating server's endpoints, overriding the preset's. */
const at = (as: ProviderHandle, revocation = true) => ({ auth_url: as.authorizationEndpoint, token_url: as.tokenEndpoint, ...(revocation ? { revocation_url: as.revocationEndpoint } : {}) })
const whoami = (id: string) => gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })
const lastAuthorization = (as: ProviderHandle) => as.authorizationRequests[as.authorizationRequests.length - 1]!
const methodOf = (e: ClientAuthSeen) => (e.basic ? 'client_secret_basic' : e.secret_in_body ? 'client_secret_post' : 'none')
/** Starts a connect and follows the provider: the error it stops with, or null when it calls back. */
const refusedAt = async (id: string) => {
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: {} })
  assert.is(s.status, 200, s.text)
  return followAuthorization(s.json.authorization_url).then(() => null, (e: Error) => e.message)
}

test('documented endpoints: microsoft puts the tenant in the path (default common), auth0 uses the domain', () => {
  assert.equal(PRESETS.microsoft.endpoints({ tenant: 'contoso.onmicrosoft.com' }), {
    auth_url: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    token_url: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    revocation_url: null,
  })
  assert.is(PRESETS.microsoft.endpoints({}).auth_url, 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize')
  assert.equal(PRESETS.auth0.endpoints({ domain: 'example.eu.auth0.com' }), {
    auth_url: 'https://example.eu.auth0.com/authorize', token_url: 'https://example.eu.auth0.com/oauth/token', revocation_url: 'https://example.eu.auth0.com/oauth/revoke',
  })
  assert.equal([...PRESET_IDS].sort(), ['atlassian', 'auth0', 'github', 'google', 'microsoft', 'slack'])
})

test('each preset\'s authorization URL: its endpoint, scope parameter and separator, extra parameters, PKCE where documented, never a resource indicator', async () => {
  const cases: [Record<string, unknown>, string, Record<string, string | null>][] = [
    [{ provider: 'github', scopes: ['repo', 'read:org'] }, 'https://github.com/login/oauth/authorize', { scope: 'repo read:org', code_challenge_method: 'S256' }],
    [{ provider: 'google', scopes: ['https://www.googleapis.com/auth/drive.readonly'] }, 'https://accounts.google.com/o/oauth2/v2/auth', { access_type: 'offline', prompt: 'consent', code_challenge_method: 'S256' }],
    [{ provider: 'microsoft', tenant: 'contoso.onmicrosoft.com', scopes: ['User.Read'] }, 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize', { scope: 'User.Read offline_access', prompt: null }],
    [{ provider: 'auth0', domain: 'example.eu.auth0.com', audience: 'https://api.example.test', scopes: ['read:things'] }, 'https://example.eu.auth0.com/authorize', { scope: 'read:things offline_access', audience: 'https://api.example.test' }],
    [{ provider: 'atlassian', scopes: ['read:jira-work'] }, 'https://auth.atlassian.com/authorize', { scope: 'read:jira-work offline_access', audience: 'api.atlassian.com', prompt: 'consent', code_challenge: null }],
    [{ provider: 'slack', scopes: ['channels:history', 'chat:write'] }, 'https://slack.com/oauth/v2/authorize', { user_scope: 'channels:history,chat:write', scope: null, code_challenge_method: 'S256' }],
  ]
  for (const [oauth, endpoint, params] of cases) {
    const id = await registerOAuth(gw, alice, mcpEndpoint, { config: { oauth: { client_id: 'cid', client_secret: 'secret', ...oauth } } })
    const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: {} })
    assert.is(s.status, 200, s.text)
    const u = new URL(s.json.authorization_url)
    const label = String(oauth.provider)
    assert.is(`${u.origin}${u.pathname}`, endpoint, label)
    assert.is(u.searchParams.get('client_id'), 'cid', label)
    assert.is(u.searchParams.get('resource'), null, `${label}: no resource indicator`)
    for (const [k, v] of Object.entries(params)) assert.is(u.searchParams.get(k), v, `${label}: ${k}`)
  }
})

test('a preset needs a pre-registered client, its own parameters only, and auth0 its domain', async () => {
  const bad = async (oauth: Record<string, unknown>, path: string) => {
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'x', type: 'http', endpoint: mcpEndpoint, auth_type: 'oauth', config: { oauth } } })
    assert.is(r.status, 400, r.text)
    assert.is(r.json.errors[0].path, path, JSON.stringify(oauth))
  }
  await bad({ provider: 'github' }, '/config/oauth/client_id')
  await bad({ provider: 'github', client_id: 'c' }, '/config/oauth/client_secret')
  await bad({ provider: 'auth0', client_id: 'c', client_secret: 's' }, '/config/oauth/domain')
  await bad({ provider: 'github', client_id: 'c', client_secret: 's', tenant: 'contoso' }, '/config/oauth/tenant')
  await bad({ provider: 'google', client_id: 'c', client_secret: 's', domain: 'example.auth0.com' }, '/config/oauth/domain')
  await bad({ provider: 'microsoft', client_id: 'c', client_secret: 's', tenant: '../common' }, '/config/oauth/tenant')
  await bad({ provider: 'dropbox', client_id: 'c', client_secret: 's' }, '/config/oauth/provider')
})

test('github: form-encoded unless JSON is asked for, comma-separated scopes, errors with HTTP 200; the preset connects, refreshes, and says GitHub offers no revocation', async () => {
  const { as, mcp } = await server({ quirks: ['github'] })
  // The emulation behaves as GitHub: without Accept: application/json the answer is form-encoded.
  const plain = await fetch(as.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=refresh_token&refresh_token=x&client_id=nobody' })
  assert.match(plain.headers.get('content-type') ?? '', /application\/x-www-form-urlencoded/)
  assert.is(plain.status, 200)
  assert.match(await plain.text(), /^error=/)

  const c = await client(as)
  const id = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { provider: 'github', client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read', 'mcp:write'], ...at(as, false) } } })
  as.reset()
  await connectOAuth(gw, id, alice)
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.equal(v.json.connection.scopes, ['mcp:read', 'mcp:write'], 'GitHub\'s comma-separated scopes, read as two')
  mcp.rejectNextAuth(1)
  assert.is((await whoami(id)).status, 200)
  assert.is(as.grants.refresh_token, 1)
  assert.equal(as.clientAuth.map(methodOf), ['client_secret_post', 'client_secret_post'])
  const d = await gw.req('DELETE', `/mcps/${id}/oauth`, { token: alice })
  assert.equal([d.status, d.json.revoked, d.json.reason], [200, false, 'revocation_unsupported'])
})

test('github token answers as the parser reads them: form-encoded tokens, comma scopes, and GitHub\'s own error codes with HTTP 200', () => {
  const q = PRESETS.github
  const t = parseTokenResponse(200, 'application/x-www-form-urlencoded; charset=utf-8', 'access_token=gho_x&token_type=bearer&scope=repo%2Cgist&expires_in=28800&refresh_token=ghr_y', q)
  assert.equal(t, { access_token: 'gho_x', token_type: 'bearer', expires_in: 28800, refresh_token: 'ghr_y', scope: 'repo gist' })
  // Labelled JSON but form-encoded: read all the same.
  assert.is(parseTokenResponse(200, 'application/json', 'access_token=gho_x&token_type=bearer', q).access_token, 'gho_x')
  for (const [error, code] of [['bad_verification_code', 'invalid_grant'], ['incorrect_client_credentials', 'invalid_client'], ['bad_refresh_token', 'invalid_grant'], ['something_new', 'token_error']]) {
    const e = (() => { try { parseTokenResponse(200, 'application/json', JSON.stringify({ error, error_description: 'secret-looking text' }), q) } catch (x) { return x }
      return undefined
    })()
    assert.ok(e instanceof TokenError)
    assert.is((e as TokenError).code, code)
    assert.not.match((e as TokenError).message, /secret-looking/)
  }
})

test('google: a refresh token only with access_type=offline and prompt=consent; the preset sends both, a plain client gets none', async () => {
  const { as, mcp } = await server({ refreshTokens: 'google' })
  const c = await client(as)
  const plain = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read'], ...at(as) } } })
  await connectOAuth(gw, plain, alice)
  assert.is((await connRec(gw, 'alice', plain))!.data.has_refresh_token, false, 'without the quirk: no refresh token')

  const id = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { provider: 'google', client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read'], ...at(as) } } })
  await connectOAuth(gw, id, alice)
  const q = lastAuthorization(as)
  assert.equal([q.get('access_type'), q.get('prompt')], ['offline', 'consent'])
  assert.is((await connRec(gw, 'alice', id))!.data.has_refresh_token, true)
  as.reset()
  mcp.rejectNextAuth(1)
  assert.is((await whoami(id)).status, 200)
  assert.is(as.grants.refresh_token, 1)
  assert.is((await gw.req('DELETE', `/mcps/${id}/oauth`, { token: alice })).status, 204, 'revoked at its revocation endpoint')
})

test('microsoft: the resource parameter is refused and offline_access brings the refresh token; the preset connects where a plain client is stopped', async () => {
  const { as, mcp } = await server({ quirks: ['microsoft'], refreshTokens: 'offline_access' })
  const c = await client(as)
  const plain = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read'], ...at(as, false) } } })
  assert.match(await refusedAt(plain) ?? '', /AADSTS901002/)

  const id = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { provider: 'microsoft', tenant: 'contoso.onmicrosoft.com', client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read'], ...at(as, false) } } })
  await connectOAuth(gw, id, alice)
  assert.is((await connRec(gw, 'alice', id))!.data.has_refresh_token, true)
  assert.is((await whoami(id)).status, 200)
  const d = await gw.req('DELETE', `/mcps/${id}/oauth`, { token: alice })
  assert.equal([d.status, d.json.reason], [200, 'revocation_unsupported'])
})

test('atlassian: audience=api.atlassian.com and prompt=consent are required, refresh tokens rotate; the preset connects and refreshes twice', async () => {
  const { as, mcp } = await server({ quirks: ['atlassian'], refreshTokens: 'offline_access', pkceRequired: false })
  const c = await client(as)
  const plain = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read'], ...at(as, false) } } })
  assert.match(await refusedAt(plain) ?? '', /audience=api\.atlassian\.com/)

  const id = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { provider: 'atlassian', client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read'], ...at(as, false) } } })
  await connectOAuth(gw, id, alice)
  assert.is(lastAuthorization(as).get('code_challenge'), null, 'no PKCE: its documentation describes none')
  as.reset()
  for (let i = 0; i < 2; i++) {
    mcp.rejectNextAuth(1)
    assert.is((await whoami(id)).status, 200)
  }
  assert.equal([as.grants.refresh_token, as.grantErrors.refresh_token], [2, 0], 'each refresh used the rotated token')
})

test('slack: comma-separated user_scope, the user token nested under authed_user (token_type "user"), errors as {ok: false}; the preset connects, calls and refreshes with Basic', async () => {
  const { as, mcp } = await server({ quirks: ['slack'] })
  const c = await client(as, 'client_secret_basic')
  const plain = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read', 'mcp:write'], ...at(as, false) } } })
  assert.match(await refusedAt(plain) ?? '', /invalid_scope/)

  const id = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { provider: 'slack', client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read', 'mcp:write'], ...at(as, false) } } })
  as.reset()
  await connectOAuth(gw, id, alice)
  assert.is(lastAuthorization(as).get('user_scope'), 'mcp:read,mcp:write')
  assert.equal((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.connection.scopes, ['mcp:read', 'mcp:write'])
  assert.is((await whoami(id)).status, 200)
  mcp.rejectNextAuth(1)
  assert.is((await whoami(id)).status, 200)
  assert.equal(as.clientAuth.map(methodOf), ['client_secret_basic', 'client_secret_basic'])
  // Slack's refusals: HTTP 200 with ok: false.
  const e = (() => { try { parseTokenResponse(200, 'application/json', '{"ok":false,"error":"invalid_refresh_token"}', PRESETS.slack) } catch (x) { return x }
    return undefined
  })()
  assert.is((e as TokenError).code, 'invalid_grant')
})

test('auth0: audience passes through, offline_access brings the refresh token, and revocation is RFC 7009 at /oauth/revoke', async () => {
  const { as, mcp } = await server({ refreshTokens: 'offline_access' })
  const c = await client(as)
  const id = await registerOAuth(gw, alice, mcp.url, { config: { oauth: { provider: 'auth0', audience: 'https://api.example.test', client_id: c.client_id, client_secret: c.client_secret, scopes: ['mcp:read'], ...at(as) } } })
  await connectOAuth(gw, id, alice)
  assert.is(lastAuthorization(as).get('audience'), 'https://api.example.test')
  assert.is((await connRec(gw, 'alice', id))!.data.has_refresh_token, true)
  assert.is((await gw.req('DELETE', `/mcps/${id}/oauth`, { token: alice })).status, 204)
})

test.run()
