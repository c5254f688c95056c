/**
 * The MCP surface an app expects, against real servers: resource templates
 * and completions (server-everything), the log level of a streamed call on
 * both protocol eras, client mistakes as 4xx (an unknown prompt or resource
 * is 404, a missing required argument 400 with `errors`), and a server that
 * declares lists it does not serve (-32601) listing as empty with a warning.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startEverything, type EverythingHandle } from './support/everything.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { startPartialServer } from './servers/partial.js'
import type { TestServerHandle } from './servers/tools.js'
import { isProblem } from './support/assert.js'
import { parseSse } from './support/sse.js'

const test = suite('mcp surface')
let gw: Gateway
let alice: string
let ev: EverythingHandle
let legacy: LegacyServerHandle
let modern: ModernServerHandle
let partial: TestServerHandle
let bare: TestServerHandle
let toolless: TestServerHandle
const ids = {} as Record<'ev' | 'legacy' | 'modern' | 'partial' | 'bare' | 'toolless', string>

async function addMcp(name: string, endpoint: string): Promise<string> {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name, type: 'http', auth_type: 'none', endpoint } })
  assert.is(r.status, 201, r.text)
  return r.json.id
}

const complete = (id: string, body: unknown) => gw.req('POST', `/mcps/${id}/complete`, { token: alice, body })

test.before(async () => {
  ;[gw, ev, legacy, modern, partial, bare, toolless] = await Promise.all([
    startGateway(),
    startEverything('streamableHttp'),
    startLegacyServer(),
    startModernServer(),
    startPartialServer(),
    startPartialServer({ completions: false }),
    startPartialServer({ toolsList: false }),
  ])
  alice = await gw.token('alice')
  ids.ev = await addMcp('everything', ev.url)
  ids.legacy = await addMcp('legacy', legacy.url)
  ids.modern = await addMcp('modern', modern.url)
  ids.partial = await addMcp('partial', partial.url)
  ids.bare = await addMcp('bare', bare.url)
  ids.toolless = await addMcp('toolless', toolless.url)
})

test.after(async () => {
  await gw.close()
  await Promise.all([ev.stop(), legacy.stop(), modern.stop(), partial.stop(), bare.stop(), toolless.stop()])
})

// --- resource templates and completions -----------------------------------------------

test('resource templates of server-everything', async () => {
  const r = await gw.req('GET', `/mcps/${ids.ev}/resources/templates`, { token: alice })
  assert.is(r.status, 200, r.text)
  const t = r.json.resource_templates.find((x: { uri_template: string }) => x.uri_template === 'demo://resource/dynamic/text/{resourceId}')
  assert.ok(t, r.text)
  assert.equal(Object.keys(t).sort(), ['description', 'mime_type', 'name', 'title', 'uri_template'])
  assert.is(r.json.warnings, undefined)
})

test('completions for a prompt argument, narrowed by the context, and for a template variable', async () => {
  let r = await complete(ids.ev, { ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'department', value: 'En' } })
  assert.is(r.status, 200, r.text)
  assert.equal(r.json.completion.values, ['Engineering'])
  assert.type(r.json.completion.has_more, 'boolean')
  r = await complete(ids.ev, { ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'name', value: '' }, context: { arguments: { department: 'Sales' } } })
  assert.is(r.status, 200, r.text)
  assert.equal(r.json.completion.values, ['David', 'Eve', 'Frank'])
  r = await complete(ids.ev, { ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' }, argument: { name: 'resourceId', value: '3' } })
  assert.is(r.status, 200, r.text)
  assert.equal(r.json.completion.values, ['3'])
})

test('completions on both eras of the SDK-built servers', async () => {
  for (const id of [ids.legacy, ids.modern]) {
    const r = await complete(id, { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'An' } })
    assert.is(r.status, 200, r.text)
    assert.equal(r.json.completion, { values: ['Ann', 'Anna'], total: 2, has_more: false })
  }
})

test('completing for a prompt or template the server does not have is 404', async () => {
  for (const id of [ids.ev, ids.legacy, ids.modern]) {
    isProblem(await complete(id, { ref: { type: 'ref/prompt', name: 'no-such-prompt' }, argument: { name: 'x', value: '' } }), 404, 'not_found')
    isProblem(await complete(id, { ref: { type: 'ref/resource', uri: 'demo://nothing/{id}' }, argument: { name: 'id', value: '' } }), 404, 'not_found')
  }
})

test('a malformed completion request is 400 with errors, before anything goes upstream', async () => {
  partial.reset()
  for (const [body, path] of [
    [{ ref: { type: 'ref/prompt' }, argument: { name: 'a', value: '' } }, '/ref/name'],
    [{ ref: { type: 'ref/resource', name: 'x' }, argument: { name: 'a', value: '' } }, '/ref/uri'],
    [{ ref: { type: 'ref/tool', name: 'x' }, argument: { name: 'a', value: '' } }, '/ref/type'],
    [{ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a' } }, '/argument/value'],
    [{ ref: { type: 'ref/prompt', name: 'p' } }, '/argument'],
    [{ ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: '' }, context: { arguments: { k: 1 } } }, '/context/arguments/k'],
  ] as const) {
    const r = await complete(ids.partial, body)
    isProblem(r, 400, 'invalid_request', { path })
  }
  assert.equal(partial.requests, [])
})

test('a server without completions has none to give: an empty completion and a warning', async () => {
  const r = await complete(ids.bare, { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'A' } })
  assert.is(r.status, 200, r.text)
  assert.equal(r.json.completion, { values: [], total: 0, has_more: false })
  assert.equal(
    r.json.warnings.map((w: { code: string }) => w.code),
    ['not_supported'],
  )
})

// --- client mistakes are 4xx ---------------------------------------------------------------

test('an unknown prompt is 404 on every server, listed or not', async () => {
  for (const id of [ids.ev, ids.legacy, ids.modern]) {
    const r = await gw.req('POST', `/mcps/${id}/prompts/no-such-prompt/get`, { token: alice, body: {} })
    isProblem(r, 404, 'not_found')
  }
})

test('a missing required prompt argument is 400 with errors, whether the gateway or the server notices', async () => {
  // Never listed: server-everything refuses it (-32602) and the gateway says which arguments are missing.
  const fresh = await addMcp('everything-fresh', ev.url)
  let r = await gw.req('POST', `/mcps/${fresh}/prompts/completable-prompt/get`, { token: alice, body: { arguments: { department: 'Sales' } } })
  isProblem(r, 400, 'invalid_request', { path: '/arguments/name' })
  // Listed: the gateway knows the definition and answers before anything is sent.
  assert.is((await gw.req('GET', `/mcps/${fresh}/prompts`, { token: alice })).status, 200)
  r = await gw.req('POST', `/mcps/${fresh}/prompts/completable-prompt/get`, { token: alice, body: {} })
  isProblem(r, 400, 'invalid_request')
  assert.equal(r.json.errors.map((e: { path: string }) => e.path).sort(), ['/arguments/department', '/arguments/name'])
  r = await gw.req('POST', `/mcps/${fresh}/prompts/completable-prompt/get`, { token: alice, body: { arguments: { department: 'Sales', name: 'Eve' } } })
  assert.is(r.status, 200, r.text)
})

test('an unknown resource is 404 on every server', async () => {
  for (const id of [ids.ev, ids.legacy, ids.modern]) {
    const r = await gw.req('GET', `/mcps/${id}/resources/read?uri=${encodeURIComponent('demo://no/such/thing')}`, { token: alice })
    isProblem(r, 404, 'not_found')
  }
})

// --- declared but not served ---------------------------------------------------------------

test('a server that declares tools but answers tools/list with -32601 lists none, with a warning (not a 502), every time', async () => {
  for (let i = 0; i < 2; i++) {
    const r = await gw.req('GET', `/mcps/${ids.toolless}/tools`, { token: alice })
    assert.is(r.status, 200, r.text)
    assert.equal(r.json.tools, [])
    assert.equal(r.json.warnings.map((w: { code: string; method: string }) => [w.code, w.method]), [['method_not_found', 'tools/list']])
  }
  // A server that lists its tools has no warnings member.
  assert.not.ok('warnings' in (await gw.req('GET', `/mcps/${ids.partial}/tools`, { token: alice })).json)
})

test('a server that declares resources, templates and prompts but answers -32601 lists them as empty, with warnings', async () => {
  for (const [path, key, method] of [
    ['resources', 'resources', 'resources/list'],
    ['resources/templates', 'resource_templates', 'resources/templates/list'],
    ['prompts', 'prompts', 'prompts/list'],
  ] as const) {
    const r = await gw.req('GET', `/mcps/${ids.partial}/${path}`, { token: alice })
    assert.is(r.status, 200, r.text)
    assert.equal(r.json[key], [])
    assert.equal(
      r.json.warnings.map((w: { code: string; method: string }) => [w.code, w.method]),
      [['method_not_found', method]],
    )
  }
  const c = await complete(ids.partial, { ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: '' } })
  assert.is(c.status, 200, c.text)
  assert.equal(
    c.json.warnings.map((w: { code: string }) => w.code),
    ['method_not_found'],
  )
  // Reading or getting from what it does not serve is 404, as from a server that declares nothing.
  isProblem(await gw.req('GET', `/mcps/${ids.partial}/resources/read?uri=${encodeURIComponent('test://x')}`, { token: alice }), 404, 'not_found')
  isProblem(await gw.req('POST', `/mcps/${ids.partial}/prompts/p/get`, { token: alice, body: {} }), 404, 'not_found')
  // The review of pending definitions lists them the same way.
  assert.is((await gw.req('GET', `/mcps/${ids.partial}/tools/changes`, { token: alice })).status, 200)
})

test('templates of a 2025 and a 2026-07-28 server that declare resources but serve no templates', async () => {
  for (const id of [ids.legacy, ids.modern]) {
    const r = await gw.req('GET', `/mcps/${id}/resources/templates`, { token: alice })
    assert.is(r.status, 200, r.text)
    assert.equal(r.json.resource_templates, [])
    assert.equal(
      r.json.warnings.map((w: { method: string }) => w.method),
      ['resources/templates/list'],
    )
  }
})

// --- log level of a streamed execute --------------------------------------------------------

async function logLines(id: string, body: Record<string, unknown>): Promise<string[]> {
  const res = await fetch(`${gw.base}/mcps/${id}/tools/levels/execute`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  assert.is(res.status, 200, text)
  const events = parseSse(text)
  assert.is(events.at(-1)?.event, 'result', text)
  return events.filter((e) => e.event === 'log').map((e) => e.data.level)
}

test("2026-07-28: the caller chooses the level, sent in the call's _meta; info by default", async () => {
  assert.equal(await logLines(ids.modern, {}), ['info', 'warning', 'error'])
  modern.reset()
  assert.equal(await logLines(ids.modern, { log_level: 'debug' }), ['debug', 'info', 'warning', 'error'])
  const call = modern.requests.map((q) => q.body as { method?: string; params?: { _meta?: Record<string, unknown> } }).find((b) => b?.method === 'tools/call')
  assert.is(call?.params?._meta?.['io.modelcontextprotocol/logLevel'], 'debug')
  assert.equal(await logLines(ids.modern, { log_level: 'error' }), ['error'])
})

test('2025: the level goes by logging/setLevel before the call; without one the server decides', async () => {
  legacy.reset()
  assert.equal(await logLines(ids.legacy, {}), ['debug', 'info', 'warning', 'error'])
  assert.not.ok(legacy.requests.some((q) => q.jsonrpcMethods.includes('logging/setLevel')))
  assert.equal(await logLines(ids.legacy, { log_level: 'warning' }), ['warning', 'error'])
  assert.ok(legacy.requests.some((q) => q.jsonrpcMethods.includes('logging/setLevel')))
})

test('an unknown log level is 400', async () => {
  const r = await gw.req('POST', `/mcps/${ids.modern}/tools/levels/execute`, { token: alice, body: { log_level: 'verbose' }, headers: { accept: 'text/event-stream' } })
  isProblem(r, 400, 'invalid_request', { path: '/log_level' })
})

test.run()
