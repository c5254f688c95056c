/**
 * Hostile upstream schemas and results (test/servers/hostile-schema.ts): the
 * gateway compiles only schemas within its limits, off the event loop and
 * within a time limit, runs their patterns on RE2, says in the listing which
 * tools it does not validate, keeps its validator cache within a byte bound,
 * and bounds nesting: deep arguments are 400, deep results 502. Meanwhile
 * another user's calls keep being answered.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { deepJson, nested, REDOS_INPUT, startHostileSchemaServer } from './servers/hostile-schema.js'
import type { TestServerHandle } from './servers/tools.js'
import { parseSse } from './support/sse.js'
import { Lru } from '../shared/cache.js'
import { _validatorCache, prepareSchema, validationOf } from '../shared/mcp/args.js'
import { unsupportedSyntax } from '../shared/mcp/re2.js'
import { SCHEMA_LIMITS, staticVerdict } from '../shared/mcp/schema-limits.js'

/** Another user's call must be answered within this while a hostile one is in progress (generous: 2 shared cores). */
const OTHERS_MS = 2000
/** A hostile call must end within this (the compile time limit is 5 s, lowered to 1 s below). */
const HOSTILE_MS = 8000

const test = suite('schema limits')
let gw: Gateway
let alice: string
let bob: string
let hostile: TestServerHandle
let healthy: ModernServerHandle
let hostileId: string
let healthyId: string

test.before(async () => {
  ;[gw, hostile, healthy] = await Promise.all([startGateway(), startHostileSchemaServer(), startModernServer()])
  ;[alice, bob] = await Promise.all([gw.token('alice'), gw.token('bob')])
  const add = (token: string, name: string, endpoint: string) =>
    gw.req('POST', '/mcps', { token, body: { name, type: 'http', auth_type: 'none', endpoint, config: { timeout_ms: 30_000 } } })
  const [h, g] = await Promise.all([add(alice, 'hostile', hostile.url), add(bob, 'healthy', healthy.url)])
  assert.is(h.status, 201, h.text)
  assert.is(g.status, 201, g.text)
  hostileId = h.json.id
  healthyId = g.json.id
  // Bob's tools are known, so each of his calls is validated too.
  assert.is((await gw.req('GET', `/mcps/${healthyId}/tools`, { token: bob })).status, 200)
  assert.is((await call(bob, healthyId, 'echo', { message: 'warm' })).status, 200)
})

test.after(async () => {
  await Promise.allSettled([hostile?.stop(), healthy?.stop()])
  await gw?.close()
})

const call = (token: string, id: string, tool: string, args: unknown, headers?: Record<string, string>) =>
  gw.req('POST', `/mcps/${id}/tools/${tool}/execute`, { token, body: { arguments: args }, ...(headers ? { headers } : {}) })

/**
 * Runs alice's hostile call and, until it ends, bob's calls to a healthy
 * server one after another. Returns alice's answer, how long it took, and
 * how long each of bob's calls took.
 */
async function meanwhile(hostileCall: () => Promise<Res>): Promise<{ res: Res; ms: number; others: number[] }> {
  const t0 = performance.now()
  let done = false
  const p = hostileCall().finally(() => { done = true })
  const others: number[] = []
  while (!done && others.length < 500) {
    const t = performance.now()
    const r = await call(bob, healthyId, 'echo', { message: 'hi' })
    assert.is(r.status, 200, r.text)
    others.push(performance.now() - t)
  }
  const res = await p
  return { res, ms: performance.now() - t0, others }
}

function notStalled(m: { ms: number; others: number[] }) {
  const worst = Math.max(...m.others)
  assert.ok(worst < OTHERS_MS, `another user's call took ${Math.round(worst)} ms`)
  assert.ok(m.ms < HOSTILE_MS, `the hostile call took ${Math.round(m.ms)} ms`)
}

const reached = (r: Res, tool: string) => {
  assert.is(r.status, 200, r.text)
  assert.equal(r.json.content, [{ type: 'text', text: `reached: ${tool}` }])
}

async function listing(): Promise<Record<string, { validation: string; validation_reason: string | null }>> {
  const r = await gw.req('GET', `/mcps/${hostileId}/tools`, { token: alice })
  assert.is(r.status, 200, r.text)
  return Object.fromEntries(r.json.tools.map((t: any) => [t.name, { validation: t.validation, validation_reason: t.validation_reason }]))
}

