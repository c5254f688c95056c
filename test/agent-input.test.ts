/**
 * Elicitation and sampling through the agent proxy, in every pairing of
 * protocol generations (issue 16): a 2025 agent answers in its session
 * whatever the upstream speaks; a 2026-07-28 agent gets `input_required`
 * (from a 2026 upstream's own, or for a 2025 upstream's question on a held
 * call) and retries with its answers. The upstream's `requestState` never
 * reaches the agent, and a reference that is not the caller's is refused.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { startGateway, type Gateway } from './support/gateway.js'
import { startAskingLegacy, startAskingModern, type AskingHandle } from './servers/asking.js'
import { startEverything, type EverythingHandle } from './support/everything.js'
import { closeAgentSessions } from '../shared/agent/session.js'
import { dropHeld, inputRounds } from '../shared/agent/input.js'

const test = suite('agent-input')
let gw: Gateway
let legacyUp: AskingHandle
let modernUp: AskingHandle
let ev: EverythingHandle
let alice: string
const ids: Record<string, string> = {}
const CAPS = { elicitation: { form: {}, url: {} }, sampling: {} }

test.before(async () => {
  ;[legacyUp, modernUp, ev] = await Promise.all([startAskingLegacy(), startAskingModern(), startEverything('streamableHttp')])
  gw = await startGateway()
  alice = await gw.token('alice')
  for (const [k, endpoint] of [['legacy', legacyUp.url], ['modern', modernUp.url], ['ev', ev.url]] as const) {
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: `ask-${k}`, type: 'http', endpoint, config: { tool_policy: { mode: 'open' } } } })
    assert.is(r.status, 201, r.text)
    ids[k] = r.json.id
  }
})
test.after(async () => {
  dropHeld()
  closeAgentSessions()
  await gw?.close()
  await Promise.all([legacyUp?.stop(), modernUp?.stop(), ev?.stop()])
})

/** An agent that answers: form elicitations with Ada (36), sampling with a fixed model. */
async function agent(id: string, modern: boolean, o: { manual?: boolean } = {}) {
  const asked: string[] = []
  const c = new Client({ name: 'agent', version: '1' }, {
    capabilities: CAPS,
    ...(modern ? { versionNegotiation: { mode: 'auto' as const } } : {}),
    ...(o.manual ? { inputRequired: { autoFulfill: false } } : {}),
  })
  c.setRequestHandler('elicitation/create', async (r) => {
    asked.push(`elicitation:${(r.params as { message?: string }).message}`)
    return { action: 'accept', content: { name: 'Ada', age: 36, check: true, email: 'a@example.com', integer: 1, number: 1 } } as never
  })
  c.setRequestHandler('sampling/createMessage', async () => {
    asked.push('sampling')
    return { role: 'assistant', content: { type: 'text', text: 'hi there' }, model: 'm1' } as never
  })
  await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.base}/mcps/${id}/mcp`), { requestInit: { headers: { authorization: `Bearer ${alice}` } } }) as never)
  if (modern) assert.is(c.getProtocolEra?.(), 'modern')
  return { c, asked }
}

const text = (r: unknown) => JSON.stringify((r as { content?: unknown }).content)

for (const [agentEra, modern] of [['2025 agent', false], ['2026 agent', true]] as const) {
  test(`${agentEra} ↔ 2026 upstream: form, sampling and several rounds reach the agent and its answers the server`, async () => {
    const { c, asked } = await agent(ids.modern!, modern)
    assert.match(text(await c.callTool({ name: 'ask_form', arguments: {} })), /hello Ada \(36\)/)
    assert.match(text(await c.callTool({ name: 'ask_sample', arguments: {} })), /m1 said hi there/)
    assert.match(text(await c.callTool({ name: 'ask_rounds', arguments: {} })), /Ada and Ada/)
    const p = await c.getPrompt({ name: 'ask_prompt' })
    assert.match(JSON.stringify(p.messages), /write to Ada/)
    const res = await c.readResource({ uri: 'ask://secret' })
    assert.match(JSON.stringify(res.contents), /for Ada/)
    assert.equal(asked, ['elicitation:Who are you?', 'sampling', 'elicitation:First person?', 'elicitation:Second person?', 'elicitation:For whom?', 'elicitation:Who reads?'])
    await c.close()
  })

  test(`${agentEra} ↔ 2025 upstream: questions on the open call reach the agent, one after the other`, async () => {
    const { c, asked } = await agent(ids.legacy!, modern)
    assert.match(text(await c.callTool({ name: 'ask_form', arguments: {} })), /hello Ada \(36\)/)
    assert.match(text(await c.callTool({ name: 'ask_twice', arguments: {} })), /accept:Ada accept:Ada/)
    assert.match(text(await c.callTool({ name: 'ask_sample', arguments: {} })), /m1 said hi there/)
    assert.equal(asked, ['elicitation:Who are you?', 'elicitation:Who are you?', 'elicitation:And your friend?', 'sampling'])
    await c.close()
  })

  test(`${agentEra}: server-everything's elicitation and sampling tools`, async () => {
    const { c, asked } = await agent(ids.ev!, modern)
    const names = (await c.listTools()).tools.map((t) => t.name)
    assert.ok(names.includes('trigger-elicitation-request') && names.includes('trigger-sampling-request'), names.join())
    assert.match(text(await c.callTool({ name: 'trigger-elicitation-request', arguments: {} })), /Ada/)
    assert.match(text(await c.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 10 } })), /hi there/)
    assert.equal(asked.map((a) => a.split(':')[0]), ['elicitation', 'sampling'])
    await c.close()
  })
}

