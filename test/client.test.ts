/**
 * The typed client (client/) against the real gateway in local mode, with
 * server-everything (progress) and an SDK-built server that asks its user
 * (interactive executions). Node's fetch plays the browser's.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Gateway, GatewayError } from '../client/src/index.js'
import { startGateway, type Gateway as Local } from './support/gateway.js'
import { startEverything, type EverythingHandle } from './support/everything.js'
import { startAskingModern, type AskingHandle } from './servers/asking.js'
import { rejects } from './support/assert.js'
import { contractViolation } from './support/contract.js'

const test = suite('client')
let local: Local
let ev: EverythingHandle
let asking: AskingHandle
let alice: Gateway
let evId: string
let askId: string
let tokenCalls = 0

/** Every request a client sends: method, path and If-Match. */
const sent: { method: string; path: string; ifMatch: string | null; prefer: string | null }[] = []
/** Every answer the client got that the OpenAPI document does not describe (test/support/contract.ts). */
const violations: string[] = []
const streams: Promise<void>[] = []
const recording: typeof fetch = async (input, init) => {
  const h = new Headers(init?.headers)
  const url = new URL(String(input))
  const method = init?.method ?? 'GET'
  sent.push({ method, path: url.pathname + url.search, ifMatch: h.get('if-match'), prefer: h.get('prefer') })
  const res = await fetch(input, init)
  const check = (text: string) => {
    const broken = contractViolation(method, url.pathname, res.status, res.headers.get('content-type'), text)
    if (broken) violations.push(broken)
  }
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    // A stream is checked from a copy read alongside the client's (awaiting it here would hold the stream back);
    // a stream the test aborted is not checked.
    streams.push(
      res
        .clone()
        .text()
        .then(check, () => {}),
    )
  } else check(await res.clone().text())
  return res
}

const isCode = (status: number, code: string) => (e: unknown) => e instanceof GatewayError && e.status === status && e.code === code

test.before(async () => {
  local = await startGateway({ env: { QUOTA_CONFIGS_PER_USER: '3' } })
  ev = await startEverything('streamableHttp')
  asking = await startAskingModern()
  const admin = await local.token('ops', { org: 'acme', admin: true })
  const ops = new Gateway({ baseUrl: local.url, token: admin })
  evId = (await ops.createMcp({ name: 'everything', type: 'http', endpoint: ev.url, scope: 'org', config: { tool_policy: { mode: 'open' } } })).id
  askId = (await ops.createMcp({ name: 'asking', type: 'http', endpoint: asking.url, scope: 'org', config: { tool_policy: { mode: 'open' } } })).id
  // A function token is asked for on every request (an app returns a fresh ID token there).
  alice = new Gateway({ baseUrl: local.url, token: async () => (tokenCalls++, local.token('alice', { org: 'acme' })), fetch: recording })
})
test.after.each(async () => {
  await Promise.all(streams.splice(0))
  assert.equal(violations.splice(0), [], 'answers the OpenAPI document does not describe')
})
test.after(async () => {
  await local?.close()
  await ev?.stop()
  await asking?.stop()
})

test('create, update with the remembered ETag, and a stale one refused: 412 precondition_failed as a GatewayError', async () => {
  const created = await alice.createMcp({ name: 'crud', type: 'http', endpoint: ev.url })
  const first = alice.etagOf(created.id)
  assert.match(first ?? '', /^"v\d+"$/, 'the ETag of the create is remembered')
  sent.length = 0
  const before = tokenCalls
  const renamed = await alice.updateMcp(created.id, { name: 'crud-2' })
  assert.is(renamed.name, 'crud-2')
  assert.is(sent[0]!.ifMatch, first, 'If-Match is the remembered ETag')
  assert.is(tokenCalls, before + 1, 'the token function is asked once per request')
  assert.is.not(alice.etagOf(created.id), first, "the update's ETag replaces it")
  // Another tab (its own client) writes in between.
  const other = new Gateway({ baseUrl: local.url, token: await local.token('alice', { org: 'acme' }) })
  await other.getMcp(created.id)
  await other.updateMcp(created.id, { name: 'from-the-other-tab' })
  const e = await rejects(() => alice.updateMcp(created.id, { name: 'lost update' }), isCode(412, 'precondition_failed'))
  assert.is(e.problem.status, 412)
  assert.is((await other.getMcp(created.id)).name, 'from-the-other-tab', 'the stale write changed nothing')
  await rejects(() => alice.deleteMcp(created.id), isCode(412, 'precondition_failed'), 'a stale DELETE is refused too')
  // An explicit {etag} overrides the remembered one.
  sent.length = 0
  const forced = await alice.updateMcp(created.id, { name: 'forced' }, { etag: '*' })
  assert.is(sent[0]!.ifMatch, '*')
  assert.is(forced.name, 'forced')
  await alice.getMcp(created.id)
  await alice.deleteMcp(created.id)
  assert.is(alice.etagOf(created.id), undefined)
  await rejects(() => alice.getMcp(created.id), isCode(404, 'not_found'))
})