test('the listing says which tools the gateway validates, and why not', async () => {
  const tools = await listing()
  const skipped = (reason: string) => ({ validation: 'skipped', validation_reason: reason })
  const checked = { validation: 'gateway', validation_reason: null }
  assert.equal(tools.plain, checked)
  assert.equal(tools.redos, checked)
  assert.equal(tools.giant, skipped('too_many_properties'))
  assert.equal(tools.over_size, skipped('schema_too_large'))
  assert.equal(tools.over_properties, skipped('too_many_properties'))
  assert.equal(tools.over_depth, skipped('schema_too_deep'))
  assert.equal(tools.over_pattern_length, skipped('pattern_too_long'))
  assert.equal(tools.over_patterns, skipped('too_many_patterns'))
  assert.equal(tools.lookahead, skipped('pattern_unsupported'))
})

test('a tool past a limit goes to the server unvalidated; one within them is checked first', async () => {
  const bad = await call(alice, hostileId, 'plain', {})
  assert.is(bad.status, 400, bad.text)
  assert.is(bad.json.errors[0].path, '/arguments/must')
  for (const tool of ['over_size', 'over_properties', 'over_depth', 'over_pattern_length', 'over_patterns', 'lookahead']) {
    reached(await call(alice, hostileId, tool, {}), tool)
  }
})

test('10,000 properties with patterns: the call is not held up and no one else is', async () => {
  const m = await meanwhile(() => call(alice, hostileId, 'giant', {}))
  reached(m.res, 'giant')
  notStalled(m)
})

test('a schema within the limits that compiles for seconds is abandoned at the time limit, off the event loop', async () => {
  // 1 s instead of 5: quicker, and a machine several times faster than this one still runs out of time.
  const limit = SCHEMA_LIMITS.compileMs
  SCHEMA_LIMITS.compileMs = 1000
  const m = await meanwhile(() => call(alice, hostileId, 'slow', {})).finally(() => { SCHEMA_LIMITS.compileMs = limit })
  reached(m.res, 'slow')
  notStalled(m)
  // Bob was answered while the worker compiled: the event loop was free.
  assert.ok(m.others.length >= 3, `only ${m.others.length} calls of bob's overlapped`)
  assert.equal((await listing()).slow, { validation: 'skipped', validation_reason: 'compile_timeout' })
})

test('^(a+)+$ against 30 a and a "!" is decided on RE2 in milliseconds', async () => {
  const m = await meanwhile(() => call(alice, hostileId, 'redos', { s: REDOS_INPUT }))
  assert.is(m.res.status, 400, m.res.text)
  assert.is(m.res.json.errors[0].path, '/arguments/s')
  notStalled(m)
  reached(await call(alice, hostileId, 'redos', { s: 'aaaa' }), 'redos')
  const keys = await call(alice, hostileId, 'redos_keys', { [REDOS_INPUT]: 'x' })
  assert.is(keys.status, 400, keys.text)
  reached(await call(alice, hostileId, 'redos_keys', { aaa: 'x' }), 'redos_keys')
})

test('an output schema pattern runs on RE2 too: a non-matching structured result is a quick 502', async () => {
  const m = await meanwhile(() => call(alice, hostileId, 'redos_out', {}))
  assert.is(m.res.status, 502, m.res.text)
  assert.is(m.res.json.code, 'upstream_error')
  assert.match(m.res.json.detail, /output schema/)
  notStalled(m)
})

test('a pattern RE2 refuses when compiling: validation is left to the server, and the listing learns why', async () => {
  reached(await call(alice, hostileId, 'big_repeat', {}), 'big_repeat')
  assert.equal((await listing()).big_repeat, { validation: 'skipped', validation_reason: 'pattern_unsupported' })
})

test('arguments nested deeper than 100 levels are 400 before anything is sent upstream', async () => {
  hostile.reset()
  // Too deep for JSON.stringify here too: the body is written out.
  const raw = `{"arguments":{"x":${deepJson(20_000)}}}`
  const r = await gw.req('POST', `/mcps/${hostileId}/tools/any/execute`, { token: alice, raw, headers: { 'content-type': 'application/json' } })
  assert.is(r.status, 400, r.text)
  assert.is(r.json.code, 'invalid_request')
  assert.equal(r.json.errors, [{ path: '/arguments', message: 'must not nest deeper than 100 levels' }])
  assert.is(hostile.requests.length, 0)
  assert.is((await call(alice, hostileId, 'any', { x: nested(100) })).status, 400)
  reached(await call(alice, hostileId, 'any', { x: nested(99) }), 'any')
})

test('a result nested 200,000 deep is 502 result_too_deep, as JSON and as SSE', async () => {
  for (const tool of ['deep_result', 'deep_content']) {
    const r = await call(alice, hostileId, tool, {})
    assert.is(r.status, 502, r.text)
    assert.is(r.json.code, 'upstream_error')
    assert.equal(r.json.upstream, { reason: 'result_too_deep' })
    const s = await call(alice, hostileId, tool, {}, { accept: 'text/event-stream' })
    assert.is(s.status, 200, s.text)
    const events = parseSse(s.text).filter((e) => e.event === 'result' || e.event === 'error')
    assert.is(events.length, 1, s.text)
    assert.is(events[0]!.event, 'error')
    assert.is(events[0]!.data.code, 'upstream_error')
    assert.equal(events[0]!.data.upstream, { reason: 'result_too_deep' })
  }
})

