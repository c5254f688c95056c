/**
 * "Could not be reached" says why: every way an upstream can fail before it
 * answers is a 502/504 with `upstream.reason` (`connection_refused`,
 * `dns_failure`, `tls_error`, `timeout`, `reset`, `http_status`), and the
 * request's log line carries the same reason. Each fault is a real socket:
 * a closed port, a name under `.invalid` (RFC 6761: never resolves), TLS
 * servers the gateway must not trust, a socket that is reset, one that never
 * answers, and a server that answers HTTP 503.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer as createTlsServer } from 'node:tls'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { isProblem } from './support/assert.js'
import { freePort } from './support/net.js'
import { missing, needs } from './support/components.js'
import { parseSse } from './support/sse.js'
import { startLegacyServer } from './servers/legacy.js'

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

const test = needs(suite('upstream reasons'), hasOpenssl ? null : missing('openssl', 'apt-get install openssl'))
let gw: Gateway
let alice: string
const servers: (NetServer | HttpServer)[] = []
const sockets = new Set<Socket>()
let certDir: string

async function listen<T extends NetServer | HttpServer>(s: T): Promise<number> {
  servers.push(s)
  s.on('connection', (c: Socket) => {
    sockets.add(c)
    c.on('close', () => sockets.delete(c))
  })
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  return (s.address() as AddressInfo).port
}

/** A self-signed certificate for localhost, made now (nothing trusts it). */
async function selfSigned(): Promise<{ key: Buffer; cert: Buffer }> {
  certDir = await mkdtemp(join(tmpdir(), 'tls-'))
  const key = join(certDir, 'key.pem'), cert = join(certDir, 'cert.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-days', '1'], { stdio: 'ignore' })
  return { key: await readFile(key), cert: await readFile(cert) }
}

async function add(name: string, endpoint: string, config: Record<string, unknown> = {}): Promise<string> {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name, type: 'http', endpoint, auth_type: 'none', config } })
  assert.is(r.status, 201, r.text)
  return r.json.id
}

const echo = (id: string) => gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'x' } } })
const tools = (id: string) => gw.req('GET', `/mcps/${id}/tools`, { token: alice, headers: { 'cache-control': 'no-cache' } })

/** The request log line of the last request to `path`. */
function logLine(path: string): Record<string, any> {
  const lines = gw.logs.map((l) => JSON.parse(l)).filter((l) => l.httpRequest?.requestUrl === `/api/v1${path}`)
  assert.ok(lines.length, `no log line for ${path}`)
  return lines[lines.length - 1]
}

function saysWhy(r: Res, status: number, code: string, reason: string, path: string): void {
  isProblem(r, status, code, reason)
  assert.is(r.json.upstream?.reason, reason, r.text)
  assert.is(logLine(path).upstream?.reason, reason, `log line of ${path}`)
}

test.before(async () => {
  gw = await startGateway()
  alice = await gw.token('alice')
})

test.after(async () => {
  for (const s of sockets) s.destroy()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  await gw?.close()
  if (certDir) await rm(certDir, { recursive: true, force: true })
})

test('a closed port: connection_refused, on execute and on listing', async () => {
  const id = await add('closed', `http://127.0.0.1:${await freePort()}/mcp`)
  saysWhy(await echo(id), 502, 'upstream_error', 'connection_refused', `/mcps/${id}/tools/echo/execute`)
  saysWhy(await tools(id), 502, 'upstream_error', 'connection_refused', `/mcps/${id}/tools`)
})

test('OAuth discovery that cannot reach the server says why too', async () => {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'oauth-closed', type: 'http', endpoint: `http://127.0.0.1:${await freePort()}/mcp`, auth_type: 'oauth' } })
  assert.is(r.status, 201, r.text)
  saysWhy(await gw.req('POST', `/mcps/${r.json.id}/oauth/start`, { token: alice, body: {} }), 502, 'upstream_error', 'connection_refused', `/mcps/${r.json.id}/oauth/start`)
})

