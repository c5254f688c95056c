/**
 * The gateway against real upstream MCP servers: both protocol generations
 * (2025 legacy with Mcp-Session-Id, 2026-07-28 with server/discover), the era
 * cache, server-everything over streamable HTTP and SSE, pagination, and
 * upstream credentials (bearer, secret headers) that never leak.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { BASE_TOOL_NAMES, type RecordedRequest } from './servers/tools.js'
import { startEverything, type EverythingHandle } from './support/everything.js'
import { parseSse } from './support/sse.js'

const MODERN_VERSION = '2026-07-28'
const UPSTREAM_TOKEN = 'upstream-tok-7d1f0c9e5b'
const SECRET_HEADER = 'secret-hdr-a94c2e11f0'

const test = suite('upstream')
let gw: Gateway
let alice: string
let legacy: LegacyServerHandle
let modern: ModernServerHandle
let paged: LegacyServerHandle
let walled: ModernServerHandle
const evs: EverythingHandle[] = []
/** Measured POSTs per execute call, printed at the end for the report. */
const measured: Record<string, number> = {}

async function addMcp(body: Record<string, unknown>): Promise<string> {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { auth_type: 'none', type: 'http', ...body } })
  assert.is(r.status, 201, r.text)
  return r.json.id
}

const posts = (reqs: RecordedRequest[]) => reqs.filter((r) => r.method === 'POST')
const rpc = (reqs: RecordedRequest[]) => posts(reqs).flatMap((r) => r.jsonrpcMethods)

async function stream(path: string, body: unknown): Promise<{ status: number; type: string; events: { event: string; data: any }[] }> {
  const res = await fetch(gw.base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  return { status: res.status, type: res.headers.get('content-type') ?? '', events: res.ok ? parseSse(text) : [] }
}

test.before(async () => {
  ;[gw, legacy, modern, paged, walled] = await Promise.all([
    startGateway(),
    startLegacyServer(),
    startModernServer(),
    startLegacyServer({ toolCount: 120 }),
    startModernServer({ requireBearer: UPSTREAM_TOKEN }),
  ])
  alice = await gw.token('alice')
})

test.after(async () => {
  console.log(`  upstream POSTs per execute call: ${JSON.stringify(measured)}`)
  await Promise.allSettled([legacy?.stop(), modern?.stop(), paged?.stop(), walled?.stop(), ...evs.map((e) => e.stop())])
  await gw?.close()
})

// --- protocol generations --------------------------------------------------

test('legacy (2025) server: initialize + Mcp-Session-Id, then the era cache skips the probe', async () => {
  const id = await addMcp({ name: 'legacy', endpoint: legacy.url })
  legacy.reset()
  const r1 = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'hi' } } })
  assert.is(r1.status, 200, r1.text)
  assert.equal(r1.json, { content: [{ type: 'text', text: 'Echo: hi' }], structured_content: null, is_error: false, status: 'completed' })
  const cold = posts(legacy.requests)
  const methods = rpc(legacy.requests)
  assert.ok(methods.includes('initialize'), methods.join())
  const init = cold.findIndex((r) => r.jsonrpcMethods.includes('initialize'))
  const after = cold.slice(init + 1)
  const sid = after[0]?.headers['mcp-session-id']
  assert.type(sid, 'string', 'the session id is sent after initialize')
  for (const r of after) assert.is(r.headers['mcp-session-id'], sid, r.jsonrpcMethods.join())
  assert.is(methods.filter((m) => m === 'tools/call').length, 1)
  assert.is(methods[0], 'server/discover', 'the first connection probes')
  measured.legacy_cold = cold.length

  legacy.reset()
  const r2 = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'again' } } })
  assert.is(r2.status, 200, r2.text)
  assert.is(r2.json.content[0].text, 'Echo: again')
  const warm = rpc(legacy.requests)
  assert.not.ok(warm.includes('server/discover'), `warm call probed again: ${warm}`)
  assert.equal(warm, ['tools/call'], 'the warm call reuses the upstream session: one POST, no initialize')
  assert.is(posts(legacy.requests)[0]!.headers['mcp-session-id'], sid, 'same Mcp-Session-Id as the first call')
  measured.legacy_warm = posts(legacy.requests).length
})

for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
  test(`a ${version} server: listing and execute work, and calls carry MCP-Protocol-Version ${version}`, async () => {
    const old = await startLegacyServer({ protocolVersion: version })
    try {
      const id = await addMcp({ name: `v${version}`, endpoint: old.url })
      const t = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
      assert.is(t.status, 200, t.text)
      const r = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: version } } })
      assert.is(r.status, 200, r.text)
      assert.is(r.json.content[0].text, `Echo: ${version}`)
      const call = old.requests.find((q) => q.jsonrpcMethods.includes('tools/call'))!
      assert.is(call.headers['mcp-protocol-version'], version)
    } finally {
      await old.stop()
    }
  })
}

