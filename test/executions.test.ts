/**
 * Interactive executions against real servers that ask their user: a 2025
 * server on the v1 SDK (elicitation and sampling on the open call) and a
 * 2026-07-28 server on the v2 SDK (`input_required` results). JSON, SSE and
 * async forms; decline, wrong keys, bad content, replay, foreign user,
 * timeout, cancel, and calls without capabilities behaving as before.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { registerAsking, type AskingPair } from './support/asking.js'
import { startAskingLegacy, startAskingModern, CONSENT_URL, type AskingHandle } from './servers/asking.js'
import { untilInputRequired } from './support/sse.js'
import { auditFlushed } from '../shared/audit.js'
import { endEach } from './support/assert.js'

let logFrom = 0
const test = endEach(suite('executions'), () => {
  for (const l of gw.logs.slice(logFrom)) {
    assert.not.ok(l.includes('"status":500'), l.slice(0, 300))
    assert.not.ok(l.includes(alice), l.slice(0, 300))
  }
})
let gw: Gateway
let alice: string
let bob: string
let legacy: AskingHandle
let modern: AskingHandle
let ids: Record<'legacy' | 'modern', string> = { legacy: '', modern: '' }
let asking: AskingPair | undefined
const FORM = { elicitation: { form: {} } }
const ALL = { elicitation: { form: {}, url: {} }, sampling: {} }

const exec = (era: 'legacy' | 'modern', tool: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  gw.req('POST', `/mcps/${ids[era]}/tools/${tool}/execute`, { token: alice, body: { arguments: {}, ...body }, headers })
const answer = (id: string, responses: unknown, token = alice, headers: Record<string, string> = {}) => gw.req('POST', `/executions/${id}/input`, { token, body: { responses }, headers })
const ok = (r: Res, status = 200) => assert.is(r.status, status, r.text)

/** Polls GET until `pred` holds (bounded), returning the last view. */
async function poll(id: string, pred: (v: any) => boolean): Promise<any> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const r = await gw.req('GET', `/executions/${id}`, { token: alice })
    ok(r)
    if (pred(r.json)) return r.json
    assert.ok(Date.now() < deadline, `execution never got there: ${r.text}`)
    await new Promise((res) => setTimeout(res, 100))
  }
}

test.before(async () => {
  gw = await startGateway()
  alice = await gw.token('alice')
  bob = await gw.token('bob')
  asking = await registerAsking(gw, alice)
  legacy = asking.legacy
  modern = asking.modern
  ids = asking.ids
})
test.after(async () => {
  await gw?.close()
  await asking?.stop()
})
test.before.each(() => {
  logFrom = gw.logs.length
  gw.deps.config.inputTimeoutMs = 600_000
})