test('a name that does not resolve: dns_failure', async () => {
  // RFC 6761 §6.4: .invalid never resolves; the egress guard resolves it itself, with the system resolver.
  const id = await add('nxdomain', 'https://mcp-gateway-test.invalid/mcp')
  saysWhy(await echo(id), 502, 'upstream_error', 'dns_failure', `/mcps/${id}/tools/echo/execute`)
})

test('TLS the gateway cannot trust: tls_error (a self-signed certificate, and a server that does not speak TLS)', async () => {
  const tls = createTlsServer(await selfSigned(), (s) => s.end())
  const id = await add('self-signed', `https://127.0.0.1:${await listen(tls)}/mcp`)
  saysWhy(await echo(id), 502, 'upstream_error', 'tls_error', `/mcps/${id}/tools/echo/execute`)
  const plain = createHttpServer((_req, res) => res.end('plain http'))
  const id2 = await add('plain-on-https', `https://127.0.0.1:${await listen(plain)}/mcp`)
  saysWhy(await echo(id2), 502, 'upstream_error', 'tls_error', `/mcps/${id2}/tools/echo/execute`)
})

test('a socket that is reset: reset', async () => {
  const rst = createNetServer((s) => s.once('data', () => s.resetAndDestroy()))
  const id = await add('reset', `http://127.0.0.1:${await listen(rst)}/mcp`)
  saysWhy(await echo(id), 502, 'upstream_error', 'reset', `/mcps/${id}/tools/echo/execute`)
  // Accepted, then closed without a word.
  const closing = createNetServer((s) => s.once('data', () => s.destroy()))
  const id2 = await add('closing', `http://127.0.0.1:${await listen(closing)}/mcp`)
  saysWhy(await echo(id2), 502, 'upstream_error', 'reset', `/mcps/${id2}/tools/echo/execute`)
})

test('a server that never answers: 504 timeout', async () => {
  const silent = createNetServer(() => {})
  const id = await add('silent', `http://127.0.0.1:${await listen(silent)}/mcp`, { timeout_ms: 800 })
  saysWhy(await echo(id), 504, 'upstream_timeout', 'timeout', `/mcps/${id}/tools/echo/execute`)
})

test('a server that answers an HTTP error: http_status, with the status', async () => {
  const down = createHttpServer((req, res) => {
    req.resume()
    res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance')
  })
  const id = await add('503', `http://127.0.0.1:${await listen(down)}/mcp`)
  const r = await echo(id)
  saysWhy(r, 502, 'upstream_error', 'http_status', `/mcps/${id}/tools/echo/execute`)
  assert.is(r.json.upstream.http_status, 503)
})

test('a connection dropped while a streamed execute is under way: the error event and the log line say reset', async () => {
  const legacy = await startLegacyServer()
  try {
    const id = await add('drops', legacy.url)
    const r = await gw.req('POST', `/mcps/${id}/tools/drop/execute`, { token: alice, body: {}, headers: { accept: 'text/event-stream' } })
    assert.is(r.status, 200, r.text)
    const events = parseSse(r.text)
    const error = events.find((e) => e.event === 'error')
    assert.ok(error, r.text)
    assert.is(error!.data.code, 'upstream_error', r.text)
    assert.is(error!.data.upstream?.reason, 'reset', r.text)
    assert.is(logLine(`/mcps/${id}/tools/drop/execute`).upstream?.reason, 'reset')
  } finally {
    await legacy.stop()
  }
})

test('no fault became a 500 or an unclassified failure', () => {
  assert.not.ok(gw.logs.some((l) => l.includes('"status":500')), 'a 500 was logged')
  assert.not.ok(gw.logs.some((l) => l.includes('unclassified upstream failure')), gw.logs.filter((l) => l.includes('unclassified')).join('\n'))
})

test.run()
