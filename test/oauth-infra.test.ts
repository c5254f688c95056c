/**
 * The OAuth test infrastructure, proven without the gateway: a real
 * authorization server (oidc-provider), a protected MCP server, the cookie-jar
 * user agent, and headless Chromium for popup/postMessage flows.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { startProvider, type Provider } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { followAuthorization } from './oauth/user-agent.js'
import { launchChromium, noChromium } from './oauth/chromium.js'
import { needs } from './support/components.js'

const REDIRECT_URI = 'http://127.0.0.1:9/cb'

let as: Provider
let mcp: ProtectedMcpHandle

const b64url = (b: Buffer) => b.toString('base64url')

interface Tokens { access_token: string; refresh_token?: string; token_type: string; expires_in: number; scope?: string }

async function register(): Promise<string> {
  const res = await fetch(as.registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'oauth-infra test',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'mcp:read mcp:write',
    }),
  })
  assert.is(res.status, 201, await res.clone().text())
  return ((await res.json()) as { client_id: string }).client_id
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(as.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** Registration, authorization (PKCE S256, resource, mcp:read) and code exchange. */
async function authorize(clientId: string): Promise<{ callback: URL; state: string; tokens: Tokens }> {
  const verifier = b64url(randomBytes(32))
  const state = b64url(randomBytes(16))
  const auth = new URL(as.authorizationEndpoint)
  auth.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'mcp:read',
    state,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    resource: mcp.url,
  }).toString()
  const callback = await followAuthorization(auth.href)
  const code = callback.searchParams.get('code')
  assert.ok(code, `no code in ${callback.href}`)
  const res = await token({
    grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, client_id: clientId, code_verifier: verifier, resource: mcp.url,
  })
  assert.is(res.status, 200, JSON.stringify(res.body))
  return { callback, state, tokens: res.body as unknown as Tokens }
}

async function listTools(accessToken: string): Promise<string[]> {
  const client = new Client({ name: 'oauth-infra', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } })
  await client.connect(transport)
  try {
    return (await client.listTools()).tools.map((t) => t.name)
  } finally {
    await client.close()
  }
}

async function whoami(accessToken: string): Promise<string> {
  const client = new Client({ name: 'oauth-infra', version: '1.0.0' })
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }))
  try {
    const r = await client.callTool({ name: 'whoami', arguments: {} })
    return (r.content as { type: string; text: string }[])[0]!.text
  } finally {
    await client.close()
  }
}

const post = (headers: Record<string, string> = {}) => fetch(mcp.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
})

test.before(async () => {
  as = await startProvider()
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
})

test.after(async () => {
  await mcp?.stop()
  await as?.stop()
})

test.before.each(() => {
  as.reset()
  mcp.reset()
  as.setDeny(false)
  as.setAccessTokenTtl(3600)
  mcp.setRequiredScope(undefined)
})

