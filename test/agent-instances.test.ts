/**
 * Personal access tokens across instances (issue 16): two gateway processes
 * share one Firestore (the official emulator); a token made on one works on
 * the other's MCP endpoint, and once revoked on the first stops working on
 * the second within the verdict cache's time (TOKEN_CACHE_MS). A 2025
 * session opened on one instance goes on on the other.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { randomUUID } from 'node:crypto'
import { needs } from './support/components.js'
import { noEmulator, startFirestoreEmulator, type FirestoreEmulator } from './support/firestore-emulator.js'
import { spawnGateway, type GatewayProc } from '../bench/gateway-proc.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { TOKEN_CACHE_MS } from '../shared/tokens/verify.js'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { SESSION_CHECK_MS } from '../shared/agent/session.js'

const emu: FirestoreEmulator | null = await startFirestoreEmulator()
const test = needs(suite('agent tokens across instances'), emu ? null : noEmulator())
let one: GatewayProc
let two: GatewayProc
let up: LegacyServerHandle

test.before(async () => {
  const env = { STORE: 'firestore', GOOGLE_CLOUD_PROJECT: emu!.projectId, FIRESTORE_EMULATOR_HOST: emu!.host, COLLECTION_PREFIX: `a${randomUUID().slice(0, 8)}_` }
  ;[one, two, up] = await Promise.all([spawnGateway(env), spawnGateway(env), startLegacyServer()])
})
test.after(async () => {
  await Promise.allSettled([one?.stop(), two?.stop(), up?.stop()])
  await emu?.stop()
})

const ping = (base: string, id: string, token: string) =>
  fetch(`${base}/mcps/${id}/mcp`, {
    method: 'POST', signal: AbortSignal.timeout(15_000),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  }).then(async (r) => ({ status: r.status, text: await r.text() }))

test('a token revoked on one instance stops working on another within the cache time', async () => {
  const alice = await one.token('alice')
  const h = { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }
  const cfg = await fetch(`${one.base}/mcps`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'up', type: 'http', endpoint: up.url }) }).then((r) => r.json())
  const tok = await fetch(`${one.base}/tokens`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'agent' }) }).then((r) => r.json())
  assert.match(tok.token, /^mgw_/)
  const before = await ping(two.base, cfg.id, tok.token)
  assert.is(before.status, 200, before.text)
  const del = await fetch(`${one.base}/tokens/${tok.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${alice}` } })
  assert.is(del.status, 204)
  // Until the cache time has passed, two may still let the token in (its verdict is cached); a request
  // that starts after it is refused, however long requests take on a busy machine.
  const t0 = Date.now()
  let status = 0
  let at = 0
  while (status !== 401) {
    at = Date.now() - t0
    status = (await ping(two.base, cfg.id, tok.token)).status
    assert.ok(status === 200 || status === 401, String(status))
    if (at > TOKEN_CACHE_MS + 500) break
    if (status === 200) await new Promise((r) => setTimeout(r, 250))
  }
  assert.is(status, 401, `a request started ${at} ms after the revocation was let in`)
})

test('a 2025 session opened on one instance is taken up by the other; once closed there, it is gone on both', async () => {
  const alice = await one.token('alice')
  const h = { authorization: `Bearer ${alice}`, 'content-type': 'application/json' }
  const cfg = await fetch(`${one.base}/mcps`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'up2', type: 'http', endpoint: up.url, config: { tool_policy: { mode: 'open' } } }) }).then((r) => r.json())
  // The load balancer: initialize on one, everything after it on two.
  let target = one
  const seen: string[] = []
  const fetchVia = (url: string | URL | Request, init?: RequestInit) => {
    const u = new URL(String(url))
    const to = new URL(target.base)
    u.host = to.host
    seen.push(`${target === one ? 'one' : 'two'} ${init?.method}`)
    return fetch(u, init)
  }
  // A personal access token (in the shared store): each local instance signs ID tokens with a key of its own.
  const pat = (await fetch(`${one.base}/tokens`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'moving agent' }) }).then((x) => x.json())).token as string
  const c = new Client({ name: 'agent', version: '1' })
  const transport = new StreamableHTTPClientTransport(new URL(`${one.base}/mcps/${cfg.id}/mcp`), { fetch: fetchVia as never, requestInit: { headers: { authorization: `Bearer ${pat}` } } })
  await c.connect(transport as never)
  const sid = transport.sessionId
  assert.ok(sid)
  target = two
  const tools = await c.listTools()
  assert.ok(tools.tools.some((t) => t.name === 'echo'))
  const r = await c.callTool({ name: 'echo', arguments: { message: 'moved' } })
  assert.match(JSON.stringify(r.content), /moved/)
  assert.is(transport.sessionId, sid, 'the same session')
  assert.ok(seen.some((x) => x.startsWith('two POST')), seen.join())
  await transport.terminateSession()
  // one held the session in memory: it learns of the close within SESSION_CHECK_MS.
  const t0 = Date.now()
  let status = 0
  while (Date.now() - t0 < SESSION_CHECK_MS + 10_000) {
    const after = await fetch(`${one.base}/mcps/${cfg.id}/mcp`, {
      method: 'POST', headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sid!, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    })
    await after.text()
    status = after.status
    if (status === 404) break
    await new Promise((res) => setTimeout(res, 250))
  }
  assert.is(status, 404)
  await c.close().catch(() => {})
})

test.run()
