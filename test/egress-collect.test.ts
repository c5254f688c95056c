/**
 * SSE answers read whole: what the guarded fetch hands the MCP SDK when an
 * answer may be collected (JSON when the stream held only messages and a
 * response; the stream as it came otherwise), and that the real SDK client
 * still answers a server's request that arrives mid-call.
 */
import { getEventListeners } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { guardedFetch, TooLarge } from '../shared/egress/fetch.js'
import type { EgressPolicy } from '../shared/egress/policy.js'
import { rejects } from './support/assert.js'

const policy: EgressPolicy = { requireHttps: false, allowLoopback: true, allowlist: [] }
const RESULT = { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'hi' }] } }
const NOTE = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } }
const frame = (m: unknown, id?: string) => `${id ? `id: ${id}\n` : ''}event: message\ndata: ${JSON.stringify(m)}\n\n`

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void
let server: Server
let base: string
let handler: Handler = (_q, res) => res.end()

test.before(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c)).on('end', () => handler(req, res, body))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`
})
test.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }))

const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
const post = (f = guardedFetch(policy, { maxBytes: 4096, collect: () => true })) =>
  f(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":7,"method":"tools/call"}' })

test('a priming event and the response come back as JSON, body already read', async () => {
  handler = (_q, res) => { sse(res); res.write('id: p1\ndata: \n\n'); res.end(frame(RESULT, 'e1')) }
  const r = await post()
  assert.is(r.status, 200)
  assert.is(r.headers.get('content-type'), 'application/json')
  assert.is(r.body, null)
  assert.equal(await r.json(), RESULT)
})

test('notifications before the response keep their order, as a JSON array', async () => {
  handler = (_q, res) => { sse(res); res.write(frame(NOTE)); res.end(frame(RESULT)) }
  assert.equal(await (await post()).json(), [NOTE, RESULT])
})

test('a request from the server is handed over at once, as the stream it came in', async () => {
  let finish!: () => void
  const held = new Promise<void>((r) => (finish = r))
  const ping = { jsonrpc: '2.0', id: 'srv-1', method: 'ping' }
  handler = (_q, res) => { sse(res); res.write(frame(NOTE) + frame(ping)); void held.then(() => res.end(frame(RESULT))) }
  // The server is still holding the stream open: the fetch must not wait for its end.
  const r = await post()
  assert.is(r.headers.get('content-type'), 'text/event-stream')
  finish()
  assert.is(await r.text(), frame(NOTE) + frame(ping) + frame(RESULT))
})

const gated = { gate: () => ({ pass: (m: any, emit: (m: any) => void) => emit(m) }) }

test('with deliver, every message but the response goes to it as it arrives, and the response is collected', async () => {
  let finish!: () => void
  const held = new Promise<void>((r) => (finish = r))
  const ask = { jsonrpc: '2.0', id: 'srv-1', method: 'elicitation/create', params: { message: 'name?' } }
  const delivered: unknown[] = []
  let reached!: () => void
  const got = new Promise<void>((r) => (reached = r))
  handler = (_q, res) => { sse(res); res.write('id: p1\ndata: \n\n' + frame(NOTE, 'e1') + frame(ask, 'e2')); void held.then(() => res.end(frame(NOTE, 'e3') + frame(RESULT, 'e4'))) }
  const r = post(guardedFetch(policy, { maxBytes: 4096, collect: () => true, ...gated, deliver: (m) => { delivered.push(m); if (delivered.length === 2) reached() } }))
  // Delivered while the server still holds the stream open (it waits for the answer).
  await got
  assert.equal(delivered, [NOTE, ask])
  finish()
  const res = await r
  assert.is(res.headers.get('content-type'), 'application/json')
  assert.is(res.body, null)
  // What came after the request was delivered as it came; only the response is collected, nothing twice.
  assert.equal(delivered, [NOTE, ask, NOTE])
  assert.equal(await res.json(), RESULT)
})

test('with deliver, a stream that ends without a response is handed over without what was delivered, resuming after its last id', async () => {
  const ask = { jsonrpc: '2.0', id: 'srv-1', method: 'sampling/createMessage', params: {} }
  const delivered: unknown[] = []
  handler = (_q, res) => { sse(res); res.end('id: p1\ndata: \n\n' + frame(ask, 'e2') + frame(NOTE)) }
  const res = await post(guardedFetch(policy, { maxBytes: 4096, collect: () => true, ...gated, deliver: (m) => delivered.push(m) }))
  assert.equal(delivered, [ask, NOTE])
  assert.is(res.headers.get('content-type'), 'text/event-stream')
  assert.is(await res.text(), 'id: e2\ndata: \n\n')
})

test('with deliver, a notification after the response goes after it: the response is delivered first, and the JSON is empty', async () => {
  const delivered: unknown[] = []
  handler = (_q, res) => { sse(res); res.end(frame(RESULT) + frame(NOTE)) }
  const res = await post(guardedFetch(policy, { maxBytes: 4096, collect: () => true, ...gated, deliver: (m) => delivered.push(m) }))
  assert.equal(delivered, [RESULT, NOTE])
  assert.equal(await res.json(), [])
})

test('without a gate, deliver is not used: the request is handed over as the stream it came in', async () => {
  const ping = { jsonrpc: '2.0', id: 'srv-1', method: 'ping' }
  const delivered: unknown[] = []
  handler = (_q, res) => { sse(res); res.end(frame(ping) + frame(RESULT)) }
  const res = await post(guardedFetch(policy, { maxBytes: 4096, collect: () => true, deliver: (m) => delivered.push(m) }))
  assert.is(res.headers.get('content-type'), 'text/event-stream')
  assert.equal(delivered, [])
  assert.is(await res.text(), frame(ping) + frame(RESULT))
})

test('a stream that ends without a response is handed over unchanged (the client may resume it)', async () => {
  handler = (_q, res) => { sse(res); res.end('id: p1\nretry: 10\ndata: \n\n' + frame(NOTE)) }
  const r = await post()
  assert.is(r.headers.get('content-type'), 'text/event-stream')
  assert.is(await r.text(), 'id: p1\nretry: 10\ndata: \n\n' + frame(NOTE))
})

test('other event types and unparseable data are handed over unchanged', async () => {
  for (const text of [`event: custom\ndata: {}\n\n${frame(RESULT)}`, `data: not json\n\n${frame(RESULT)}`]) {
    handler = (_q, res) => { sse(res); res.end(text) }
    const r = await post()
    assert.is(r.headers.get('content-type'), 'text/event-stream')
    assert.is(await r.text(), text)
  }
})

test('an answer past the byte cap fails with TooLarge and calls onTooLarge', async () => {
  handler = (_q, res) => { sse(res); res.end(frame({ ...RESULT, result: { pad: 'x'.repeat(10_000) } })) }
  let told = 0
  await rejects(() => post(guardedFetch(policy, { maxBytes: 4096, onTooLarge: () => told++, collect: () => true })), (e) => e instanceof TooLarge)
  assert.is(told, 1)
})

test('a connection cut mid-answer is handed over as a stream that errors after what arrived', async () => {
  handler = (_q, res) => { sse(res); res.write(frame(NOTE)); setTimeout(() => res.socket?.destroy(), 20) }
  const r = await post()
  assert.is(r.headers.get('content-type'), 'text/event-stream')
  const reader = r.body!.getReader()
  const first = await reader.read()
  assert.is(new TextDecoder().decode(first.value), frame(NOTE))
  await rejects(() => reader.read())
})

test('without collect, an SSE answer is the stream as it came', async () => {
  handler = (_q, res) => { sse(res); res.end(frame(RESULT)) }
  const r = await post(guardedFetch(policy, { maxBytes: 4096, collect: () => false }))
  assert.is(r.headers.get('content-type'), 'text/event-stream')
  assert.is(await r.text(), frame(RESULT))
})

test('a JSON answer is read whole under the cap; text() and json() both work', async () => {
  handler = (_q, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(RESULT)) }
  const j = await post()
  assert.is(j.body, null)
  assert.equal(await j.json(), RESULT)
  handler = (_q, res) => { res.writeHead(400, { 'content-type': 'application/json' }); res.end('{"jsonrpc":"2.0","error":{"code":-32600,"message":"bad"}}') }
  const bad = await post()
  assert.is(bad.status, 400)
  assert.is(await bad.text(), '{"jsonrpc":"2.0","error":{"code":-32600,"message":"bad"}}')
  handler = (_q, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ pad: 'x'.repeat(10_000) })) }
  await rejects(() => post(), (e) => e instanceof TooLarge)
})

test('a 202 answer (a notification or a response POSTed) is read whole, collected or not: no body stream, its text kept, under the cap', async () => {
  for (const collect of [true, false]) {
    const f = guardedFetch(policy, { maxBytes: 4096, collect: () => collect })
    handler = (_q, res) => { res.writeHead(202, { 'content-type': 'text/plain' }); res.end('accepted') }
    const r = await post(f)
    assert.is(r.status, 202)
    // Before: the socket's body as a web stream, read by the SDK's text() through it.
    assert.is(r.body, null)
    assert.is(await r.text(), 'accepted')
    handler = (_q, res) => { res.writeHead(202); res.end() }
    assert.is(await (await post(f)).text(), '')
    handler = (_q, res) => { res.writeHead(202); res.end('x'.repeat(10_000)) }
    await rejects(() => post(f), (e) => e instanceof TooLarge)
  }
})

test('concurrent calls sharing one signal: no listener warning, and no listener left behind', async () => {
  handler = (_q, res) => { sse(res); setTimeout(() => res.end(frame(RESULT)), 5) }
  const warnings: string[] = []
  const onWarning = (w: Error) => warnings.push(w.message)
  process.on('warning', onWarning)
  const shared = new AbortController().signal
  const f = guardedFetch(policy, { maxBytes: 4096, collect: () => true })
  try {
    const all = await Promise.all(Array.from({ length: 64 }, () => f(base, { method: 'POST', body: '{}', signal: shared }).then((r) => r.json())))
    assert.equal(all[63], RESULT)
    await new Promise((r) => setImmediate(r))
    assert.is(getEventListeners(shared, 'abort').length, 0)
    assert.equal(warnings.filter((w) => /MaxListeners/.test(w)), [])
  } finally {
    process.off('warning', onWarning)
  }
})

test('the real SDK client answers a server ping sent mid-call, and gets its result', async () => {
  // A 2025 server in miniature: the tool result is sent only after the client has answered the ping.
  let answered!: () => void
  const pong = new Promise<void>((r) => (answered = r))
  const seen: string[] = []
  handler = (req, res, body) => {
    const m = body ? JSON.parse(body) : {}
    seen.push(m.method ?? (m.result ? `response:${m.id}` : req.method))
    if (req.method !== 'POST') return void res.writeHead(405).end()
    if (m.method === 'initialize') {
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' })
      return void res.end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'mini', version: '1' } } }))
    }
    if (m.id === 'srv-1' && 'result' in m) { answered(); return void res.writeHead(202).end() }
    if (m.method === 'tools/call') {
      sse(res)
      res.write(frame({ jsonrpc: '2.0', id: 'srv-1', method: 'ping' }))
      const timer = setTimeout(() => res.end(), 3000) // no answer: close without a result
      void pong.then(() => { clearTimeout(timer); res.end(frame({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: 'after ping' }] } })) })
      return
    }
    res.writeHead(202).end()
  }
  const fetch = guardedFetch(policy, { maxBytes: 1 << 20, collect: () => true })
  const client = new Client({ name: 't', version: '1' }, { capabilities: {} })
  await client.connect(new StreamableHTTPClientTransport(new URL(base), { fetch: fetch as any }), { prior: { kind: 'legacy' } })
  try {
    const r = await client.callTool({ name: 'x', arguments: {} }, { timeout: 2500 })
    assert.equal(r.content, [{ type: 'text', text: 'after ping' }])
    assert.ok(seen.includes('response:srv-1'), seen.join(' '))
  } finally {
    await client.close()
  }
})

test('the real SDK client answers a question delivered mid-call in its own async context, and its result comes back as JSON', async () => {
  // A 2025 server in miniature asking an elicitation on the open call; the client's handler runs in the
  // caller's async context (what the gateway's relay finds a call's leg by), and no stream is handed over.
  const { AsyncLocalStorage } = await import('node:async_hooks')
  const als = new AsyncLocalStorage<string>()
  let answered!: (v: unknown) => void
  handler = (req, res, body) => {
    const m = body ? JSON.parse(body) : {}
    if (req.method !== 'POST') return void res.writeHead(405).end()
    if (m.method === 'initialize') {
      res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' })
      return void res.end(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'mini', version: '1' } } }))
    }
    if (typeof m.id === 'string' && m.id.startsWith('srv-') && 'result' in m) { answered(m.result); return void res.writeHead(202).end() }
    if (m.method === 'tools/call') {
      // Two questions, one after the other: the second is sent once the first is answered.
      const ask = (n: number) => {
        const answer = new Promise<unknown>((r) => (answered = r))
        res.write(frame({ jsonrpc: '2.0', id: `srv-${n}`, method: 'elicitation/create', params: { mode: 'form', message: 'name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } } }, `e${n}`))
        return answer
      }
      sse(res)
      res.write('id: p1\ndata: \n\n')
      void ask(1).then((a1) => ask(2).then((a2) => res.end(frame({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: JSON.stringify([a1, a2]) }] } }, 'e9'))))
      return
    }
    res.writeHead(202).end()
  }
  let transport!: StreamableHTTPClientTransport
  const kinds: string[] = []
  const fetch = guardedFetch(policy, { maxBytes: 1 << 20, collect: () => true, ...gated, deliver: (m) => transport.onmessage?.(m as any) })
  const counting = async (u: any, init: any) => { const r = await fetch(u, init); kinds.push(r.headers.get('content-type') ?? String(r.status)); return r }
  const client = new Client({ name: 't', version: '1' }, { capabilities: { elicitation: { form: {} } } })
  client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: als.getStore() ?? 'no context' } }) as never)
  transport = new StreamableHTTPClientTransport(new URL(base), { fetch: counting as any })
  await client.connect(transport, { prior: { kind: 'legacy' } })
  try {
    // Two calls in turn on one kept-alive socket, made in neither call's context.
    for (const ctx of ['call-1', 'call-2']) {
      const r = await als.run(ctx, () => client.callTool({ name: 'x', arguments: {} }, { timeout: 2500 }))
      const named = { action: 'accept', content: { name: ctx } }
      assert.equal(JSON.parse((r.content as any)[0].text), [named, named])
    }
    assert.not.ok(kinds.includes('text/event-stream'), kinds.join(' '))
  } finally {
    await client.close()
  }
})

test.run()