test('modern (2026-07-28) server: server/discover, no initialize; the warm call is one POST', async () => {
  const id = await addMcp({ name: 'modern', endpoint: modern.url })
  modern.reset()
  const r1 = await gw.req('POST', `/mcps/${id}/tools/add/execute`, { token: alice, body: { arguments: { a: 2, b: 3 } } })
  assert.is(r1.status, 200, r1.text)
  assert.equal(r1.json.structured_content, { sum: 5 })
  assert.is(r1.json.is_error, false)
  const methods = rpc(modern.requests)
  assert.is(methods[0], 'server/discover')
  assert.not.ok(methods.includes('initialize'), methods.join())
  assert.not.ok(methods.includes('notifications/initialized'))
  const call = posts(modern.requests).find((r) => r.jsonrpcMethods.includes('tools/call'))!
  assert.is(call.headers['mcp-protocol-version'], MODERN_VERSION)
  const meta = JSON.stringify((call.body as { params?: { _meta?: unknown } }).params?._meta ?? {})
  assert.ok(meta.includes(MODERN_VERSION), `per-request envelope: ${meta}`)
  assert.is(call.headers['mcp-session-id'], undefined)
  measured.modern_cold = posts(modern.requests).length

  modern.reset()
  const r2 = await gw.req('POST', `/mcps/${id}/tools/add/execute`, { token: alice, body: { arguments: { a: 1, b: 1 } } })
  assert.is(r2.status, 200, r2.text)
  assert.equal(r2.json.structured_content, { sum: 2 })
  assert.equal(rpc(modern.requests), ['tools/call'], 'cached discover result and tool list: no probe')
  measured.modern_warm = posts(modern.requests).length
})

test('a 400 for bad arguments or a 404 for an unknown tool does not cost the next call a probe', async () => {
  const id = await addMcp({ name: 'modern-errors', endpoint: modern.url })
  assert.is((await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'warm' } } })).status, 200)
  const bad = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 1 } } })
  assert.is(bad.status, 400, bad.text)
  const missing = await gw.req('POST', `/mcps/${id}/tools/nope/execute`, { token: alice, body: { arguments: {} } })
  assert.is(missing.status, 404, missing.text)
  modern.reset()
  const r = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'after' } } })
  assert.is(r.status, 200, r.text)
  assert.equal(rpc(modern.requests), ['tools/call'])
})

test('resources and prompts on both generations', async () => {
  for (const s of [legacy, modern]) {
    const id = await addMcp({ name: 'rp', endpoint: s.url })
    const res = await gw.req('GET', `/mcps/${id}/resources`, { token: alice })
    assert.is(res.status, 200, res.text)
    assert.ok(res.json.resources.some((r: { uri: string }) => r.uri === 'test://hello'))
    const read = await gw.req('GET', `/mcps/${id}/resources/read?uri=${encodeURIComponent('test://hello')}`, { token: alice })
    assert.is(read.status, 200, read.text)
    assert.is(read.json.contents[0].text, 'hello world')
    const pr = await gw.req('GET', `/mcps/${id}/prompts`, { token: alice })
    assert.equal(pr.json.prompts.map((p: { name: string }) => p.name), ['greet'])
    const got = await gw.req('POST', `/mcps/${id}/prompts/greet/get`, { token: alice, body: { arguments: { name: 'Ann' } } })
    assert.is(got.status, 200, got.text)
    assert.is(got.json.messages[0].content.text, 'Hello, Ann!')
  }
})

test('pagination: all 128 tools of a paged legacy server are listed', async () => {
  const id = await addMcp({ name: 'paged', endpoint: paged.url })
  paged.reset()
  const r = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(r.status, 200, r.text)
  const names: string[] = r.json.tools.map((t: { name: string }) => t.name)
  assert.is(names.length, BASE_TOOL_NAMES.length + 120)
  assert.is(new Set(names).size, names.length)
  assert.ok(names.includes('t001') && names.includes('t120') && names.includes('echo'))
  assert.is(rpc(paged.requests).filter((m) => m === 'tools/list').length, 3)
  const echo = r.json.tools.find((t: { name: string }) => t.name === 'echo')
  assert.equal(Object.keys(echo).sort(), [
    'annotations', 'approval', 'approval_reason', 'description', 'findings', 'fingerprint', 'input_schema', 'name', 'output_schema', 'title', 'validation', 'validation_reason',
  ])
  assert.equal([echo.validation, echo.validation_reason], ['gateway', null])
  // The owner's first listing pins the set it shows (other configs' echo tools make a medium name-collision finding).
  assert.equal([echo.approval, echo.approval_reason], ['approved', null])
  assert.ok(echo.findings.every((f: { severity: string }) => f.severity === 'medium'), JSON.stringify(echo.findings))
  assert.match(echo.fingerprint, /^sha256:[0-9a-f]{64}$/)
})

// --- server-everything -----------------------------------------------------

