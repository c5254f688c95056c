/**
 * The agent proxy's fast path (shared/agent/fast.ts): a plain `tools/call`
 * answered without the SDK's transport and server. For the same requests, it
 * must answer what the SDK path answers (results, upstream and gateway
 * errors, notifications before the result), and leave to the SDK whatever it
 * cannot answer identically (progress tokens, odd shapes, headers the SDK
 * refuses).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { startGateway, type Gateway } from './support/gateway.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { closeAgentSessions } from '../shared/agent/session.js'
import { fastPath } from '../shared/agent/fast.js'

const test = suite('agent-fast')
let gw: Gateway
let legacy: LegacyServerHandle
let modern: ModernServerHandle
let alice: string
const ids: Record<string, string> = {}

test.before(async () => {
  legacy = await startLegacyServer()
  modern = await startModernServer()
  gw = await startGateway()
  alice = await gw.token('alice')
  for (const [k, endpoint] of [['legacy', legacy.url], ['modern', modern.url]] as const) {
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: k, type: 'http', endpoint, config: { tool_policy: { mode: 'open', deny: ['add'] } } } })
    assert.is(r.status, 201, r.text)
    ids[k] = r.json.id
  }
})
test.after(async () => {
  fastPath.on = true
  closeAgentSessions()
  await gw?.close()
  await legacy?.stop()
  await modern?.stop()
})

const ACCEPT = 'application/json, text/event-stream'
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } }

interface Answer { status: number; type: string; messages: any[] }

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<Answer & { sid: string | null }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT, authorization: `Bearer ${alice}`, ...headers }, body: JSON.stringify(body) })
  const text = await res.text()
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!
  const messages = type === 'text/event-stream'
    ? text.split('\n\n').flatMap((ev) => ev.split('\n').filter((l) => l.startsWith('data: ') && l.length > 6).map((l) => JSON.parse(l.slice(6))))
    : text ? [JSON.parse(text)] : []
  return { status: res.status, type, messages, sid: res.headers.get('mcp-session-id') }
}

/** A raw 2025 session on `url`: initialize, initialized; its calls carry the session and version headers. */
async function session(url: string) {
  const init = await post(url, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }, {})
  assert.is(init.status, 200)
  const sid = init.sid!
  const headers = { 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' }
  assert.is((await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).status, 202)
  return (body: unknown, extra: Record<string, string> = {}) => post(url, body, { ...headers, ...extra })
}

const modernCall = (url: string) => (body: any, extra: Record<string, string> = {}) =>
  post(url, body, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': String(body?.method), ...(typeof body?.params?.name === 'string' ? { 'mcp-name': body.params.name } : {}), ...extra })

/** The same request down both paths: what the fast path served (0 or 1) and both answers. */
async function both(send: (body: unknown, extra?: Record<string, string>) => Promise<Answer>, body: unknown, extra: Record<string, string> = {}) {
  fastPath.on = true
  const before = fastPath.served
  const fast = await send(body, extra)
  const served = fastPath.served - before
  fastPath.on = false
  try {
    return { served, fast, sdk: await send(body, extra) }
  } finally {
    fastPath.on = true
  }
}

const call = (id: number, name: string, args?: unknown, more: Record<string, unknown> = {}) =>
  ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, ...(args !== undefined ? { arguments: args } : {}), ...more } })

/** Calls the fast path serves, and must answer as the SDK does. */
const SERVED: [string, (id: number) => unknown][] = [
  ['a result', (id) => call(id, 'echo', { message: 'hi' })],
  ['a result without arguments', (id) => call(id, 'fail')],
  ['an upstream JSON-RPC error', (id) => call(id, 'rpc_error', {})],
  ['a tool the policy denies', (id) => call(id, 'add', { a: 1, b: 2 })],
  ['a tool the server does not have', (id) => call(id, 'nope', {})],
  ['arguments the schema refuses', (id) => call(id, 'echo', { message: 5 })],
  ['log messages before the result', (id) => call(id, 'levels', {})],
  ['a string id', () => ({ ...call(0, 'echo', { message: 's' }), id: 'req-1' })],
]
/** Requests the fast path leaves to the SDK, whose answers therefore match too. */
const LEFT: [string, (id: number) => unknown][] = [
  ['a progress token', (id) => call(id, 'echo', { message: 'p' }, { _meta: { progressToken: 7 } })],
  ['arguments that are not an object', (id) => call(id, 'echo', ['x'])],
  ['a name that is not a string', (id) => call(id, 5 as never, {})],
  ['a member the SDK does not know', (id) => call(id, 'echo', { message: 'x' }, { extra: 1 })],
  ['a fractional id', () => ({ ...call(0, 'echo', { message: 'x' }), id: 1.5 })],
  ['no params', (id) => ({ jsonrpc: '2.0', id, method: 'tools/call' })],
]