for (const era of ['legacy', 'modern'] as const) {
  test(`${era}: a form elicitation is a question, and the answer completes the call`, async () => {
    const r = await exec(era, 'ask_form', { capabilities: FORM })
    ok(r)
    assert.is(r.json.status, 'input_required')
    const [key, q] = Object.entries(r.json.input_requests)[0] as [string, any]
    assert.equal({ kind: q.kind, mode: q.mode, message: q.message, required: q.requested_schema.required }, { kind: 'elicitation', mode: 'form', message: 'Who are you?', required: ['name', 'age'] })
    assert.ok(Date.parse(r.json.expires_at) > Date.now())
    const view = await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })
    assert.is(view.json.status, 'input_required')
    assert.equal(view.json.input_requests, r.json.input_requests)
    const a = await answer(r.json.execution_id, { [key]: { action: 'accept', content: { name: 'Ada', age: 36 } } })
    ok(a)
    assert.is(a.json.status, 'completed')
    assert.equal(a.json.content, [{ type: 'text', text: 'hello Ada (36)' }])
    assert.is(a.json.is_error, false)
    const done = await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })
    assert.is(done.json.status, 'completed')
    assert.equal(done.json.result.content, a.json.content)
  })

  test(`${era}: decline reaches the server as decline`, async () => {
    const r = await exec(era, 'ask_form', { capabilities: FORM })
    const key = Object.keys(r.json.input_requests)[0]!
    const a = await answer(r.json.execution_id, { [key]: { action: 'decline' } })
    ok(a)
    assert.equal(a.json.content, [{ type: 'text', text: 'decline' }])
  })

  test(`${era}: wrong keys and content that breaks the requested schema are 400 with errors, and the question stays open`, async () => {
    const r = await exec(era, 'ask_form', { capabilities: FORM })
    const id = r.json.execution_id
    const key = Object.keys(r.json.input_requests)[0]!
    const wrong = await answer(id, { nope: { action: 'accept', content: { name: 'x', age: 1 } } })
    ok(wrong, 400)
    assert.ok(wrong.json.errors.some((e: any) => e.path === '/responses/nope'), wrong.text)
    assert.ok(wrong.json.errors.some((e: any) => e.path === `/responses/${key}` && e.message === 'is required'), wrong.text)
    const bad = await answer(id, { [key]: { action: 'accept', content: { name: '', age: -1 } } })
    ok(bad, 400)
    assert.ok(bad.json.errors.some((e: any) => e.path === `/responses/${key}/content/age`), bad.text)
    assert.ok(bad.json.errors.some((e: any) => e.path === `/responses/${key}/content/name`), bad.text)
    assert.is((await gw.req('GET', `/executions/${id}`, { token: alice })).json.status, 'input_required')
    ok(await answer(id, { [key]: { action: 'accept', content: { name: 'Bo', age: 2 } } }))
  })

  test(`${era}: an answer is single-use: a replay gets 409 not_waiting, even when both race`, async () => {
    const r = await exec(era, 'ask_form', { capabilities: FORM })
    const id = r.json.execution_id
    const key = Object.keys(r.json.input_requests)[0]!
    const body = { [key]: { action: 'accept', content: { name: 'Cy', age: 3 } } }
    const both = await Promise.all([answer(id, body), answer(id, body)])
    assert.equal(both.map((x) => x.status).sort(), [200, 409], both.map((x) => x.text).join(' | '))
    assert.is(both.find((x) => x.status === 409)!.json.code, 'not_waiting')
    const again = await answer(id, body)
    ok(again, 409)
    assert.is(again.json.code, 'not_waiting')
  })

  test(`${era}: another user gets 404 on every executions route`, async () => {
    const r = await exec(era, 'ask_form', { capabilities: FORM })
    const id = r.json.execution_id
    const key = Object.keys(r.json.input_requests)[0]!
    ok(await gw.req('GET', `/executions/${id}`, { token: bob }), 404)
    ok(await answer(id, { [key]: { action: 'accept', content: { name: 'Mallory', age: 9 } } }, bob), 404)
    ok(await gw.req('DELETE', `/executions/${id}`, { token: bob }), 404)
    assert.is((await gw.req('GET', `/executions/${id}`, { token: alice })).json.status, 'input_required')
    ok(await gw.req('DELETE', `/executions/${id}`, { token: alice }), 204)
  })

  test(`${era}: URL mode shows the URL and its host, and the gateway never opens it`, async () => {
    const r = await exec(era, 'ask_url', { capabilities: ALL })
    ok(r)
    const [key, q] = Object.entries(r.json.input_requests)[0] as [string, any]
    assert.equal({ kind: q.kind, mode: q.mode, url: q.url, url_host: q.url_host }, { kind: 'elicitation', mode: 'url', url: CONSENT_URL, url_host: 'consent.example.test' })
    const a = await answer(r.json.execution_id, { [key]: { action: 'accept' } })
    ok(a)
    assert.equal(a.json.content, [{ type: 'text', text: 'url accept' }])
  })

  test(`${era}: sampling is answered with a CreateMessageResult`, async () => {
    const r = await exec(era, 'ask_sample', { capabilities: ALL })
    ok(r)
    const [key, q] = Object.entries(r.json.input_requests)[0] as [string, any]
    assert.is(q.kind, 'sampling')
    assert.is(q.params.maxTokens, 20)
    const bad = await answer(r.json.execution_id, { [key]: { role: 'assistant', content: { type: 'text', text: 'hi' } } })
    ok(bad, 400)
    const a = await answer(r.json.execution_id, { [key]: { role: 'assistant', content: { type: 'text', text: 'hi!' }, model: 'app-model', stopReason: 'endTurn' } })
    ok(a)
    assert.equal(a.json.content, [{ type: 'text', text: 'app-model said hi!' }])
  })

  test(`${era}: Prefer: respond-async answers 202 with Location, and polling follows it`, async () => {
    const r = await exec(era, 'ask_form', { capabilities: FORM }, { prefer: 'respond-async' })
    ok(r, 202)
    assert.is(r.headers.get('location'), `/api/v1/executions/${r.json.id}`)
    assert.ok(['working', 'input_required'].includes(r.json.status))
    const v = await poll(r.json.id, (x) => x.status === 'input_required')
    const key = Object.keys(v.input_requests)[0]!
    const a = await answer(r.json.id, { [key]: { action: 'accept', content: { name: 'Di', age: 4 } } }, alice, { prefer: 'respond-async' })
    assert.ok([200, 202].includes(a.status), a.text)
    const done = await poll(r.json.id, (x) => x.status === 'completed')
    assert.equal(done.result.content, [{ type: 'text', text: 'hello Di (4)' }])
  })

  test(`${era}: the stream carries input_required, stays open, and ends with the result once answered`, async () => {
    const res = await fetch(`${gw.base}/mcps/${ids[era]}/tools/ask_form/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ arguments: {}, capabilities: FORM }),
      signal: AbortSignal.timeout(30_000),
    })
    assert.is(res.status, 200)
    const s = await untilInputRequired(res)
    const q = s.question
    const key = Object.keys(q.data.input_requests)[0]!
    ok(await answer(q.data.execution_id, { [key]: { action: 'accept', content: { name: 'Ed', age: 5 } } }))
    const events = await s.rest()
    const last = events[events.length - 1]!
    assert.is(last.event, 'result', s.text())
    assert.equal(last.data.content, [{ type: 'text', text: 'hello Ed (5)' }])
    assert.is(last.data.status, 'completed')
  })

  test(`${era}: DELETE while a stream waits for the answer: the stream ends with a 409 cancelled error event (never 499), GET says cancelled`, async () => {
    const res = await fetch(`${gw.base}/mcps/${ids[era]}/tools/ask_form/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ arguments: {}, capabilities: FORM }),
      signal: AbortSignal.timeout(30_000),
    })
    const s = await untilInputRequired(res)
    const id = s.question.data.execution_id
    ok(await gw.req('DELETE', `/executions/${id}`, { token: alice }), 204)
    const last = (await s.rest()).at(-1)!
    assert.is(last.event, 'error', s.text())
    assert.equal([last.data.code, last.data.status, last.data.execution_id], ['cancelled', 409, id])
    const v = await gw.req('GET', `/executions/${id}`, { token: alice })
    assert.equal([v.json.status, v.json.error?.status ?? null], ['cancelled', null])
  })
}