for (const mode of ['streamableHttp', 'sse'] as const) {
  test(`server-everything over ${mode}: tools, echo, resource, prompts, streamed progress`, async () => {
    const ev = await startEverything(mode)
    evs.push(ev)
    const id = await addMcp({ name: `everything-${mode}`, type: mode === 'sse' ? 'sse' : 'http', endpoint: ev.url })
    const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
    assert.is(tools.status, 200, tools.text)
    const names: string[] = tools.json.tools.map((t: { name: string }) => t.name)
    assert.ok(names.length >= 13, names.join())
    assert.ok(names.includes('echo') && names.includes('trigger-long-running-operation'))

    const echo = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'hello' } } })
    assert.is(echo.status, 200, echo.text)
    assert.is(echo.json.is_error, false)
    assert.ok(JSON.stringify(echo.json.content).includes('hello'))

    const res = await gw.req('GET', `/mcps/${id}/resources`, { token: alice })
    assert.is(res.status, 200, res.text)
    assert.ok(res.json.resources.length > 0)
    const uri = res.json.resources[0].uri as string
    const read = await gw.req('GET', `/mcps/${id}/resources/read?uri=${encodeURIComponent(uri)}`, { token: alice })
    assert.is(read.status, 200, read.text)
    assert.is(read.json.contents[0].uri, uri)

    const prompts = await gw.req('GET', `/mcps/${id}/prompts`, { token: alice })
    assert.is(prompts.status, 200, prompts.text)
    const simple = prompts.json.prompts.find((p: { arguments: { required: boolean }[] }) => p.arguments.every((a) => !a.required))
    assert.ok(simple, 'a prompt without required arguments')
    const got = await gw.req('POST', `/mcps/${id}/prompts/${encodeURIComponent(simple.name)}/get`, { token: alice, body: {} })
    assert.is(got.status, 200, got.text)
    assert.ok(got.json.messages.length > 0)

    const s = await stream(`/mcps/${id}/tools/trigger-long-running-operation/execute`, { arguments: { duration: 1, steps: 3 } })
    assert.is(s.status, 200)
    assert.ok(s.type.startsWith('text/event-stream'), s.type)
    const kinds = s.events.map((e) => e.event)
    assert.ok(kinds.includes('progress'), kinds.join())
    assert.is(kinds.filter((k) => k === 'result' || k === 'error').length, 1, kinds.join())
    assert.is(kinds.at(-1), 'result', kinds.join())
    assert.ok(kinds.indexOf('progress') < kinds.indexOf('result'))
    const p = s.events.find((e) => e.event === 'progress')!.data
    assert.type(p.progress, 'number')
    assert.is(s.events.at(-1)!.data.is_error, false)
    await ev.stop()
  })
}

// --- upstream credentials --------------------------------------------------

test('bearer token and secret headers reach upstream; the caller JWT never does', async () => {
  const id = await addMcp({
    name: 'walled', endpoint: walled.url, auth_type: 'bearer',
    config: { token: UPSTREAM_TOKEN, headers: { 'X-Plain': 'plain-value' }, secret_headers: { 'X-Api-Key': SECRET_HEADER } },
  })
  walled.reset()
  const r = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'x' } } })
  assert.is(r.status, 200, r.text)
  assert.ok(walled.requests.length > 0)
  for (const q of walled.requests) {
    assert.is(q.headers.authorization, `Bearer ${UPSTREAM_TOKEN}`)
    assert.is(q.headers['x-api-key'], SECRET_HEADER)
    assert.is(q.headers['x-plain'], 'plain-value')
    assert.not.ok(JSON.stringify(q).includes(alice), 'the caller JWT reached upstream')
  }
  // Nor does the gateway hand secrets back in its views.
  const view = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.not.ok(view.text.includes(UPSTREAM_TOKEN) || view.text.includes(SECRET_HEADER), view.text)
})

test('a wrong upstream token is 409 authorization_required as problem+json', async () => {
  const id = await addMcp({ name: 'wrong', endpoint: walled.url, auth_type: 'bearer', config: { token: 'not-the-right-one' } })
  for (const [m, p, body] of [['POST', `/mcps/${id}/tools/echo/execute`, { arguments: { message: 'x' } }], ['GET', `/mcps/${id}/tools`, undefined]] as const) {
    const r = await gw.req(m, p, { token: alice, body })
    assert.is(r.status, 409, r.text)
    assert.is(r.json.code, 'authorization_required')
    assert.ok(r.headers.get('content-type')!.startsWith('application/problem+json'))
  }
})

test('no log line holds the upstream token, a secret header or the caller JWT', () => {
  assert.ok(gw.logs.length > 0)
  for (const l of gw.logs) {
    for (const secret of [UPSTREAM_TOKEN, SECRET_HEADER, alice]) assert.not.ok(l.includes(secret), `leaked in: ${l.slice(0, 300)}`)
  }
})

test.run()