for (const era of ['legacy', 'modern'] as const) {
  test(`2025 session, ${era} upstream: the fast path answers every plain call as the SDK does, and leaves the rest to it`, async () => {
    const send = await session(`${gw.base}/mcps/${ids[era]}/mcp`)
    let id = 1
    for (const [label, make] of [...SERVED, ...LEFT]) {
      const { served, fast, sdk } = await both(send, make(id++))
      assert.is(served, SERVED.some(([l]) => l === label) ? 1 : 0, `${label}: fast path taken`)
      assert.is(fast.status, sdk.status, label)
      // The SDK answers a 2025 session over SSE always; the fast path as JSON when nothing came first.
      assert.equal(fast.messages, sdk.messages, label)
      // JSON when nothing came before the result; SSE when something did (the 2025 upstream's log messages).
      if (served) assert.is(fast.type, fast.messages.length > 1 ? 'text/event-stream' : 'application/json', label)
      if (label === 'log messages before the result' && era === 'legacy') assert.is(fast.messages.length, 5, label)
    }
    // Accept without text/event-stream: the SDK's 406.
    const { served, fast, sdk } = await both(send, call(99, 'echo', { message: 'x' }), { accept: 'application/json' })
    assert.is(served, 0)
    assert.is(fast.status, 406)
    assert.equal([fast.status, fast.messages], [sdk.status, sdk.messages])
  })

  test(`2026-07-28, ${era} upstream: the fast path answers every plain call as the SDK does, and leaves the rest to it`, async () => {
    const send = modernCall(`${gw.base}/mcps/${ids[era]}/mcp`)
    const withEnvelope = (b: any) => (b.params ? { ...b, params: { ...b.params, _meta: { ...ENVELOPE, ...b.params._meta } } } : b)
    let id = 1
    for (const [label, make] of [...SERVED, ...LEFT]) {
      const { served, fast, sdk } = await both(send, withEnvelope(make(id++)))
      assert.is(served, SERVED.some(([l]) => l === label) ? 1 : 0, `${label}: fast path taken`)
      assert.equal(fast, sdk, label)
    }
    // Headers the SDK checks: a missing Mcp-Name, or one naming another tool.
    const odd: Record<string, string>[] = [{ 'mcp-name': 'other' }, { 'mcp-method': 'tools/list' }, { 'mcp-protocol-version': '2025-11-25' }]
    for (const extra of odd) {
      const { served, fast, sdk } = await both(send, withEnvelope(call(50, 'echo', { message: 'h' })), extra)
      assert.is(served, 0, JSON.stringify(extra))
      assert.equal(fast, sdk, JSON.stringify(extra))
      assert.is(fast.status, 400, JSON.stringify(extra))
    }
  })
}

test('the aggregate takes the fast path too, in both eras, with the same answers', async () => {
  const url = `${gw.base}/mcp`
  const send25 = await session(url)
  const send26 = modernCall(url)
  for (const name of ['legacy__echo', 'legacy__add', 'nobody__echo']) {
    const b = call(3, name, { message: 'agg' })
    const a = await both(send25, b)
    assert.is(a.served, 1, name)
    assert.equal(a.fast.messages, a.sdk.messages, name)
    const m = await both(send26, { ...b, params: { ...b.params, _meta: ENVELOPE } })
    assert.is(m.served, 1, name)
    assert.equal(m.fast, m.sdk, name)
  }
})