test('legacy: after the answer, the stream goes on with the progress the server reports, then the result', async () => {
  const res = await fetch(`${gw.base}/mcps/${ids.legacy}/tools/ask_progress/execute`, {
    method: 'POST', signal: AbortSignal.timeout(30_000),
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ arguments: {}, capabilities: FORM }),
  })
  const s = await untilInputRequired(res)
  ok(await answer(s.question.data.execution_id, { elicitation: { action: 'accept', content: { name: 'Go', age: 1 } } }))
  const events = await s.rest()
  const after = events.slice(events.findIndex((e) => e.event === 'input_required') + 1)
  assert.ok(after.some((e) => e.event === 'progress' && e.data.total === 3), s.text())
  assert.is(after.at(-1)!.event, 'result')
  assert.equal(after.at(-1)!.data.content, [{ type: 'text', text: 'went accept' }])
})

test('modern: after the answer, the stream shows the log messages of the retry, then the result', async () => {
  const res = await fetch(`${gw.base}/mcps/${ids.modern}/tools/ask_progress/execute`, {
    method: 'POST', signal: AbortSignal.timeout(30_000),
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ arguments: {}, capabilities: FORM }),
  })
  const s = await untilInputRequired(res)
  ok(await answer(s.question.data.execution_id, { go: { action: 'accept', content: { name: 'Go', age: 1 } } }))
  const events = await s.rest()
  const after = events.slice(events.findIndex((e) => e.event === 'input_required') + 1)
  assert.equal(after.filter((e) => e.event === 'log').map((e) => e.data.data), ['step 1', 'step 2', 'step 3'], s.text())
  assert.is(after.at(-1)!.event, 'result')
})

