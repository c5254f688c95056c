/**
 * Plain schemas (shared/mcp/plain-schema.ts): a value the main thread's quick
 * check accepts is one ajv accepts too, so a tool whose schemas are plain is
 * called (and its structured result passed) without waiting for the schema
 * worker on a new instance; anything the quick check does not accept is
 * decided, and worded, by ajv as before: bad arguments 400, a structured
 * result that breaks the output schema 502.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Ajv } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { createMcpHandler, Server } from '@modelcontextprotocol/server'
import { plainCheck } from '../shared/mcp/plain-schema.js'
import { workerStarts } from '../shared/mcp/schema-compile.js'
import { startGateway, type Gateway } from './support/gateway.js'
import { readBody, sendJson, serveLoopback } from './servers/tools.js'

const test = suite('plain schemas')

type S = Record<string, unknown>
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -5, max: 5 }), fc.constantFrom('', 'a', 'ab', 'é', '😀x', 'abc'), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('v'), { maxKeys: 3 })),
})).v.map((v) => JSON.parse(JSON.stringify(v)) as unknown) // as parsed from the wire: plain objects
const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'] as const
/** Schemas of up to three plain keywords each, nested `depth` levels (properties, additionalProperties, items). */
function schemaOf(depth: number): fc.Arbitrary<S> {
  const inner = depth > 0 ? schemaOf(depth - 1) : fc.constant({ type: 'string' } as S)
  return fc.record({
    type: fc.oneof(fc.constantFrom(...TYPES), fc.subarray([...TYPES], { minLength: 1 })),
    enum: fc.array(json, { minLength: 1, maxLength: 3 }),
    const: json,
    minLength: fc.nat(3), maxLength: fc.nat(3), minimum: fc.integer({ min: -3, max: 3 }), maximum: fc.integer({ min: -3, max: 3 }),
    minItems: fc.nat(2), maxItems: fc.nat(2),
    required: fc.subarray(['a', 'b', 'c']),
    properties: fc.dictionary(fc.constantFrom('a', 'b', 'c'), inner, { maxKeys: 2 }),
    additionalProperties: fc.oneof(fc.boolean(), inner),
    items: inner,
    description: fc.constant('words'),
  }).chain((all) => fc.subarray(Object.keys(all), { maxLength: 3 }).map((keys) => Object.fromEntries(keys.map((k) => [k, all[k as keyof typeof all]]))))
}
const schema = schemaOf(2).map((x) => JSON.parse(JSON.stringify(x)) as S)

const opts = { strict: false, allErrors: true, validateSchema: false }
const ajvs = { '2020-12': new Ajv2020(opts), 'draft-07': new Ajv(opts) }

test('every value the quick check accepts, ajv accepts too (2020-12 and draft-07)', () => {
  let accepted = 0
  fc.assert(fc.property(schema, fc.array(json, { minLength: 8, maxLength: 8 }), (s, values) => {
    const check = plainCheck(s)
    assert.ok(check, `plain: ${JSON.stringify(s)}`)
    for (const ajv of Object.values(ajvs)) {
      const v = ajv.compile(s)
      for (const x of values) if (check(x)) { accepted++; assert.ok(v(x), `${JSON.stringify(s)} accepted ${JSON.stringify(x)}`) }
    }
  }), { numRuns: 400 })
  assert.ok(accepted > 1000, `the quick check accepted only ${accepted} values`)
})

test('typical tool schemas are plain; patterns, formats, references and combinators are left to ajv', () => {
  const echo = { type: 'object', properties: { message: { type: 'string', description: 'what to echo' } }, required: ['message'], additionalProperties: false, $schema: 'http://json-schema.org/draft-07/schema#' }
  assert.is(plainCheck(echo)?.({ message: 'hi' }), true)
  assert.is(plainCheck(echo)?.({ message: 1 }), false)
  assert.is(plainCheck(echo)?.({ message: 'hi', x: 1 }), false)
  assert.is(plainCheck(echo)?.({}), false)
  for (const s of [{ type: 'string', pattern: '^a$' }, { type: 'string', format: 'uri' }, { $ref: '#/$defs/x' }, { anyOf: [{ type: 'string' }] }, { type: 'strnig' }, { properties: { __proto__x: {}, ['__proto__']: { type: 'string' } } }, { items: [{ type: 'string' }] }, false])
    assert.is(plainCheck(JSON.parse(JSON.stringify(s))), undefined, JSON.stringify(s))
})