test('2026 agent: the upstream\'s requestState stays in the gateway, and a reference is good only for its caller, config and tool', async () => {
  const { c } = await agent(ids.modern!, true, { manual: true })
  const first = (await c.callTool({ name: 'ask_rounds', arguments: {} }, { allowInputRequired: true } as never)) as Record<string, any>
  assert.is(first.resultType, 'input_required')
  assert.ok(first.inputRequests?.first, JSON.stringify(first))
  const ref = String(first.requestState)
  assert.match(ref, /^[A-Za-z0-9_-]{43}$/)
  const answer = { first: { action: 'accept', content: { name: 'Bo', age: 1 } } }
  // Another tool, or a made-up reference: refused, and the upstream never sees them.
  const seen = modernUp.calls.length
  for (const [name, state] of [['ask_form', ref], ['ask_rounds', 'A'.repeat(43)], ['ask_rounds', 'one']] as const) {
    const e = await c.callTool({ name, arguments: {}, inputResponses: answer, requestState: state } as never, { allowInputRequired: true } as never).then(() => null, (x) => x)
    assert.ok(e, `${name} ${state} was accepted`)
    assert.is(e.code, -32602, String(e))
  }
  assert.is(modernUp.calls.length, seen)
  // The real one: the upstream gets its own state back ("one"), and asks the second question.
  const second = (await c.callTool({ name: 'ask_rounds', arguments: {}, inputResponses: answer, requestState: ref } as never, { allowInputRequired: true } as never)) as Record<string, any>
  assert.is(modernUp.calls.at(-1)!.requestState, 'one')
  assert.is(second.resultType, 'input_required')
  assert.ok(second.inputRequests?.second)
  assert.not.ok(JSON.stringify(second).includes('two:Bo'), 'the upstream state reached the agent')
  const done = await c.callTool({ name: 'ask_rounds', arguments: {}, inputResponses: { second: { action: 'accept', content: { name: 'Cy', age: 2 } } }, requestState: second.requestState } as never, { allowInputRequired: true } as never)
  assert.match(text(done), /Bo and Cy/)
  // Another user cannot use alice's reference, even on a config of his own with the same tool.
  const bob = await gw.token('bob')
  const reg = await gw.req('POST', '/mcps', { token: bob, body: { name: 'bob-ask', type: 'http', endpoint: modernUp.url, config: { tool_policy: { mode: 'open' } } } })
  const bc = new Client({ name: 'bob', version: '1' }, { capabilities: CAPS, versionNegotiation: { mode: 'auto' }, inputRequired: { autoFulfill: false } })
  await bc.connect(new StreamableHTTPClientTransport(new URL(`${gw.base}/mcps/${reg.json.id}/mcp`), { requestInit: { headers: { authorization: `Bearer ${bob}` } } }) as never)
  const again = (await c.callTool({ name: 'ask_rounds', arguments: {} }, { allowInputRequired: true } as never)) as Record<string, any>
  const e = await bc.callTool({ name: 'ask_rounds', arguments: {}, inputResponses: answer, requestState: again.requestState } as never, { allowInputRequired: true } as never).then(() => null, (x) => x)
  assert.is(e?.code, -32602, String(e))
  await Promise.all([c.close(), bc.close()])
})