test('modern: several rounds carried by requestState, each retry with a new JSON-RPC id and the original arguments', async () => {
  modern.calls.length = 0
  const r = await exec('modern', 'ask_rounds', { arguments: { note: 'keep me' }, capabilities: FORM })
  assert.equal(Object.keys(r.json.input_requests), ['first'])
  const a = await answer(r.json.execution_id, { first: { action: 'accept', content: { name: 'Ann', age: 1 } } })
  ok(a)
  assert.is(a.json.status, 'input_required')
  assert.equal(Object.keys(a.json.input_requests), ['second'])
  assert.is(a.json.execution_id, r.json.execution_id)
  const b = await answer(r.json.execution_id, { second: { action: 'accept', content: { name: 'Ben', age: 2 } } })
  ok(b)
  assert.equal(b.json.content, [{ type: 'text', text: 'Ann and Ben' }])
  const calls = modern.calls.filter((c) => c.name === 'ask_rounds')
  assert.is(calls.length, 3, JSON.stringify(modern.calls))
  assert.equal(calls.map((c) => c.requestState), [undefined, 'one', 'two:Ann'])
  assert.equal(calls.map((c) => c.arguments), [{ note: 'keep me' }, { note: 'keep me' }, { note: 'keep me' }])
  assert.is(new Set(calls.map((c) => String(c.id))).size, 3)
  // requestState never reaches the caller.
  const view = await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })
  assert.not.ok(view.text.includes('two:Ann'))
})

for (const era of ['legacy', 'modern'] as const) {
  test(`${era}: the tool's output schema holds for the result an answer leads to, as for a plain execute (502, the execution failed)`, async () => {
    // Known definitions (a listing), as a plain execute needs them to check a result.
    ok(await gw.req('GET', `/mcps/${ids[era]}/tools`, { token: alice }))
    const good = await exec(era, 'ask_typed', { capabilities: FORM })
    ok(good)
    const key = (r: Res) => Object.keys(r.json.input_requests)[0]!
    const g = await answer(good.json.execution_id, { [key(good)]: { action: 'accept', content: { name: 'Ann', age: 1 } } })
    ok(g)
    assert.equal(g.json.structured_content, { name: 'Ann' })
    const bad = await exec(era, 'ask_typed', { capabilities: FORM })
    ok(bad)
    const b = await answer(bad.json.execution_id, { [key(bad)]: { action: 'accept', content: { name: 'lie', age: 1 } } })
    assert.is(b.status, 502, b.text)
    assert.is(b.json.code, 'upstream_error')
    assert.match(b.json.detail, /output schema: \/name must be string/)
    const view = await poll(bad.json.execution_id, (v) => v.status !== 'working')
    assert.is(view.status, 'failed')
    assert.is(view.error.code, 'upstream_error')
    assert.is(view.result, null)
  })
}

test('modern: a prompt get may ask first (same shapes), and the answer gives the messages', async () => {
  const r = await gw.req('POST', `/mcps/${ids.modern}/prompts/ask_prompt/get`, { token: alice, body: { arguments: {}, capabilities: FORM } })
  ok(r)
  assert.is(r.json.status, 'input_required')
  assert.is(r.json.input_requests.who.message, 'For whom?')
  const a = await answer(r.json.execution_id, { who: { action: 'accept', content: { name: 'Pat', age: 9 } } })
  ok(a)
  assert.is(a.json.status, 'completed')
  assert.equal(a.json.messages, [{ role: 'user', content: { type: 'text', text: 'write to Pat' } }])
})

test('modern: a resource read may ask first, with capabilities in the query', async () => {
  const r = await gw.req('GET', `/mcps/${ids.modern}/resources/read?uri=${encodeURIComponent('ask://secret')}&capabilities=elicitation.form`, { token: alice })
  ok(r)
  assert.is(r.json.status, 'input_required')
  const a = await answer(r.json.execution_id, { who: { action: 'accept', content: { name: 'Kim', age: 9 } } })
  ok(a)
  assert.equal(a.json.contents, [{ uri: 'ask://secret', mime_type: 'text/plain', text: 'for Kim' }])
  ok(await gw.req('GET', `/mcps/${ids.modern}/resources/read?uri=x&capabilities=roots`, { token: alice }), 400)
})

