/**
 * Proves the upstream test servers (test/servers/*, test/support/everything.ts)
 * behave as the gateway tests expect, using the v2 client.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  Client,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  SSEClientTransport,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { BASE_TOOL_NAMES, DELIBERATE_ERROR_CODE, PAGE_SIZE, type RecordedRequest, type TestServerHandle } from './servers/tools.js'
import { startEverything } from './support/everything.js'
import { rejects } from './support/assert.js'

type Mode = 'legacy' | 'auto'
const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26']
const MODERN_VERSION = '2026-07-28'

let legacy: LegacyServerHandle
let modern: ModernServerHandle
const clients: Client[] = []

async function connect(url: string, mode: Mode = 'legacy', headers?: Record<string, string>): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'servers-test', version: '1.0.0' }, { versionNegotiation: { mode } })
  const transport = new StreamableHTTPClientTransport(new URL(url), headers ? { requestInit: { headers } } : undefined)
  clients.push(client)
  await client.connect(transport)
  return { client, transport }
}

const posts = (reqs: RecordedRequest[]) => reqs.filter((r) => r.method === 'POST')
const postMethods = (reqs: RecordedRequest[]) => posts(reqs).map((r) => r.jsonrpcMethods.join(','))
const textOf = (r: unknown) => ((r as { content: { type: string; text: string }[] }).content[0]?.text)

test.before(async () => {
  legacy = await startLegacyServer({ toolCount: 120 })
  modern = await startModernServer({ toolCount: 120 })
})

test.before.each(() => {
  legacy.reset()
  modern.reset()
})

test.after.each(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()))
})

test.after(async () => {
  await Promise.allSettled([legacy?.stop(), modern?.stop()])
})

// ---------------------------------------------------------------------------

test('legacy server: 2025 handshake with Mcp-Session-Id; echo works', async () => {
  const { client, transport } = await connect(legacy.url)
  const version = client.getNegotiatedProtocolVersion()
  assert.ok(version && LEGACY_VERSIONS.includes(version), `negotiated ${version}`)
  assert.is(client.getProtocolEra(), 'legacy')
  const sid = transport.sessionId
  assert.type(sid, 'string')
  assert.ok(legacy.sessionIds().includes(sid!))

  const r = await client.callTool({ name: 'echo', arguments: { message: 'hi' } })
  assert.is(textOf(r), 'Echo: hi')

  // initialize (no session yet) + initialized + call: 3 POSTs; the session id is reused on every later request.
  assert.equal(postMethods(legacy.requests), ['initialize', 'notifications/initialized', 'tools/call'])
  const [init, ...rest] = legacy.requests
  assert.is(init!.headers['mcp-session-id'], undefined)
  for (const r of rest) assert.is(r.headers['mcp-session-id'], sid, `${r.method} ${r.jsonrpcMethods}`)
  assert.is(posts(rest).at(-1)!.headers['mcp-protocol-version'], version)
})

test('legacy server: an older requested version is honoured (2025-03-26 via raw initialize)', async () => {
  const res = await fetch(legacy.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }),
  })
  assert.is(res.status, 200)
  assert.type(res.headers.get('mcp-session-id'), 'string')
  const body = await res.text()
  assert.match(body, /"protocolVersion":"2025-03-26"/)
})

test('legacy server: auto negotiation falls back to initialize (discover probe + 2025 handshake)', async () => {
  const { client } = await connect(legacy.url, 'auto')
  assert.is(client.getProtocolEra(), 'legacy')
  assert.is(textOf(await client.callTool({ name: 'echo', arguments: { message: 'x' } })), 'Echo: x')
  assert.equal(postMethods(legacy.requests), ['server/discover', 'initialize', 'notifications/initialized', 'tools/call'])
})

test('modern server: auto negotiation picks 2026-07-28; connect + call = 2 POSTs, none with a session', async () => {
  const { client, transport } = await connect(modern.url, 'auto')
  assert.is(client.getNegotiatedProtocolVersion(), MODERN_VERSION)
  assert.is(client.getProtocolEra(), 'modern')
  assert.is(transport.sessionId, undefined)
  const r = await client.callTool({ name: 'echo', arguments: { message: 'hi' } })
  assert.is(textOf(r), 'Echo: hi')
  assert.equal(postMethods(modern.requests), ['server/discover', 'tools/call'])
  assert.is(modern.requests.length, 2, 'no GET stream on the modern era')
  for (const r of modern.requests) {
    assert.is(r.headers['mcp-session-id'], undefined)
    assert.is(r.headers['mcp-protocol-version'], MODERN_VERSION)
  }
  // The per-request envelope travels in params._meta.
  const call = modern.requests[1]!.body as { params: { _meta?: Record<string, unknown> } }
  assert.is(call.params._meta?.['io.modelcontextprotocol/protocolVersion'], MODERN_VERSION)
})

test('modern server: a cached discover result (prior) makes connect + call 1 POST', async () => {
  const first = await connect(modern.url, 'auto')
  const discover = first.client.getDiscoverResult()
  assert.ok(discover)
  modern.reset()

  const client = new Client({ name: 'servers-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } })
  clients.push(client)
  await client.connect(new StreamableHTTPClientTransport(new URL(modern.url)), { prior: { kind: 'modern', discover: discover! } })
  assert.is(client.getNegotiatedProtocolVersion(), MODERN_VERSION)
  assert.is(textOf(await client.callTool({ name: 'echo', arguments: { message: 'p' } })), 'Echo: p')
  assert.equal(postMethods(modern.requests), ['tools/call'])
})

test('modern server: a 2025 client gets the stateless legacy leg (3 POSTs, no session, GET answered 405)', async () => {
  const { client, transport } = await connect(modern.url, 'legacy')
  const version = client.getNegotiatedProtocolVersion()
  assert.ok(version && LEGACY_VERSIONS.includes(version), `negotiated ${version}`)
  assert.is(transport.sessionId, undefined)
  assert.is(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hi' } })), 'Echo: hi')
  assert.equal(postMethods(modern.requests), ['initialize', 'notifications/initialized', 'tools/call'])
})

test('pagination: tools/list pages by 50 on both servers and the client collects them all', async () => {
  for (const [name, server, mode] of [['legacy', legacy, 'legacy'], ['modern', modern, 'auto']] as const) {
    server.reset()
    const { client } = await connect(server.url, mode)
    const all = await client.listTools()
    assert.is(all.tools.length, BASE_TOOL_NAMES.length + 120, name)
    assert.equal(all.tools.slice(0, BASE_TOOL_NAMES.length).map((t) => t.name), BASE_TOOL_NAMES, name)
    assert.is(all.tools.at(-1)!.name, 't120', name)
    assert.is(posts(server.requests).filter((r) => r.jsonrpcMethods.includes('tools/list')).length, 3, `${name}: 128 tools = 3 pages`)

    // An explicit cursor fetches one raw page.
    const page2 = await client.listTools({ cursor: String(PAGE_SIZE) })
    assert.is(page2.tools.length, PAGE_SIZE, name)
    assert.is(page2.nextCursor, String(2 * PAGE_SIZE), name)
    const err = await rejects(() => client.listTools({ cursor: 'bogus' }))
    assert.ok(err instanceof ProtocolError, `${name}: ${err}`)
    assert.is((err as ProtocolError).code, -32602)
  }
})

test('requests: headers are recorded lower-cased; the bearer wall answers 401 with resource_metadata', async () => {
  const guarded = await startModernServer({ requireBearer: 'upstream-token' })
  const guardedLegacy = await startLegacyServer({ requireBearer: 'upstream-token' })
  try {
    for (const s of [guarded, guardedLegacy] as TestServerHandle[]) {
      const origin = new URL(s.url).origin
      const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      assert.is(res.status, 401)
      assert.is(res.headers.get('www-authenticate'), `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource"`)

      // v2 client without an auth provider: SdkHttpError with status 401.
      const legacyErr = await rejects(() => connect(s.url, 'legacy'))
      assert.ok(legacyErr instanceof SdkHttpError, String(legacyErr))
      assert.is((legacyErr as SdkHttpError).status, 401)
      const autoErr = await rejects(() => connect(s.url, 'auto'))
      assert.ok(autoErr instanceof SdkHttpError, String(autoErr))
      assert.is((autoErr as SdkHttpError).status, 401)
      assert.is((autoErr as SdkHttpError).code, SdkErrorCode.ClientHttpAuthentication)

      s.reset()
      const { client } = await connect(s.url, 'auto', { Authorization: 'Bearer upstream-token', 'X-Trace-Me': 'abc' })
      assert.is(textOf(await client.callTool({ name: 'echo', arguments: { message: 'ok' } })), 'Echo: ok')
      const last = posts(s.requests).at(-1)!
      assert.is(last.headers.authorization, 'Bearer upstream-token')
      assert.is(last.headers['x-trace-me'], 'abc')
      assert.ok(Object.keys(last.headers).every((k) => k === k.toLowerCase()))
      assert.ok(s.requests.every((r) => r.headers.authorization === 'Bearer upstream-token'))
    }
  } finally {
    await Promise.allSettled(clients.splice(0).map((c) => c.close()))
    await guarded.stop()
    await guardedLegacy.stop()
  }
})

for (const [name, getServer, mode] of [
  ['legacy', () => legacy, 'legacy'],
  ['modern', () => modern, 'auto'],
] as const) {
  test(`${name} server: shared tools, resources and prompts behave the same`, async () => {
    const { client } = await connect(getServer().url, mode)

    const add = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })
    assert.equal(add.structuredContent, { sum: 5 })

    const fail = await client.callTool({ name: 'fail', arguments: {} })
    assert.is(fail.isError, true)
    assert.is(textOf(fail), 'it failed')

    const bad = await client.callTool({ name: 'echo', arguments: { message: 1 } })
    assert.is(bad.isError, true)

    const rpc = await rejects(() => client.callTool({ name: 'rpc_error', arguments: {} }))
    assert.ok(rpc instanceof ProtocolError, String(rpc))
    assert.is((rpc as ProtocolError).code, DELIBERATE_ERROR_CODE)
    assert.match((rpc as ProtocolError).message, 'deliberate failure')

    const big = await client.callTool({ name: 'big', arguments: { bytes: 200_000 } })
    assert.is(textOf(big)!.length, 200_000)
    assert.match(textOf(big)!, /^x+$/)

    const progress: { progress: number; total?: number; message?: string }[] = []
    const logs: unknown[] = []
    client.setNotificationHandler('notifications/message', (n) => { logs.push(n.params.data) })
    const done = await client.callTool(
      // On 2026-07-28 a server logs only when the request's envelope asks for a level.
      { name: 'progress', arguments: { steps: 3 }, _meta: { 'io.modelcontextprotocol/logLevel': 'info' } },
      { onprogress: (p) => { progress.push(p) } },
    )
    assert.is(textOf(done), 'finished')
    assert.equal(progress.map((p) => [p.progress, p.total, p.message]), [[1, 3, 'step 1'], [2, 3, 'step 2'], [3, 3, 'step 3']])
    assert.equal(logs, ['working'])

    const server = getServer()
    server.reset()
    const t0 = Date.now()
    const slow = await rejects(() => client.callTool({ name: 'slow', arguments: { ms: 10_000 } }, { timeout: 150 }))
    assert.ok(slow instanceof SdkError, String(slow))
    assert.is((slow as SdkError).code, SdkErrorCode.RequestTimeout)
    assert.ok(Date.now() - t0 < 5000)
    // On a timeout the 2025 era POSTs notifications/cancelled; the 2026 era just aborts the HTTP request.
    if (mode === 'legacy') {
      for (let i = 0; i < 40 && !postMethods(server.requests).includes('notifications/cancelled'); i++) await new Promise((r) => setTimeout(r, 25))
      assert.equal(postMethods(server.requests), ['tools/call', 'notifications/cancelled'])
    } else {
      await new Promise((r) => setTimeout(r, 100))
      assert.equal(postMethods(server.requests), ['tools/call'])
    }
    assert.is(textOf(await client.callTool({ name: 'slow', arguments: { ms: 20 } })), 'done')

    // The server destroys the socket after the SSE headers: client.onerror fires at once
    // ("SSE stream disconnected: TypeError: terminated"), but the call only fails at its timeout.
    const streamErrors: Error[] = []
    client.onerror = (e) => { streamErrors.push(e) }
    const dropped = await rejects(() => client.callTool({ name: 'drop', arguments: {} }, { timeout: 500 }))
    assert.ok(dropped instanceof SdkError, String(dropped))
    assert.is((dropped as SdkError).code, SdkErrorCode.RequestTimeout)
    assert.ok(streamErrors.some((e) => /SSE stream disconnected/.test(e.message)), streamErrors.join('; '))
    client.onerror = undefined
    // The client is still usable afterwards.
    assert.is(textOf(await client.callTool({ name: 'echo', arguments: { message: 'again' } })), 'Echo: again')

    const resources = await client.listResources()
    assert.equal(resources.resources.map((r) => r.uri), ['test://hello', 'test://goodbye'])
    const hello = await client.readResource({ uri: 'test://hello' })
    assert.equal(hello.contents.map((c) => [c.uri, c.mimeType, 'text' in c ? c.text : undefined]), [['test://hello', 'text/plain', 'hello world']])

    const prompts = await client.listPrompts()
    assert.equal(prompts.prompts.map((p) => p.name), ['greet'])
    const greet = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } })
    assert.equal(greet.messages, [{ role: 'user', content: { type: 'text', text: 'Hello, Ada!' } }])
  })
}

test('legacy server: the old HTTP+SSE endpoint works (GET /sse + POST /messages)', async () => {
  const client = new Client({ name: 'servers-test', version: '1.0.0' })
  clients.push(client)
  await client.connect(new SSEClientTransport(new URL(legacy.sseUrl)))
  assert.ok(LEGACY_VERSIONS.includes(client.getNegotiatedProtocolVersion()!))
  assert.is(textOf(await client.callTool({ name: 'echo', arguments: { message: 'sse' } })), 'Echo: sse')
  assert.is((await client.listTools()).tools.length, BASE_TOOL_NAMES.length + 120)
  assert.is(legacy.requests[0]!.method, 'GET')
  assert.is(legacy.requests[0]!.path, '/sse')
  const sessionPaths = new Set(posts(legacy.requests).map((r) => r.path))
  assert.is(sessionPaths.size, 1)
  assert.match([...sessionPaths][0]!, /^\/messages\?sessionId=/)
})

for (const mode of ['streamableHttp', 'sse'] as const) {
  test(`server-everything (${mode}): lists >= 13 tools and echo works`, async () => {
    const ev = await startEverything(mode)
    try {
      assert.match(ev.url, mode === 'sse' ? /^http:\/\/127\.0\.0\.1:\d+\/sse$/ : /^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
      const client = new Client({ name: 'servers-test', version: '1.0.0' })
      clients.push(client)
      const transport = mode === 'sse' ? new SSEClientTransport(new URL(ev.url)) : new StreamableHTTPClientTransport(new URL(ev.url))
      await client.connect(transport)
      const tools = await client.listTools()
      assert.ok(tools.tools.length >= 13, `only ${tools.tools.length} tools`)
      assert.ok(tools.tools.some((t) => t.name === 'echo'))
      const r = await client.callTool({ name: 'echo', arguments: { message: 'everything' } })
      assert.match(textOf(r)!, 'everything')
      await client.close()
    } finally {
      await ev.stop()
    }
  })
}

test.run()