test('a prompt message nested 200,000 deep is 502 result_too_deep', async () => {
  const r = await gw.req('POST', `/mcps/${hostileId}/prompts/deep/get`, { token: alice, body: {} })
  assert.is(r.status, 502, r.text)
  assert.equal(r.json.upstream, { reason: 'result_too_deep' })
})

test('a tool listing nested 200,000 deep is 502 result_too_deep', async () => {
  const deep = await startHostileSchemaServer({ schemaDepth: 200_000 })
  try {
    const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'deep', type: 'http', auth_type: 'none', endpoint: deep.url } })
    const r = await gw.req('GET', `/mcps/${c.json.id}/tools`, { token: alice })
    assert.is(r.status, 502, r.text)
    assert.equal(r.json.upstream, { reason: 'result_too_deep' })
  } finally {
    await deep.stop()
  }
})

test('the validator cache stays within its byte bound after many distinct large schemas', async () => {
  const bound = 4 * 1024 * 1024
  _validatorCache.reset({ bytes: bound })
  try {
    const rss0 = process.memoryUsage().rss
    for (let i = 0; i < 6; i++) {
      const properties: Record<string, unknown> = {}
      for (let j = 0; j < 300; j++) properties[`s${i}_${j}`] = { type: 'string', minLength: 1, maxLength: 64 }
      const schema = { type: 'object', properties }
      await prepareSchema(schema)
      assert.equal(validationOf(schema), { validation: 'gateway', validation_reason: null })
      const s = _validatorCache.stats()
      assert.ok(s.bytes <= bound, `${s.bytes} bytes held`)
    }
    const s = _validatorCache.stats()
    assert.ok(s.entries < 6, `${s.entries} entries: nothing was evicted`)
    const grown = (process.memoryUsage().rss - rss0) / 2 ** 20
    assert.ok(grown < 200, `RSS grew ${grown.toFixed(0)} MiB`)
  } finally {
    _validatorCache.reset({ bytes: 32 * 1024 * 1024 })
  }
})

test('a compile miss walks and serialises a schema once, as a listing\'s look at it does', async () => {
  // A schema whose one property counts its reads: each walk or serialisation reads it.
  const counted = (tag: string) => {
    let reads = 0
    const properties = {}
    Object.defineProperty(properties, 'x', { enumerable: true, get: () => (reads++, { type: 'string', description: tag }) })
    return { schema: { type: 'object', properties }, reads: () => reads }
  }
  const looked = counted(`looked at ${process.hrtime.bigint()}`)
  assert.equal(validationOf(looked.schema), { validation: 'gateway', validation_reason: null })
  const missed = counted(`compiled ${process.hrtime.bigint()}`)
  await prepareSchema(missed.schema)
  const reads = missed.reads()
  assert.equal(validationOf(missed.schema), { validation: 'gateway', validation_reason: null })
  assert.ok(looked.reads() > 0)
  assert.is(reads, looked.reads(), `a compile miss read the schema ${reads} times, a look ${looked.reads()}`)
})

test('the pattern screen finds lookaround and backreferences, not look-alikes in classes or escapes', () => {
  for (const p of ['(?=a)', 'x(?!y)', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?<n>a)\\k<n>']) assert.ok(unsupportedSyntax(p), p)
  for (const p of ['[(?=]', '\\(?=', '\\\\1', '(?<n>a)', '(?:a)', '[\\1]', '^[a-z]+$']) assert.is(unsupportedSyntax(p), undefined, p)
})

test('static limits count schema keywords, not instance data that looks like them', () => {
  const data = { const: { pattern: '(?=a)', properties: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 1])) } }
  assert.is(staticVerdict({ type: 'object', properties: { a: data } }).ok, true)
  assert.equal(staticVerdict({ type: 'object', properties: { a: { pattern: '(?=a)' } } }), { ok: false, reason: 'pattern_unsupported' })
})

test('Lru: entries weighted in bytes are evicted, oldest first, to stay within maxBytes', () => {
  const lru = new Lru<string>(100, Date.now, 1000)
  lru.set('a', 'a', 60_000, 400)
  lru.set('b', 'b', 60_000, 400)
  lru.get('a')
  lru.set('c', 'c', 60_000, 400)
  assert.is(lru.get('b'), undefined)
  assert.is(lru.get('a'), 'a')
  assert.is(lru.bytes, 800)
  lru.set('huge', 'h', 60_000, 1001)
  assert.is(lru.get('huge'), undefined)
  assert.is(lru.bytes, 800)
  lru.delete('a')
  assert.is(lru.bytes, 400)
})

test.run()