test('discovery advertises DCR, S256, revocation and RFC 9207 iss', async () => {
  const meta = (await (await fetch(`${as.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>
  assert.is(meta.issuer, as.issuer)
  assert.is(meta.registration_endpoint, as.registrationEndpoint)
  assert.is(meta.token_endpoint, as.tokenEndpoint)
  assert.is(meta.revocation_endpoint, as.revocationEndpoint)
  assert.is(meta.jwks_uri, as.jwksUrl)
  assert.equal(meta.code_challenge_methods_supported, ['S256'])
  assert.is(meta.authorization_response_iss_parameter_supported, true)
  assert.equal((meta.token_endpoint_auth_methods_supported as string[]).sort(), ['client_secret_basic', 'client_secret_post', 'none'])
})

test('a client without a token gets 401 pointing at the path-suffixed resource metadata', async () => {
  const res = await post()
  assert.is(res.status, 401)
  assert.is(res.headers.get('www-authenticate'), `Bearer resource_metadata="${mcp.resourceMetadataUrl}", scope="mcp:read"`)
  assert.is(mcp.resourceMetadataUrl, mcp.url.replace(/\/mcp$/, '/.well-known/oauth-protected-resource/mcp'))
  const meta = await (await fetch(mcp.resourceMetadataUrl)).json()
  assert.equal(meta, { resource: mcp.url, authorization_servers: [as.issuer], scopes_supported: ['mcp:read', 'mcp:write'], bearer_methods_supported: ['header'] })
  const bad = await post({ authorization: 'Bearer not-a-jwt' })
  assert.is(bad.status, 401)
  assert.match(bad.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token", resource_metadata="/)
  assert.is(mcp.requests.length, 3, 'every request is recorded, refused ones included')
})

test('DCR + PKCE + resource: the callback carries iss, the token is a JWT for the MCP, and the MCP accepts it', async () => {
  const clientId = await register()
  assert.is(as.registrations, 1)
  const { callback, state, tokens } = await authorize(clientId)
  assert.is(callback.origin, 'http://127.0.0.1:9')
  assert.is(callback.pathname, '/cb')
  assert.is(callback.searchParams.get('state'), state)
  assert.is(callback.searchParams.get('iss'), as.issuer, 'RFC 9207 iss in the authorization response')
  assert.is(tokens.token_type, 'Bearer')
  assert.is(tokens.scope, 'mcp:read')
  assert.ok(tokens.refresh_token, 'a refresh token without offline_access')
  assert.is(decodeProtectedHeader(tokens.access_token).typ, 'at+jwt')
  const claims = decodeJwt(tokens.access_token)
  assert.is(claims.aud, mcp.url)
  assert.is(claims.iss, as.issuer)
  assert.is(claims.sub, 'user-1')
  assert.is(claims.client_id, clientId)
  assert.is(as.grants.authorization_code, 1)
  assert.is(as.grants.refresh_token, 0)

  const names = await listTools(tokens.access_token)
  assert.ok(names.includes('echo') && names.includes('whoami'), names.join(','))
  assert.is(await whoami(tokens.access_token), 'user-1')
  const mcpPosts = mcp.requests.filter((r) => r.method === 'POST')
  assert.ok(mcpPosts.length >= 2)
  assert.ok(mcpPosts.every((r) => r.headers.authorization === `Bearer ${tokens.access_token}`))
})

test('refresh rotates; replaying the old refresh token revokes the grant, new token included', async () => {
  const clientId = await register()
  const { tokens } = await authorize(clientId)
  const r1 = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: clientId, resource: mcp.url })
  assert.is(r1.status, 200, JSON.stringify(r1.body))
  const fresh = r1.body as unknown as Tokens
  assert.ok(fresh.refresh_token && fresh.refresh_token !== tokens.refresh_token, 'rotated')
  assert.is(decodeJwt(fresh.access_token).aud, mcp.url)
  assert.is(as.grants.refresh_token, 1)
  assert.is(as.grantErrors.refresh_token, 0)
  assert.equal(await listTools(fresh.access_token), await listTools(tokens.access_token))

  const replay = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: clientId })
  assert.is(replay.status, 400)
  assert.is(replay.body.error, 'invalid_grant')
  const after = await token({ grant_type: 'refresh_token', refresh_token: fresh.refresh_token!, client_id: clientId })
  assert.is(after.status, 400)
  assert.is(after.body.error, 'invalid_grant', 'reuse detection killed the rotated token too')
  assert.equal(as.grants, { authorization_code: 1, refresh_token: 3 })
  assert.equal(as.grantErrors, { authorization_code: 0, refresh_token: 2 })
})

test('revoking the refresh token ends the grant and is counted', async () => {
  const clientId = await register()
  const { tokens } = await authorize(clientId)
  const res = await fetch(as.revocationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: tokens.refresh_token!, token_type_hint: 'refresh_token', client_id: clientId }),
  })
  assert.is(res.status, 200)
  assert.is(as.revocations, 1)
  const r = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: clientId })
  assert.is(r.body.error, 'invalid_grant')
})

test('deny mode sends access_denied (with iss) to the callback', async () => {
  const clientId = await register()
  as.setDeny(true)
  const auth = new URL(as.authorizationEndpoint)
  auth.search = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, scope: 'mcp:read', state: 's1',
    code_challenge: b64url(createHash('sha256').update('v'.repeat(43)).digest()), code_challenge_method: 'S256', resource: mcp.url,
  }).toString()
  const cb = await followAuthorization(auth.href)
  assert.is(cb.searchParams.get('error'), 'access_denied')
  assert.is(cb.searchParams.get('state'), 's1')
  assert.is(cb.searchParams.get('iss'), as.issuer)
  assert.is(cb.searchParams.get('code'), null)
})

test('missing scope gives 403 insufficient_scope; an expired token gives 401', async () => {
  const clientId = await register()
  // Long enough to make the first call on a busy machine; the wait below is computed from exp.
  as.setAccessTokenTtl(5)
  const { tokens } = await authorize(clientId)
  assert.is(tokens.expires_in, 5)
  mcp.setRequiredScope('mcp:write')
  const res = await post({ authorization: `Bearer ${tokens.access_token}` })
  assert.is(res.status, 403)
  assert.is(res.headers.get('www-authenticate'), `Bearer error="insufficient_scope", resource_metadata="${mcp.resourceMetadataUrl}", scope="mcp:write"`)
  mcp.setRequiredScope(undefined)
  // exp is whole seconds; wait until it has certainly passed (time passing is what is tested).
  const exp = decodeJwt(tokens.access_token).exp!
  await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 + 1100 - Date.now())))
  const late = await post({ authorization: `Bearer ${tokens.access_token}` })
  assert.is(late.status, 401)
  assert.match(late.headers.get('www-authenticate') ?? '', /error="invalid_token"/)
})

test('a user agent that never leaves the provider gives up after maxHops', async () => {
  const loop = createServer((req, res) => { res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' }); res.end() })
  await new Promise<void>((r) => loop.listen(0, '127.0.0.1', r))
  try {
    const { port } = loop.address() as AddressInfo
    let err: Error | undefined
    try { await followAuthorization(`http://127.0.0.1:${port}/a`, { maxHops: 4 }) } catch (e) { err = e as Error }
    assert.match(err?.message ?? '', /within 4 redirects/)
  } finally {
    loop.closeAllConnections()
    await new Promise((r) => loop.close(r))
  }
})

needs(test, noChromium())('chromium renders a loopback page and receives postMessage from a popup it opened', async () => {
  const browser = await launchChromium()
  let http: HttpServer | undefined
  try {
    http = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(req.url === '/popup'
        ? '<!doctype html><script>window.opener.postMessage({ hello: 1 }, "*"); window.close()</script>'
        : `<!doctype html><title>opener</title><button id="go" onclick="window.open('/popup', 'p', 'width=400,height=300')">go</button>
           <script>window.addEventListener('message', (e) => { window.__got = e.data })</script>`)
    })
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r))
    const { port } = http.address() as AddressInfo
    const page = await browser.newPage()
    await page.goto(`http://127.0.0.1:${port}/`, { timeout: 15_000 })
    assert.is(await page.title(), 'opener')
    await page.click('#go', { timeout: 5_000 })
    const got = await page.waitForFunction(() => (window as unknown as { __got?: unknown }).__got, undefined, { timeout: 10_000 })
    assert.equal(await got.jsonValue(), { hello: 1 })
  } finally {
    await browser.close()
    if (http) {
      http.closeAllConnections()
      await new Promise((r) => http!.close(r))
    }
  }
})

test.run()
