/**
 * Caller verification against a remote JWKS (the production path, here an
 * OIDC issuer on loopback), and the local issuer's rules.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createServer, type Server } from 'node:http'
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose'
import { startGateway, type Gateway } from './support/gateway.js'

const test = suite('caller auth')
let gw: Gateway
let jwks: Server
let jwksUp = true
let key: CryptoKey
let otherKey: CryptoKey
const ISS = 'https://issuer.test'
const AUD = 'gateway-test'

const sign = (claims: Record<string, unknown>, o: { k?: CryptoKey; iss?: string; aud?: string; exp?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(o.iss ?? ISS)
    .setAudience(o.aud ?? AUD)
    .setIssuedAt()
    .setExpirationTime(o.exp ?? '10m')
    .sign(o.k ?? key)

test.before(async () => {
  ;({ privateKey: key } = await generateKeyPair('RS256', { extractable: true }).then((p) => ({ privateKey: p.privateKey, pub: p.publicKey })).then(async (p) => {
    const jwk = { ...(await exportJWK(p.pub)), kid: 'k1', alg: 'RS256', use: 'sig' }
    jwks = createServer((req, res) => {
      if (!jwksUp) {
        req.socket.destroy()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }))
    })
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()))
    return p
  }))
  ;({ privateKey: otherKey } = await generateKeyPair('RS256'))
  const { port } = jwks.address() as { port: number }
  gw = await startGateway({ env: { AUTH_ISSUER: ISS, AUTH_AUDIENCE: AUD, AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks`, AUTH_ORG_CLAIM: 'tenant', AUTH_ADMIN_CLAIM: 'roles' } })
})

test.after(async () => {
  await gw.close()
  jwks.closeAllConnections()
  await new Promise((r) => jwks.close(r))
})

test('a token from the configured issuer is accepted and its sub owns what it creates', async () => {
  const t = await sign({ sub: 'user-1' })
  const r = await gw.req('POST', '/mcps', { token: t, body: { name: 'a', type: 'http', endpoint: 'http://127.0.0.1:9/mcp' } })
  assert.is(r.status, 201, r.text)
  assert.is(r.json.created_by, 'user-1')
})

test('org and admin come from the configured claims', async () => {
  const admin = await sign({ sub: 'u2', tenant: 'acme', roles: ['admin'] })
  const member = await sign({ sub: 'u3', tenant: 'acme', roles: ['viewer'] })
  const body = { name: 'org', type: 'http', endpoint: 'http://127.0.0.1:9/mcp', scope: 'org' }
  assert.is((await gw.req('POST', '/mcps', { token: member, body })).status, 403)
  const r = await gw.req('POST', '/mcps', { token: admin, body })
  assert.is(r.status, 201, r.text)
  assert.is(r.json.org_id, 'acme')
  const seen = await gw.req('GET', `/mcps/${r.json.id}`, { token: member })
  assert.is(seen.status, 200)
})

test('wrong audience, wrong issuer, expired, foreign key, alg none and garbage are all 401', async () => {
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', iss: ISS, aud: AUD, exp: 9e9 })).toString('base64url')}.`
  const bad = [
    await sign({ sub: 'x' }, { aud: 'other' }),
    await sign({ sub: 'x' }, { iss: 'https://evil.test' }),
    await sign({ sub: 'x' }, { exp: '-5m' }),
    await sign({ sub: 'x' }, { k: otherKey }),
    await sign({}),
    none,
    'garbage',
    await gw.token('alice'),
  ]
  for (const t of bad) {
    const r = await gw.req('GET', '/mcps', { token: t })
    assert.is(r.status, 401, t.slice(0, 30))
    assert.is(r.json.code, 'unauthenticated')
    assert.match(r.headers.get('content-type') ?? '', 'application/problem+json')
  }
  const r = await gw.req('GET', '/mcps', { headers: { authorization: 'Basic dXNlcjpwYXNz' } })
  assert.is(r.status, 401)
})

test('the Bearer scheme is case-insensitive (RFC 7235 §2.1): bearer, BEARER and Bearer are one', async () => {
  const t = await sign({ sub: 'user-case' })
  for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
    const r = await gw.req('GET', '/mcps', { headers: { authorization: `${scheme} ${t}` } })
    assert.is(r.status, 200, `${scheme}: ${r.text}`)
  }
  // The scheme, not the token: a token is not a scheme, and Basic is not Bearer in any case.
  assert.is((await gw.req('GET', '/mcps', { headers: { authorization: `basic ${t}` } })).status, 401)
  assert.is((await gw.req('GET', '/mcps', { headers: { authorization: t } })).status, 401)
})

test('tokens never appear in logs', async () => {
  const t = await sign({ sub: 'user-9' })
  await gw.req('GET', '/mcps', { token: t })
  assert.not.ok(gw.logs.some((l) => l.includes(t.split('.')[2]!)))
})

test('an unreachable JWKS with no cached keys is 503, not 401', async () => {
  // A fresh gateway: the first one has the keys cached already.
  await gw.close()
  jwksUp = false
  const { port } = jwks.address() as { port: number }
  gw = await startGateway({ env: { AUTH_ISSUER: ISS, AUTH_AUDIENCE: AUD, AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks` } })
  const r = await gw.req('GET', '/mcps', { token: await sign({ sub: 'x' }) })
  assert.is(r.status, 503, r.text)
  assert.is(r.json.code, 'unavailable')
  jwksUp = true
})

test.run()
