/**
 * The HTTP layer every function shares (shared/http.ts), through the whole
 * gateway in local mode: bodies that are not a JSON object, size limits,
 * routing (404, 405, percent-encoding), caller authentication with messages a
 * person can act on, and a client that goes away mid-request.
 */
import { request } from 'node:http'
import { connect } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { SignJWT, generateKeyPair, importJWK } from 'jose'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { isProblem } from './support/assert.js'
import { loadOrCreateLocalKey } from '../shared/auth/local-key.js'
import type { McpConfig } from '../shared/registry/model.js'

const ENDPOINT = 'https://mcp.example.com/mcp'
const ok = { name: 'ok', type: 'http', endpoint: ENDPOINT }
const JSON_CT = { 'content-type': 'application/json' }
const long = (n: number) => 'a'.repeat(n)

interface Ctx {
  gw: Gateway
  user: string
  token: string
  logFrom: number
}

let users = 0
async function boot(ctx: Ctx) {
  ctx.gw = await startGateway()
}
async function fresh(ctx: Ctx) {
  ctx.user = `hana${++users}`
  ctx.token = await ctx.gw.token(ctx.user)
  ctx.logFrom = ctx.gw.logs.length
}
const call = (ctx: Ctx, method: string, path: string, o: Parameters<Gateway['req']>[2] = {}): Promise<Res> =>
  ctx.gw.req(method, path, { token: ctx.token, ...o })
const mine = async (ctx: Ctx) => (await (await ctx.gw.deps.store()).list<McpConfig>('mcps', { where: { field: 'tenant', in: [`u:${ctx.user}`] }, limit: 100 })).items
async function createOk(ctx: Ctx): Promise<string> {
  const r = await call(ctx, 'POST', '/mcps', { body: ok })
  assert.is(r.status, 201, r.text)
  return r.json.id
}

// ---------------------------------------------------------------------------
interface Bad { label: string; raw?: string | Buffer; headers?: Record<string, string>; status?: number; code?: string; path?: string }

/** Bodies that are not an object at all, or not JSON. */
const badEnvelope: Bad[] = [
  { label: 'body a JSON string', raw: '"hello"', headers: JSON_CT, path: '/' },
  { label: 'body a JSON number', raw: '42', headers: JSON_CT, path: '/' },
  { label: 'body true', raw: 'true', headers: JSON_CT, path: '/' },
  { label: 'body an array', raw: JSON.stringify([ok]), headers: JSON_CT, path: '/' },
  { label: 'body null', raw: 'null', headers: JSON_CT, path: '/' },
  { label: 'body empty', path: '/' },
  { label: 'body invalid JSON', raw: '{"name": "x",', headers: JSON_CT },
  { label: 'body with trailing garbage', raw: JSON.stringify(ok) + 'x', headers: JSON_CT },
  { label: 'body invalid UTF-8 JSON', raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), headers: JSON_CT },
  { label: 'content type text/plain', raw: JSON.stringify(ok), headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
  { label: 'content type form', raw: 'name=x&type=http', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { label: 'content type missing', raw: Buffer.from(JSON.stringify(ok)), status: 415, code: 'unsupported_media_type' },
  { label: 'content type application/jsonx', raw: JSON.stringify(ok), headers: { 'content-type': 'application/jsonx' }, status: 415, code: 'unsupported_media_type' },
  { label: 'body over 1 MiB', raw: JSON.stringify({ ...ok, name: long((1 << 20) + 1) }), headers: JSON_CT, status: 413, code: 'payload_too_large' },
]

const bodies = suite<Ctx>('http bodies and limits', {} as Ctx)
bodies.before(boot)
bodies.before.each(fresh)
bodies.after(async (ctx) => ctx.gw.close())

bodies('POST and PATCH: a body that is not a JSON object is refused with a stable code, and nothing is stored', async (ctx) => {
  const id = await createOk(ctx)
  const before = await mine(ctx)
  for (const c of badEnvelope) {
    for (const [m, p] of [['POST', '/mcps'], ['PATCH', `/mcps/${id}`]] as const) {
      const r = await call(ctx, m, p, { raw: c.raw, headers: c.headers })
      isProblem(r, c.status ?? 400, c.code ?? 'invalid_request', { path: c.path, label: `${m} ${c.label}` })
    }
  }
  assert.equal(await mine(ctx), before)
})

bodies('routes whose body may be left out still refuse a body that is JSON null (left out is not null)', async (ctx) => {
  const id = await createOk(ctx)
  const routes = [`/mcps/${id}/tools/echo/execute`, `/mcps/${id}/prompts/p/get`, `/mcps/${id}/upgrade`, `/mcps/${id}/oauth/start`, `/mcps/${id}/oauth/complete`]
  for (const p of routes) {
    const r = await call(ctx, 'POST', p, { raw: 'null', headers: JSON_CT })
    isProblem(r, 400, 'invalid_request', { path: '/', label: `POST ${p} null` })
  }
})

bodies('a body over the limit streamed without Content-Length is 413 too', async (ctx) => {
  const url = new URL(`${ctx.gw.base}/mcps`)
  const { status, type, body } = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      let b = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (b += d))
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: b }))
    })
    req.on('error', reject)
    const chunk = '{"name":"' + long(64 * 1024)
    let sent = 0
    const pump = () => {
      while (sent < 20) {
        sent++
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      req.end('"}')
    }
    pump()
  })
  assert.is(status, 413, body)
  assert.match(type, /^application\/problem\+json/)
  assert.is(JSON.parse(body).code, 'payload_too_large')
  assert.equal(await mine(ctx), [])
})

