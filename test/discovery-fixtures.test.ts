/**
 * The registry fixtures are what they claim: every entry the test registry
 * serves validates against the published server.json JSON Schema (ajv,
 * draft 2020-12, formats checked), the registry's own invalid examples fail
 * it, and the gateway's own bounds (shared/discovery/entry.ts) accept the
 * first and refuse the second, plus an unknown schema version.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { FIXTURES, fixture, manifest } from './support/registry-server.js'
import { accept, Rejected } from '../shared/discovery/entry.js'

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv2020) => void
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
const validate = ajv.compile(fixture('server.schema.json'))
const test = suite('discovery-fixtures')

const files = (dir: string) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.json')).map((f) => `${dir}/${f}`)
const item = (server: unknown) => ({ server, _meta: { 'io.modelcontextprotocol.registry/official': { status: 'active', isLatest: true } } })

test('every served entry is valid under the published server.json schema, and the gateway accepts it', () => {
  const served = files('servers')
  assert.ok(served.length >= 7)
  const m = manifest()
  assert.equal([...m.entries, ...m.later].map((e) => e.file).sort(), served.sort(), 'registry.json serves every valid fixture')
  for (const f of served) {
    assert.ok(validate(fixture(f)), `${f}: ${ajv.errorsText(validate.errors)}`)
    assert.is(accept(item(fixture(f))).server.name, fixture(f).name)
  }
})

test("the registry's invalid examples fail the schema and the gateway's bounds", () => {
  for (const f of ['invalid/description-too-long.json', 'invalid/bad-name-pattern.json']) {
    assert.not.ok(validate(fixture(f)), f)
    assert.throws(() => accept(item(fixture(f))), (e: unknown) => e instanceof Rejected, f)
  }
})

test('an unknown schema version is valid JSON Schema-wise but refused', () => {
  const f = fixture('invalid/unknown-schema-version.json')
  assert.ok(validate(f))
  assert.throws(() => accept(item(f)), (e: unknown) => e instanceof Rejected && /schema version/.test((e as Error).message))
})

test('oversized entries are refused before validation', () => {
  const big = { ...fixture('servers/weather-1.0.2.json'), _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { blob: 'x'.repeat(70_000) } } }
  assert.ok(validate(big), 'the published schema has no size limit')
  assert.throws(() => accept(item(big)), (e: unknown) => e instanceof Rejected && /bytes/.test((e as Error).message))
  const manyHeaders = { ...fixture('servers/everything-1.0.0.json') }
  manyHeaders.remotes = [{ ...manyHeaders.remotes[0], headers: Array.from({ length: 40 }, (_, i) => ({ name: `X-H${i}` })) }]
  assert.ok(validate(manyHeaders))
  assert.throws(() => accept(item(manyHeaders)), (e: unknown) => e instanceof Rejected)
})

test.run()