/** A 2026-07-28 `tools/call` sent as an agent's HTTP client does, declaring nothing a server could ask. */
async function bare(id: string, name: string, extra: Record<string, unknown> = {}) {
  const _meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'bare', version: '1' } }
  const res = await fetch(`${gw.base}/mcps/${id}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {}, ...extra, _meta } }),
  })
  return { status: res.status, msg: JSON.parse(await res.text()) as Record<string, any> }
}

test('2026 agent that declared nothing: no call is held for it, and a server that asks anyway is answered that it cannot', async () => {
  const [kept, direct] = [inputRounds.kept, inputRounds.direct]
  // 2026 upstream: its own SDK refuses to ask a client that declared nothing (-32021, passed on as is).
  const modern = await bare(ids.modern!, 'ask_form')
  assert.is(modern.status, 400, JSON.stringify(modern.msg))
  assert.is(modern.msg.error?.code, -32021, JSON.stringify(modern.msg))
  // 2025 upstream: its question has nowhere to go (the upstream client declared nothing), so the call fails there.
  const legacy = await bare(ids.legacy!, 'ask_form')
  assert.is(legacy.status, 200, JSON.stringify(legacy.msg))
  assert.not.ok(legacy.msg.result?.resultType === 'input_required', JSON.stringify(legacy.msg))
  assert.match(JSON.stringify(legacy.msg), /-32601|not supported|Method not found/i, JSON.stringify(legacy.msg))
  assert.is(inputRounds.kept, kept, 'a call that cannot be held was kept for rounds')
  assert.is(inputRounds.direct, direct + 2)
})

test('2026 agent ↔ 2025 upstream: progress after the answer reaches the agent, on the retry that waits for the result', async () => {
  const { c, asked } = await agent(ids.legacy!, true)
  const seen: string[] = []
  const r = await c.callTool({ name: 'ask_progress', arguments: {} }, { onprogress: (p: { progress: number; message?: string }) => void seen.push(`${p.progress}:${p.message}`) } as never)
  assert.match(text(r), /went accept/)
  assert.equal(asked, ['elicitation:Go?'])
  // The upstream sends three after the answer; the last may arrive with the result, so at least the first two.
  assert.ok(seen.includes('1:step 1') && seen.includes('2:step 2'), JSON.stringify(seen))
  await c.close()
})

test('2026 agent ↔ 2025 upstream: the held call takes its answer once', async () => {
  const { c } = await agent(ids.legacy!, true, { manual: true })
  const q = (await c.callTool({ name: 'ask_form', arguments: {} }, { allowInputRequired: true } as never)) as Record<string, any>
  assert.is(q.resultType, 'input_required')
  const [key, req] = Object.entries(q.inputRequests)[0] as [string, any]
  assert.is(req.method, 'elicitation/create')
  assert.is(req.params.message, 'Who are you?')
  const answer = { [key]: { action: 'accept', content: { name: 'Di', age: 3 } } }
  const r = await c.callTool({ name: 'ask_form', arguments: {}, inputResponses: answer, requestState: q.requestState } as never, { allowInputRequired: true } as never)
  assert.match(text(r), /hello Di \(3\)/)
  const e = await c.callTool({ name: 'ask_form', arguments: {}, inputResponses: answer, requestState: q.requestState } as never, { allowInputRequired: true } as never).then(() => null, (x) => x)
  assert.is(e?.code, -32602, String(e))
  await c.close()
})

test('2026 agent ↔ 2025 upstream: a question nobody answers ends the held call upstream, and its reference then fails', async () => {
  const short = await startGateway({ env: { EXECUTION_INPUT_TIMEOUT_MS: '500' } })
  try {
    const tok = await short.token('alice')
    const reg = await short.req('POST', '/mcps', { token: tok, body: { name: 'ask-short', type: 'http', endpoint: legacyUp.url, config: { tool_policy: { mode: 'open' } } } })
    assert.is(reg.status, 201, reg.text)
    const c = new Client({ name: 'agent', version: '1' }, { capabilities: CAPS, versionNegotiation: { mode: 'auto' }, inputRequired: { autoFulfill: false } })
    await c.connect(new StreamableHTTPClientTransport(new URL(`${short.base}/mcps/${reg.json.id}/mcp`), { requestInit: { headers: { authorization: `Bearer ${tok}` } } }) as never)
    const before = legacyUp.cancelled
    const q = (await c.callTool({ name: 'ask_form', arguments: {} }, { allowInputRequired: true } as never)) as Record<string, any>
    assert.is(q.resultType, 'input_required')
    // The upstream is told (notifications/cancelled) once the answer is overdue.
    const t0 = Date.now()
    while (legacyUp.cancelled === before && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100))
    assert.is(legacyUp.cancelled, before + 1, 'the held call was cancelled upstream')
    const e = await c.callTool({ name: 'ask_form', arguments: {}, inputResponses: { q: { action: 'accept', content: { name: 'Late', age: 9 } } }, requestState: q.requestState } as never, { allowInputRequired: true } as never).then(() => null, (x) => x)
    assert.is(e?.code, -32602, String(e))
    await c.close()
  } finally {
    await short.close()
  }
})

test.run()
