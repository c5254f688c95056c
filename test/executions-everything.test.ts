/**
 * Interactive executions against a server nobody here wrote:
 * server-everything's elicitation and sampling tools, which it offers only to
 * a client that declares those capabilities.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startEverything, type EverythingHandle } from './support/everything.js'

const test = suite('executions: server-everything')
let gw: Gateway
let ev: EverythingHandle
let alice: string
let id: string

test.before(async () => {
  gw = await startGateway()
  ev = await startEverything('streamableHttp')
  alice = await gw.token('alice')
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'everything', type: 'http', endpoint: ev.url, config: { tool_policy: { mode: 'open' } } } })
  assert.is(r.status, 201, r.text)
  id = r.json.id
})
test.after(async () => {
  await gw?.close()
  await ev?.stop()
})

test('without capabilities the elicitation tool does not exist, as before (404)', async () => {
  const r = await gw.req('POST', `/mcps/${id}/tools/trigger-elicitation-request/execute`, { token: alice, body: { arguments: {} } })
  assert.is(r.status, 404, r.text)
})

test('trigger-elicitation-request: the form comes to the app, the accepted content goes back', async () => {
  const r = await gw.req('POST', `/mcps/${id}/tools/trigger-elicitation-request/execute`, { token: alice, body: { arguments: {}, capabilities: { elicitation: { form: {} } } } })
  assert.is(r.status, 200, r.text)
  assert.is(r.json.status, 'input_required', r.text)
  const [key, q] = Object.entries(r.json.input_requests)[0] as [string, any]
  assert.is(q.mode, 'form')
  assert.equal(q.requested_schema.required, ['name'])
  const bad = await gw.req('POST', `/executions/${r.json.execution_id}/input`, { token: alice, body: { responses: { [key]: { action: 'accept', content: { name: 'Grace', integer: 1000 } } } } })
  assert.is(bad.status, 400, bad.text)
  assert.ok(bad.json.errors.some((e: any) => e.path === `/responses/${key}/content/integer`), bad.text)
  const a = await gw.req('POST', `/executions/${r.json.execution_id}/input`, { token: alice, body: { responses: { [key]: { action: 'accept', content: { name: 'Grace Hopper', check: true, integer: 7 } } } } })
  assert.is(a.status, 200, a.text)
  assert.is(a.json.status, 'completed')
  const text = a.json.content.map((c: any) => c.text).join('\n')
  assert.match(text, 'User provided the requested information')
  assert.match(text, 'Grace Hopper')
})

test('trigger-sampling-request: the app answers as the model', async () => {
  const r = await gw.req('POST', `/mcps/${id}/tools/trigger-sampling-request/execute`, { token: alice, body: { arguments: { prompt: 'two words', maxTokens: 10 }, capabilities: { sampling: {} } } })
  assert.is(r.status, 200, r.text)
  const [key, q] = Object.entries(r.json.input_requests)[0] as [string, any]
  assert.is(q.kind, 'sampling')
  assert.is(q.params.maxTokens, 10)
  const a = await gw.req('POST', `/executions/${r.json.execution_id}/input`, { token: alice, body: { responses: { [key]: { role: 'assistant', content: { type: 'text', text: 'hello there' }, model: 'app-llm', stopReason: 'endTurn' } } } })
  assert.is(a.status, 200, a.text)
  assert.match(a.json.content[0].text, 'app-llm')
  assert.match(a.json.content[0].text, 'hello there')
})

test.run()