test('listMcps pages through next_cursor as an async iterator', async () => {
  const ids: string[] = []
  for (const n of ['p1', 'p2', 'p3']) ids.push((await alice.createMcp({ name: n, type: 'http', endpoint: ev.url })).id)
  try {
    sent.length = 0
    const seen: string[] = []
    for await (const m of alice.listMcps({ limit: 2 })) seen.push(m.id)
    // alice's three configs and the org's two, each once, in id order.
    assert.is(seen.length, 5, JSON.stringify(seen))
    assert.equal(new Set(seen).size, 5)
    for (const id of [...ids, evId, askId]) assert.ok(seen.includes(id), id)
    assert.equal([...seen].sort(), seen, 'ordered by id')
    assert.is(sent.length, 3, 'three pages of at most 2')
    assert.ok(
      sent.slice(1).every((s) => s.path.includes('cursor=')),
      JSON.stringify(sent),
    )
  } finally {
    for (const id of ids) await alice.deleteMcp(id)
  }
})

test('errors are typed: errors[] on 400, retry_after from Retry-After on 429, network_error without a gateway', async () => {
  const bad = await rejects(() => alice.createMcp({ name: 'x', type: 'http', endpoint: 'ftp://nope' }), isCode(400, 'invalid_request'))
  assert.ok(
    bad.errors?.some((x: { path: string }) => x.path === '/endpoint'),
    JSON.stringify(bad.errors),
  )
  assert.ok(bad.message.length > 0)
  const ids: string[] = []
  try {
    for (let i = 0; i < 3; i++) ids.push((await alice.createMcp({ name: `q${i}`, type: 'http', endpoint: ev.url })).id)
    const q = await rejects(() => alice.createMcp({ name: 'one too many', type: 'http', endpoint: ev.url }), isCode(429, 'quota_exceeded'))
    assert.is(q.retry_after, 60)
    assert.equal(q.problem.quota, { name: 'configs_per_user', limit: 3 })
  } finally {
    for (const id of ids) await alice.deleteMcp(id)
  }
  const unauth = new Gateway({ baseUrl: local.url, token: 'not-a-jwt' })
  await rejects(() => unauth.getMcp(evId), isCode(401, 'unauthenticated'))
  const nowhere = new Gateway({ baseUrl: 'http://127.0.0.1:1', token: 't' })
  await rejects(
    () => nowhere.getMcp(evId),
    (e) => e instanceof GatewayError && e.status === 0 && e.code === 'network_error',
  )
})

test("listing: tools, resources and prompts are the API's own bodies", async () => {
  const t = await alice.listTools(evId)
  assert.ok(t.tools.some((x) => x.name === 'echo'))
  assert.ok(Array.isArray((await alice.listResources(evId)).resources))
  assert.ok(Array.isArray((await alice.listPrompts(evId)).prompts))
  const check = await alice.checkMcp(evId)
  assert.is(check.ok, true, JSON.stringify(check))
  const r = await alice.execute(evId, 'echo', { arguments: { message: 'hi' } })
  if (r.status !== 'completed') return assert.unreachable(JSON.stringify(r))
  assert.match(JSON.stringify(r.content), 'hi')
})