test('a config that pins its tools (the first call pins them): the same answers down both paths', async () => {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'pinned', type: 'http', endpoint: legacy.url, config: { tool_policy: { mode: 'pin' } } } })
  assert.is(r.status, 201, r.text)
  const url = `${gw.base}/mcps/${r.json.id}/mcp`
  const a = await both(await session(url), call(1, 'echo', { message: 'x' }))
  const m = await both(modernCall(url), { ...call(2, 'echo', { message: 'x' }), params: { name: 'echo', arguments: { message: 'x' }, _meta: ENVELOPE } })
  assert.equal([a.served, m.served], [1, 1])
  assert.equal(a.fast.messages, a.sdk.messages)
  assert.equal(m.fast, m.sdk)
  assert.equal(a.fast.messages[0]?.result?.content, [{ type: 'text', text: 'Echo: x' }], JSON.stringify(a.fast.messages))
})

test('2026-07-28: an agent\'s envelope is classified once, and an envelope the SDK refuses gets its answer every time', async () => {
  const send = modernCall(`${gw.base}/mcps/${ids.modern}/mcp`)
  const envelope = { ...ENVELOPE, 'io.modelcontextprotocol/clientInfo': { name: `agent-${Math.random()}`, version: '1' } }
  const [served, classified] = [fastPath.served, fastPath.classified]
  for (let i = 1; i <= 3; i++) {
    const r = await send({ ...call(i, 'echo', { message: `m${i}` }), params: { name: 'echo', arguments: { message: `m${i}` }, _meta: envelope } })
    assert.is(r.messages[0]?.result?.content?.[0]?.text, `Echo: m${i}`, JSON.stringify(r.messages))
  }
  assert.is(fastPath.served - served, 3)
  assert.is(fastPath.classified - classified, 1, 'one agent, one envelope: classified once')
  // Invalid envelopes the fast path's own checks let through: the SDK's verdict, remembered, still sends them to the SDK.
  for (const bad of [{ 'io.modelcontextprotocol/clientInfo': 'x' }, { 'io.modelcontextprotocol/logLevel': 'loud' }]) {
    for (let i = 0; i < 2; i++) {
      const { served: s, fast, sdk } = await both(send, { ...call(60 + i, 'echo', { message: 'e' }), params: { name: 'echo', arguments: { message: 'e' }, _meta: { ...envelope, ...bad } } })
      assert.is(s, 0, JSON.stringify(bad))
      assert.is(fast.status, 400, JSON.stringify(bad))
      assert.equal(fast, sdk, JSON.stringify(bad))
    }
  }
})

test('a call with a progress token goes the SDK way, and its progress reaches the agent in both eras', async () => {
  for (const modernEra of [false, true]) {
    const c = new Client({ name: 'agent-test', version: '1' }, { capabilities: {}, ...(modernEra ? { versionNegotiation: { mode: 'auto' as const } } : {}) })
    await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.base}/mcps/${ids.legacy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${alice}` } } }) as any)
    const before = fastPath.served
    const seen: number[] = []
    const r = await c.callTool({ name: 'progress', arguments: { steps: 3 } }, { onprogress: (p: { progress: number }) => void seen.push(p.progress) } as never)
    assert.not.ok(r.isError, JSON.stringify(r))
    assert.is(fastPath.served, before, 'not the fast path')
    assert.ok(seen.length >= 1, `era ${modernEra ? 'modern' : 'legacy'}: progress reached the agent`)
    // Without a token, the same client's plain call is the fast path's.
    await c.callTool({ name: 'echo', arguments: { message: 'plain' } })
    assert.is(fastPath.served, before + 1)
    await c.close()
  }
})

test('an agent that declared elicitation keeps the SDK path (the server may ask it mid-call)', async () => {
  const c = new Client({ name: 'agent-test', version: '1' }, { capabilities: { elicitation: { form: {} } } })
  c.setRequestHandler('elicitation/create', async () => ({ action: 'decline' }))
  await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.base}/mcps/${ids.legacy}/mcp`), { requestInit: { headers: { authorization: `Bearer ${alice}` } } }) as any)
  const before = fastPath.served
  const r = await c.callTool({ name: 'echo', arguments: { message: 'hi' } })
  assert.not.ok(r.isError, JSON.stringify(r))
  assert.is(fastPath.served, before)
  await c.close()
})

test.run()
