/**
 * Service tokens between the gateway and the pool: locally signed in local
 * mode; in production fetched from the metadata server (cached) and verified
 * as Google ID tokens for the pool's audience, with the invoker allow-list.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createServer, type Server } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT, exportJWK, generateKeyPair, createLocalJWKSet, importJWK, type JWTVerifyGetKey } from 'jose'
import { makeDeps } from '../shared/deps.js'
import { parseConfig } from '../shared/config.js'
import { serviceToken, verifyServiceToken, LOCAL_SERVICE_ISSUER } from '../shared/auth/service-token.js'
import { devToken } from '../shared/auth/dev-token.js'
import { loadOrCreateLocalKey } from '../shared/auth/local-key.js'
import { rejects } from './support/assert.js'

const test = suite('pool service auth')
let dataDir: string
const clock = { t: Date.now(), now: () => clock.t }
let meta: Server
let metaUrl: string
const seen: { flavor?: string; url: string }[] = []
let metaStatus = 200
let google: { sign(claims: Record<string, unknown>, aud?: string): Promise<string>; keys: JWTVerifyGetKey }
const AUD = 'https://pool-abc-uc.a.run.app'

test.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pool-auth-'))
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'g1', alg: 'RS256' }
  google = {
    keys: createLocalJWKSet({ keys: [jwk] }),
    sign: (claims, aud = AUD) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'g1' }).setIssuer('https://accounts.google.com').setAudience(aud)
        .setSubject('1234567890').setIssuedAt(Math.floor(clock.t / 1000)).setExpirationTime(Math.floor(clock.t / 1000) + 3600).sign(privateKey),
  }
  meta = createServer(async (req, res) => {
    seen.push({ flavor: req.headers['metadata-flavor'] as string, url: req.url! })
    const aud = new URL(req.url!, 'http://x').searchParams.get('audience')!
    res.writeHead(metaStatus).end(metaStatus === 200 ? await google.sign({ email: 'gw@p.iam.gserviceaccount.com', email_verified: true }, aud) : 'no')
  })
  await new Promise<void>((r) => meta.listen(0, '127.0.0.1', () => r()))
  metaUrl = `http://127.0.0.1:${(meta.address() as { port: number }).port}/identity`
})

test.after(async () => {
  meta.closeAllConnections()
  await new Promise((r) => meta.close(r))
  await rm(dataDir, { recursive: true, force: true })
})

const local = () => makeDeps(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir }), { clock })
const prod = (env: Record<string, string> = {}) => makeDeps(parseConfig({ GOOGLE_CLOUD_PROJECT: 'p', POOL_URL: AUD, ...env }), { clock })
const unauth = (e: any) => e.code === 'unauthenticated' && e.status === 401

test('local: a cached ES256 token under its own issuer, for the pool audience', async () => {
  const d = local()
  assert.is(d.config.poolAudience, 'http://127.0.0.1:8080')
  const t1 = await serviceToken(d, d.config.poolAudience!)
  assert.is(await serviceToken(d, d.config.poolAudience!), t1, 'cached')
  const claims = JSON.parse(Buffer.from(t1.split('.')[1]!, 'base64url').toString())
  assert.is(claims.iss, LOCAL_SERVICE_ISSUER)
  assert.is(claims.sub, 'gateway')
  assert.is(claims.exp - claims.iat, 600)
  await verifyServiceToken(d, `Bearer ${t1}`)
  clock.t += 6 * 60_000
  const t2 = await serviceToken(d, d.config.poolAudience!)
  assert.is.not(t2, t1, 'renewed five minutes before expiry')
  clock.t += 5 * 60_000
  await rejects(() => verifyServiceToken(d, `Bearer ${t1}`), unauth)
  await verifyServiceToken(d, `Bearer ${t2}`)
})

test('the Bearer scheme of a service token is case-insensitive (RFC 7235 §2.1)', async () => {
  const d = local()
  const t = await serviceToken(d, d.config.poolAudience!)
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) await verifyServiceToken(d, `${scheme} ${t}`)
  await rejects(() => verifyServiceToken(d, `Basic ${t}`), unauth)
})

test('local: user tokens, other audiences, other subjects and no token are refused', async () => {
  const d = local()
  await rejects(() => verifyServiceToken(d, undefined), unauth)
  await rejects(async () => verifyServiceToken(d, `Bearer ${await devToken(d.config, { user: 'gateway' })}`), unauth)
  await rejects(async () => verifyServiceToken(d, `Bearer ${await serviceToken(d, 'http://127.0.0.1:9999')}`), unauth)
  const key = await loadOrCreateLocalKey(dataDir)
  const other = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuer(LOCAL_SERVICE_ISSUER).setSubject('alice')
    .setAudience(d.config.poolAudience!).setIssuedAt(Math.floor(clock.t / 1000)).setExpirationTime(Math.floor(clock.t / 1000) + 600).sign(await importJWK(key.privateJwk, 'ES256'))
  await rejects(() => verifyServiceToken(d, `Bearer ${other}`), unauth)
})

test('production: the metadata server gives the ID token, fetched once and cached', async () => {
  const d = prod()
  seen.length = 0
  const t1 = await serviceToken(d, AUD, { metadataUrl: metaUrl })
  const t2 = await serviceToken(d, AUD, { metadataUrl: metaUrl })
  assert.is(t1, t2)
  assert.is(seen.length, 1)
  assert.is(seen[0]!.flavor, 'Google')
  assert.is(seen[0]!.url, `/identity?audience=${encodeURIComponent(AUD)}&format=full`)
  metaStatus = 500
  await rejects(() => serviceToken(d, 'https://other.example', { metadataUrl: metaUrl }), (e) => e.code === 'unavailable')
  metaStatus = 200
})

test('production: Google ID tokens for the audience, from allowed invokers only', async () => {
  const ok = await google.sign({ email: 'gw@p.iam.gserviceaccount.com', email_verified: true })
  const o = { googleKeys: google.keys }
  await verifyServiceToken(prod(), `Bearer ${ok}`, o)
  await verifyServiceToken(prod({ POOL_INVOKERS: 'x@y.z, GW@p.iam.gserviceaccount.com' }), `Bearer ${ok}`, o)
  await rejects(() => verifyServiceToken(prod({ POOL_INVOKERS: 'x@y.z' }), `Bearer ${ok}`, o), unauth)
  const unverified = await google.sign({ email: 'gw@p.iam.gserviceaccount.com', email_verified: false })
  await rejects(() => verifyServiceToken(prod({ POOL_INVOKERS: 'gw@p.iam.gserviceaccount.com' }), `Bearer ${unverified}`, o), unauth)
  await rejects(async () => verifyServiceToken(prod(), `Bearer ${await google.sign({}, 'https://elsewhere.example')}`, o), unauth)
  // A locally signed token is no Google token.
  await rejects(async () => verifyServiceToken(prod(), `Bearer ${await serviceToken(local(), AUD)}`, o), unauth)
})

test('config: pool defaults and checks', () => {
  const c = parseConfig({ GATEWAY_MODE: 'local', PORT: '9000' })
  assert.is(c.poolUrl, 'http://127.0.0.1:9000')
  assert.is(c.poolAudience, c.poolUrl)
  assert.is(c.stdioCatalog, null)
  assert.is(c.poolMaxProcesses, 50)
  assert.match(c.poolDataDir, /\/mcp-gateway-pool$/)
  const p = parseConfig({ POOL_URL: 'https://pool.example/', POOL_AUDIENCE: 'aud', POOL_INVOKERS: 'a@b.c', POOL_MAX_PROCESSES: '5', STDIO_CATALOG: '/c.json' })
  assert.equal([p.poolUrl, p.poolAudience, p.poolInvokers, p.poolMaxProcesses, p.stdioCatalog], ['https://pool.example', 'aud', ['a@b.c'], 5, '/c.json'])
  assert.is(parseConfig({}).poolUrl, null)
  assert.throws(() => parseConfig({ POOL_URL: 'http://pool.example' }), /POOL_URL/)
  assert.throws(() => parseConfig({ POOL_MAX_PROCESSES: '0' }), /POOL_MAX_PROCESSES/)
})

test.run()