test('executeStream yields progress events, then the result', async () => {
  const events: { event: string; data: any }[] = []
  for await (const e of alice.executeStream(evId, 'trigger-long-running-operation', { arguments: { duration: 1, steps: 4 } })) events.push(e)
  const names = events.map((e) => e.event)
  assert.ok(names.filter((n) => n === 'progress').length >= 2, names.join(','))
  assert.is(names.at(-1), 'result', names.join(','))
  assert.is(typeof events.find((e) => e.event === 'progress')!.data.progress, 'number')
  assert.is(events.at(-1)!.data.status, 'completed')
})

test('executeStream: a failure before the stream opens throws; aborting closes the stream', async () => {
  await rejects(
    async () => {
      for await (const _ of alice.executeStream(evId, 'no-such-tool', { arguments: {} })) assert.unreachable()
    },
    isCode(404, 'not_found'),
  )
  const ac = new AbortController()
  const got: string[] = []
  const t0 = Date.now()
  const e = await rejects(async () => {
    for await (const ev of alice.executeStream(evId, 'trigger-long-running-operation', { arguments: { duration: 30, steps: 30 } }, { signal: ac.signal })) {
      got.push(ev.event)
      if (ev.event === 'progress') ac.abort()
    }
  })
  assert.is(e.name, 'AbortError', String(e))
  assert.equal(got, ['progress'])
  assert.ok(Date.now() - t0 < 20_000, 'well before the 30 s operation ends')
})

const FORM = { elicitation: { form: {} } }

test('interactive: input_required is answered through the client and the call completes', async () => {
  const q = await alice.execute(askId, 'ask_form', { arguments: {}, capabilities: FORM })
  // The types narrow on `status`: the question, or the completed call.
  if (q.status !== 'input_required') return assert.unreachable(JSON.stringify(q))
  assert.equal(Object.keys(q.input_requests), ['who'])
  assert.is(q.input_requests.who!.mode, 'form')
  const bad = await rejects(() => alice.answer(q.execution_id, { who: { action: 'accept', content: { name: 'Ada' } } }), isCode(400, 'invalid_request'))
  assert.ok(
    bad.errors.some((x: { path: string }) => x.path.startsWith('/responses/who/content')),
    JSON.stringify(bad.errors),
  )
  const done = await alice.answer(q.execution_id, { who: { action: 'accept', content: { name: 'Ada', age: 36 } } })
  if (done.status !== 'completed' || !('content' in done)) return assert.unreachable(JSON.stringify(done))
  assert.is(done.content[0]!.text, 'hello Ada (36)')
})

test('interactive over the stream: the input_required event is answered while the stream stays open', async () => {
  const events: { event: string; data: any }[] = []
  for await (const e of alice.executeStream(askId, 'ask_form', { arguments: {}, capabilities: FORM })) {
    events.push(e)
    if (e.event === 'input_required') await alice.answer(e.data.execution_id, { who: { action: 'accept', content: { name: 'Grace', age: 85 } } }, { async: true })
  }
  const names = events.map((e) => e.event)
  assert.ok(names.includes('input_required'), names.join(','))
  assert.is(names.at(-1), 'result', names.join(','))
  assert.is(events.at(-1)!.data.content[0].text, 'hello Grace (85)')
})

test('Prefer: respond-async, polling until the question, then cancel: the execution is cancelled and a late answer is 409 not_waiting', async () => {
  sent.length = 0
  const rec = await alice.execute(askId, 'ask_form', { arguments: {}, capabilities: FORM }, { async: true })
  assert.is(sent[0]!.prefer, 'respond-async')
  assert.ok(rec.id, JSON.stringify(rec))
  const asked = await alice.waitExecution(rec.id, { intervalMs: 100, timeoutMs: 20_000 })
  assert.is(asked.status, 'input_required', JSON.stringify(asked))
  await alice.cancelExecution(rec.id)
  assert.is((await alice.getExecution(rec.id)).status, 'cancelled')
  const late = await rejects(() => alice.answer(rec.id, { who: { action: 'decline' } }), isCode(409, 'not_waiting'))
  assert.is(late.problem.status_now, 'cancelled')
  await rejects(() => alice.getExecution('nope'), isCode(404, 'not_found'))
})

test.run()