test('legacy: two questions on one open call are two rounds', async () => {
  const r = await exec('legacy', 'ask_twice', { capabilities: FORM })
  const a = await answer(r.json.execution_id, { elicitation: { action: 'accept', content: { name: 'Al', age: 1 } } })
  ok(a)
  assert.is(a.json.status, 'input_required')
  assert.is(a.json.input_requests.elicitation.message, 'And your friend?')
  const b = await answer(r.json.execution_id, { elicitation: { action: 'decline' } })
  ok(b)
  assert.equal(b.json.content, [{ type: 'text', text: 'accept:Al decline:' }])
})

test('legacy: nobody answers: the execution fails with input_timeout and the upstream request is cancelled', async () => {
  gw.deps.config.inputTimeoutMs = 1500
  const cancelled = legacy.cancelled
  const r = await exec('legacy', 'ask_form', { capabilities: FORM })
  ok(r)
  const v = await poll(r.json.execution_id, (x) => x.status === 'failed')
  assert.is(v.error.code, 'input_timeout')
  const deadline = Date.now() + 10_000
  while (legacy.cancelled === cancelled) {
    assert.ok(Date.now() < deadline, 'the server never saw the cancellation')
    await new Promise((res) => setTimeout(res, 50))
  }
  const late = await answer(r.json.execution_id, { elicitation: { action: 'decline' } })
  ok(late, 409)
})

test('modern: an answer after the deadline is 410 expired', async () => {
  gw.deps.config.inputTimeoutMs = 300
  const r = await exec('modern', 'ask_form', { capabilities: FORM })
  await new Promise((res) => setTimeout(res, 400))
  const late = await answer(r.json.execution_id, { who: { action: 'accept', content: { name: 'Late', age: 1 } } })
  ok(late, 410)
  assert.is(late.json.code, 'expired')
})

test('legacy: DELETE during the wait cancels the upstream request; answers then get 409', async () => {
  const cancelled = legacy.cancelled
  const r = await exec('legacy', 'ask_form', { capabilities: FORM })
  ok(await gw.req('DELETE', `/executions/${r.json.execution_id}`, { token: alice }), 204)
  const deadline = Date.now() + 10_000
  while (legacy.cancelled === cancelled) {
    assert.ok(Date.now() < deadline, 'the server never saw the cancellation')
    await new Promise((res) => setTimeout(res, 50))
  }
  assert.is((await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })).json.status, 'cancelled')
  ok(await answer(r.json.execution_id, { elicitation: { action: 'decline' } }), 409)
})

test('a stream that fails before the call gets going is a plain problem+json (unknown tool: 404)', async () => {
  // Once the tools are known, an unknown name is refused before anything goes upstream.
  ok(await gw.req('GET', `/mcps/${ids.modern}/tools`, { token: alice }))
  const res = await fetch(`${gw.base}/mcps/${ids.modern}/tools/no_such_tool/execute`, {
    method: 'POST', signal: AbortSignal.timeout(30_000),
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ arguments: {}, capabilities: FORM }),
  })
  assert.is(res.status, 404)
  assert.match(res.headers.get('content-type') ?? '', 'application/problem+json')
  assert.is((await res.json()).code, 'not_found')
})

test('modern: past the deadline GET says failed with input_timeout', async () => {
  gw.deps.config.inputTimeoutMs = 200
  const r = await exec('modern', 'ask_form', { capabilities: FORM })
  await poll(r.json.execution_id, (x) => x.status === 'failed' && x.error?.code === 'input_timeout')
})

test('without capabilities nothing is declared: the 2025 server is refused elicitation, as before', async () => {
  const r = await exec('legacy', 'ask_form')
  // The server's request fails (the client declared no elicitation): today's behaviour, no execution.
  assert.not.ok(r.json?.execution_id, r.text)
  assert.not.equal(r.json?.status, 'input_required')
})

test('a URL that is not https is refused, never shown', async () => {
  const bad = await startAskingModern({ url: 'http://evil.example.test/x' })
  try {
    const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'bad url', type: 'http', endpoint: bad.url, config: { tool_policy: { mode: 'open' } } } })
    const r = await gw.req('POST', `/mcps/${c.json.id}/tools/ask_url/execute`, { token: alice, body: { arguments: {}, capabilities: ALL } })
    ok(r, 502)
    assert.not.ok(r.text.includes('evil.example.test'), r.text)
  } finally {
    await bad.stop()
  }
})