bodies('a body of exactly the limit is read (and judged on its content)', async (ctx) => {
  const pad = (1 << 20) - JSON.stringify({ ...ok, name: '' }).length
  const r = await call(ctx, 'POST', '/mcps', { raw: JSON.stringify({ ...ok, name: long(pad) }), headers: JSON_CT })
  isProblem(r, 400, 'invalid_request', { path: '/name' })
})

bodies('a client that goes away while sending its body is logged as cancelled (499), not as an error', async (ctx) => {
  const { port } = new URL(ctx.gw.url)
  const sock = connect(Number(port), '127.0.0.1')
  await new Promise<void>((r) => sock.once('connect', () => r()))
  // Expect: 100-continue makes the server say when it has the request head: then send a part of the body and go.
  const continued = new Promise<void>((r) => sock.once('data', () => r()))
  sock.write(`POST /api/v1/mcps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ctx.token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n`)
  await continued
  await new Promise<void>((r) => sock.write('{"name":', () => r()))
  sock.destroy()
  // The request is logged once the gateway gave up on it: wait for that line.
  const line = () => ctx.gw.logs.slice(ctx.logFrom).find((l) => l.includes('"POST /api/v1/mcps '))
  const deadline = Date.now() + 5000
  while (!line() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  const l = JSON.parse(line() ?? '{}')
  assert.is(l.httpRequest?.status, 499, line())
  assert.is(l.code, 'cancelled')
  assert.not.ok(ctx.gw.logs.slice(ctx.logFrom).some((x) => x.includes('unhandled')), 'an unhandled error was logged')
  assert.equal(await mine(ctx), [])
})

bodies.run()

// ---------------------------------------------------------------------------
const routing = suite<Ctx>('http routing', {} as Ctx)
routing.before(boot)
routing.before.each(fresh)
routing.after(async (ctx) => ctx.gw.close())

routing('a malformed percent-encoded id is 400, not 500', async (ctx) => {
  for (const [m, p] of [
    ['GET', '/mcps/%E0%A4%A'], ['PATCH', '/mcps/%ZZ'], ['DELETE', '/mcps/%'], ['GET', '/mcps/%C0%80'],
    ['GET', '/mcps/%E0%A4%A/tools'], ['POST', '/mcps/%FF/tools/echo/execute'], ['POST', '/mcps/x/prompts/%E0/get'],
  ] as const) {
    const r = await call(ctx, m, p, m === 'GET' || m === 'DELETE' ? {} : { body: { name: 'x' } })
    isProblem(r, 400, 'invalid_request', `${m} ${p}`)
  }
})

routing('unknown paths are 404 and unsupported methods 405 (with Allow), as problem+json', async (ctx) => {
  for (const p of ['/nope', '/mcps/a/b', '/mcps/a/tools/b', '/mcpx', '/mcps/', '/MCPS']) {
    isProblem(await call(ctx, 'GET', p), 404, 'not_found', p)
  }
  isProblem(await call(ctx, 'GET', `${ctx.gw.url}/elsewhere`), 404, 'not_found')
  for (const [m, p, allow] of [
    ['PUT', '/mcps', 'POST, GET'], ['DELETE', '/mcps', 'POST, GET'], ['PATCH', '/mcps', 'POST, GET'],
    ['PUT', '/mcps/abc', 'GET, PATCH, DELETE'], ['POST', '/mcps/abc', 'GET, PATCH, DELETE'],
    ['DELETE', '/mcps/abc/tools', 'GET'], ['GET', '/mcps/abc/tools/echo/execute', 'POST'],
  ] as const) {
    const r = await call(ctx, m, p)
    isProblem(r, 405, 'method_not_allowed', `${m} ${p}`)
    assert.is(r.headers.get('allow'), allow, `${m} ${p}`)
  }
})

routing.run()

// ---------------------------------------------------------------------------
interface AuthCtx extends Ctx {
  /** [label, Authorization header, what the message must say] */
  bad: [string, string | undefined, RegExp][]
}

const auth = suite<AuthCtx>('http caller authentication', {} as AuthCtx)
auth.before(async (ctx) => {
  await boot(ctx)
  const cfg = ctx.gw.deps.config
  const local = await loadOrCreateLocalKey(ctx.gw.dataDir)
  const ours = await importJWK(local.privateJwk, 'ES256')
  const other = await generateKeyPair('ES256')
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const claims = { sub: 'alice', iss: cfg.auth.issuer, aud: cfg.auth.audience, iat: now, exp: now + 600 }
  const sign = (c: Record<string, unknown>, key = ours as CryptoKey | Uint8Array, alg = 'ES256') =>
    new SignJWT(c).setProtectedHeader({ alg, kid: local.kid, typ: 'JWT' }).sign(key)
  const { sub: _s, ...noSub } = claims
  const { exp: _e, ...noExp } = claims
  const good = await ctx.gw.token('alice')
  const NONE = /No ID token was sent/
  const MALFORMED = /malformed/
  ctx.bad = [
    ['no Authorization header', undefined, NONE],
    ['an empty bearer', 'Bearer ', NONE],
    ['garbage', 'Bearer garbage', MALFORMED],
    ['three garbage segments', 'Bearer aaa.bbb.ccc', MALFORMED],
    ['Basic credentials', `Basic ${Buffer.from('alice:pw').toString('base64')}`, /must be "Bearer <ID token>"/],
    ['the token without Bearer', good, /must be "Bearer <ID token>"/],
    ['the token twice', `Bearer ${good} ${good}`, MALFORMED],
    ['a token signed by another key', `Bearer ${await sign(claims, other.privateKey)}`, /signature does not verify/],
    ['a token for another audience', `Bearer ${await sign({ ...claims, aud: 'someone-else' })}`, /another audience/],
    ['a token from another issuer', `Bearer ${await sign({ ...claims, iss: 'https://evil.example' })}`, /another issuer/],
    ['an expired token', `Bearer ${await ctx.gw.token('alice', { ttlSec: -120 })}`, /has expired/],
    ['a token not valid yet', `Bearer ${await sign({ ...claims, nbf: now + 3600 })}`, /not valid yet/],
    ['a token without sub', `Bearer ${await sign(noSub)}`, /no "sub" claim/],
    ['a token without exp', `Bearer ${await sign(noExp)}`, /no "exp" claim/],
    ['a token with an unusable sub', `Bearer ${await sign({ ...claims, sub: 'alice bob/..' })}`, /no usable subject/],
    ['alg none, unsigned', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`, MALFORMED],
    ['alg none, with a fake signature', `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.AAAA`, /algorithm this gateway does not accept|invalid/],
    ['HS256 keyed with the public key', `Bearer ${await sign(claims, new TextEncoder().encode(JSON.stringify(local.publicJwk)), 'HS256')}`, /algorithm this gateway does not accept/],
    ['a signature from another token', `Bearer ${(await sign({ ...claims, sub: 'mallory' })).split('.').slice(0, 2).join('.')}.${good.split('.')[2]}`, /signature does not verify/],
    ['a header that is not JSON', `Bearer ${Buffer.from('not json').toString('base64url')}.${b64(claims)}.AAAA`, MALFORMED],
  ]
})
auth.before.each(fresh)
auth.after(async (ctx) => ctx.gw.close())

auth('every registry endpoint answers 401 problem+json, saying what is wrong, to a missing, malformed, forged or expired token', async (ctx) => {
  const id = await createOk(ctx)
  const before = (await (await ctx.gw.deps.store()).get<McpConfig>('mcps', id))!.version
  const count = (await mine(ctx)).length
  const endpoints: [string, string, unknown?][] = [
    ['POST', '/mcps', ok], ['GET', '/mcps'], ['GET', `/mcps/${id}`],
    ['PATCH', `/mcps/${id}`, { name: 'hijacked' }], ['DELETE', `/mcps/${id}`],
  ]
  for (const [label, authorization, says] of ctx.bad) {
    for (const [m, p, body] of endpoints) {
      const r = await ctx.gw.req(m, p, { body, headers: authorization === undefined ? {} : { authorization } })
      isProblem(r, 401, 'unauthenticated', `${label}: ${m} ${p}`)
      assert.match(r.json.detail, says, `${label}: ${r.json.detail}`)
      assert.not.ok('items' in (r.json ?? {}), label)
    }
  }
  assert.is((await mine(ctx)).length, count)
  assert.is((await (await ctx.gw.deps.store()).get<McpConfig>('mcps', id))!.version, before)
  // Not even the signature of a token shows up in a log line.
  const logs = ctx.gw.logs.slice(ctx.logFrom).join('\n')
  for (const [label, authorization] of ctx.bad) {
    const jwt = authorization?.replace(/^Bearer /, '') ?? ''
    const sig = jwt.split('.')[2] ?? ''
    if (sig.length > 8) assert.not.ok(logs.includes(sig), `${label}: its signature was logged`)
  }
  assert.not.ok(logs.includes(ctx.token.split('.')[2]!))
})

auth.run()