// An upstream whose `sum` tool declares a plain output schema and breaks it when asked to.
async function startSumServer() {
  const handler = createMcpHandler(() => {
    const server = new Server({ name: 'sum', version: '1.0.0' }, { capabilities: { tools: {} } })
    const obj = { type: 'object' as const }
    server.setRequestHandler('tools/list', () => ({
      tools: [{ name: 'sum', inputSchema: { ...obj, properties: { a: { type: 'number' }, b: { type: 'number' }, lie: { type: 'boolean' } }, required: ['a', 'b'] }, outputSchema: { ...obj, properties: { sum: { type: 'number' } }, required: ['sum'] } }],
    }))
    server.setRequestHandler('tools/call', (req) => {
      const { a, b, lie } = req.params.arguments as { a: number; b: number; lie?: boolean }
      return { content: [{ type: 'text' as const, text: String(a + b) }], structuredContent: { sum: lie ? 'many' : a + b } }
    })
    return server
  })
  let origin = ''
  const srv = await serveLoopback(async (req: IncomingMessage, res: ServerResponse) => {
    const b = req.method === 'POST' ? await readBody(req) : undefined
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
    const r = await handler.fetch(new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, ...(b ? { body: b.raw } : {}) }), b ? { parsedBody: b.json } : undefined)
    if (!r) return sendJson(res, 404, {})
    const out: Record<string, string> = {}
    r.headers.forEach((v, k) => { if (k !== 'content-length') out[k] = v })
    res.writeHead(r.status, out)
    res.end(await r.text())
  }, () => handler.close())
  origin = srv.origin
  return { url: `${origin}/mcp`, stop: srv.stop }
}

test('known plain schemas: valid calls need no schema worker; bad arguments 400 and a broken result 502, as ajv words them', async () => {
  const up = await startSumServer()
  const gw: Gateway = await startGateway()
  try {
    const token = await gw.token('alice')
    const id = (await gw.req('POST', '/mcps', { token, body: { name: 'sum', type: 'http', auth_type: 'none', endpoint: up.url } })).json.id
    const l = await gw.req('GET', `/mcps/${id}/tools`, { token })
    assert.is(l.status, 200, l.text)
    const starts = workerStarts()
    const ok = await gw.req('POST', `/mcps/${id}/tools/sum/execute`, { token, body: { arguments: { a: 2, b: 3 } } })
    assert.is(ok.status, 200, ok.text)
    assert.equal(ok.json.structured_content, { sum: 5 })
    assert.is(workerStarts(), starts, 'a valid call to a tool with plain schemas started the schema worker')
    const bad = await gw.req('POST', `/mcps/${id}/tools/sum/execute`, { token, body: { arguments: { a: 'two', b: 3 } } })
    assert.is(bad.status, 400, bad.text)
    assert.equal(bad.json.errors, [{ path: '/arguments/a', message: 'must be number' }])
    const lie = await gw.req('POST', `/mcps/${id}/tools/sum/execute`, { token, body: { arguments: { a: 2, b: 3, lie: true } } })
    assert.is(lie.status, 502, lie.text)
    assert.is(lie.json.code, 'upstream_error')
    assert.match(lie.json.detail, /output schema: \/sum must be number/)
    // An interactive call (capabilities declared) and an async one end the same way: the output schema holds for executions too.
    const asked = await gw.req('POST', `/mcps/${id}/tools/sum/execute`, { token, body: { arguments: { a: 2, b: 3, lie: true }, capabilities: { elicitation: { form: {} } } } })
    assert.is(asked.status, 502, asked.text)
    assert.is(asked.json.code, 'upstream_error')
    assert.match(asked.json.detail, /output schema: \/sum must be number/)
    const fine = await gw.req('POST', `/mcps/${id}/tools/sum/execute`, { token, body: { arguments: { a: 2, b: 3 }, capabilities: { elicitation: { form: {} } } } })
    assert.is(fine.status, 200, fine.text)
    assert.equal(fine.json.structured_content, { sum: 5 })
    const later = await gw.req('POST', `/mcps/${id}/tools/sum/execute`, { token, headers: { prefer: 'respond-async' }, body: { arguments: { a: 2, b: 3, lie: true } } })
    assert.is(later.status, 202, later.text)
    let x = later.json
    for (let i = 0; i < 100 && x.status === 'working'; i++) {
      await new Promise((r) => setTimeout(r, 20))
      x = (await gw.req('GET', `/executions/${later.json.id}`, { token })).json
    }
    assert.is(x.status, 'failed', JSON.stringify(x))
    assert.is(x.error.code, 'upstream_error')
    assert.match(x.error.detail, /output schema: \/sum must be number/)
  } finally {
    await gw.close()
    await up.stop()
  }
})

test.run()