test('a result too large for one store document is kept in parts and read back whole', async () => {
  const r = await exec('legacy', 'ask_big', { capabilities: FORM })
  const a = await answer(r.json.execution_id, { elicitation: { action: 'decline' } })
  ok(a)
  assert.is(a.json.content[0].text.length, 'decline:'.length + 1_500_000)
  const view = await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })
  assert.is(view.json.result.content[0].text, a.json.content[0].text)
  const rec = await (await gw.deps.store()).get<any>('executions', r.json.execution_id)
  assert.ok(rec!.data.result_parts >= 2, String(rec!.data.result_parts))
  assert.is(rec!.data.result, null)
})

test('secret header values an upstream echoes never reach the question, the result or the store', async () => {
  const SECRET = 'sk-live-0123456789abcdef'
  const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'echo', type: 'http', endpoint: legacy.url, config: { tool_policy: { mode: 'open' }, secret_headers: { 'X-Api-Key': SECRET } } } })
  ok(c, 201)
  const r = await gw.req('POST', `/mcps/${c.json.id}/tools/ask_echo/execute`, { token: alice, body: { arguments: {}, capabilities: FORM } })
  ok(r)
  assert.is(r.json.input_requests.elicitation.message, 'Confirm key [redacted]')
  assert.not.ok(r.text.includes(SECRET), r.text)
  const stored = await (await gw.deps.store()).get<any>('executions', r.json.execution_id)
  assert.not.ok(JSON.stringify(stored).includes(SECRET))
  const a = await answer(r.json.execution_id, { elicitation: { action: 'decline' } })
  ok(a)
  assert.is(a.json.content[0].text, 'decline with [redacted]')
  assert.not.ok(a.text.includes(SECRET), a.text)
  const view = await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })
  assert.not.ok(view.text.includes(SECRET), view.text)
  assert.not.ok(JSON.stringify(await (await gw.deps.store()).get('executions', r.json.execution_id)).includes(SECRET))
  for (const l of gw.logs) assert.not.ok(l.includes(SECRET), l)
})

test('local mode passes a plain-http URL on loopback (a local consent page), still never opened', async () => {
  const local = await startAskingLegacy({ url: 'http://127.0.0.1:9/consent' })
  try {
    const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'loopback url', type: 'http', endpoint: local.url, config: { tool_policy: { mode: 'open' } } } })
    const r = await gw.req('POST', `/mcps/${c.json.id}/tools/ask_url/execute`, { token: alice, body: { arguments: {}, capabilities: ALL } })
    ok(r)
    assert.equal([r.json.input_requests.elicitation.url, r.json.input_requests.elicitation.url_host], ['http://127.0.0.1:9/consent', '127.0.0.1:9'])
    ok(await answer(r.json.execution_id, { elicitation: { action: 'decline' } }))
  } finally {
    await local.stop()
  }
})

test('modern: DELETE while waiting for the answer: GET says cancelled, and the answer gets 409', async () => {
  modern.calls.length = 0
  const r = await exec('modern', 'ask_form', { capabilities: FORM })
  ok(await gw.req('DELETE', `/executions/${r.json.execution_id}`, { token: alice }), 204)
  assert.is((await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })).json.status, 'cancelled')
  const late = await answer(r.json.execution_id, { who: { action: 'accept', content: { name: 'Nope', age: 1 } } })
  ok(late, 409)
  assert.is(late.json.code, 'not_waiting')
  // The server holds nothing between rounds: it was called once, and never again.
  assert.is(modern.calls.length, 1)
})

test('every round is audited without the answer', async () => {
  const r = await exec('modern', 'ask_form', { capabilities: FORM })
  ok(await answer(r.json.execution_id, { who: { action: 'accept', content: { name: 'Zebedee', age: 77 } } }))
  await auditFlushed()
  const page = await (await gw.deps.store()).list<Record<string, unknown>>('audit', { limit: 1000 })
  const rounds = page.items.map((i) => i.data).filter((a) => a.action === 'execution.input' && a.execution_id === r.json.execution_id)
  assert.equal(rounds.map((a) => [a.input, a.round, a.input_kinds]), [['asked', 1, ['elicitation.form']], ['answered', 1, ['elicitation.form']]])
  assert.not.ok(JSON.stringify(page.items).includes('Zebedee'))
  for (const l of gw.logs) assert.not.ok(l.includes('Zebedee'), l)
})

test.run()
