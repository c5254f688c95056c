/**
 * firebase.json against firebase-tools' published JSON Schema (vendored from
 * the npm tarball, see test/fixtures/README.md), plus what the schema can't
 * say: regex-only rewrites, each to a registered function in Terraform's region,
 * and the emulator settings.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parse } from '@cdktf/hcl2json'
import { FUNCTIONS } from '../functions/names.js'
import { root } from './fixtures/terraform.js'

const test = suite('firebase.json')
const SCHEMA_VERSION = '15.34.2'
const SCHEMA_SHA256 = '91f322c3c86517c195606e47e42440ecdc284715a82adba618adf9e17effbeb6'
const schemaFile = join(root, 'test/fixtures/firebase-config.schema.json')
const firebase = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8'))
const rewrites: any[] = firebase.hosting.rewrites

test(`the vendored schema is firebase-tools ${SCHEMA_VERSION}'s, unchanged`, () => {
  const text = readFileSync(schemaFile)
  assert.is(createHash('sha256').update(text).digest('hex'), SCHEMA_SHA256)
  const notes = readFileSync(join(root, 'test/fixtures/README.md'), 'utf8')
  assert.ok(notes.includes(`firebase-tools@${SCHEMA_VERSION}`) && notes.includes(SCHEMA_SHA256))
  assert.is(JSON.parse(text.toString()).$schema, 'http://json-schema.org/draft-07/schema#')
})

test('firebase.json is valid against firebase-tools\' schema', () => {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv')
  const ajv = new Ajv({ strict: false, allErrors: true })
  const compiled = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')))
  const validate = (x: unknown): boolean => compiled(x)
  assert.ok(validate(firebase), JSON.stringify(compiled.errors?.slice(0, 5), null, 1))
  // And the schema does reject what it should (so the check above means something).
  assert.not.ok(validate({ ...firebase, hosting: { ...firebase.hosting, rewrites: [{ regex: '^/x$', function: { functionId: 1 } }] } }))
  assert.not.ok(validate({ ...firebase, nonsense: true }))
})

test('rewrites are regex-only, each to a registered function, in the region Terraform deploys to', async () => {
  const vars = await parse('variables.tf', readFileSync(join(root, 'infra/variables.tf'), 'utf8'))
  const region = vars.variable.region[0].default
  assert.is(region, 'us-central1')
  for (const r of rewrites) {
    assert.equal(Object.keys(r).sort(), ['function', 'regex'], JSON.stringify(r))
    assert.ok(r.regex.startsWith('^') && r.regex.endsWith('$'), `${r.regex} is anchored`)
    assert.not.throws(() => new RegExp(r.regex))
    assert.equal(Object.keys(r.function).sort(), ['functionId', 'region'])
    assert.is(r.function.region, region, r.function.functionId)
    assert.ok(r.function.functionId in FUNCTIONS, r.function.functionId)
  }
  assert.equal([...new Set(rewrites.map((r) => r.function.functionId))].sort(), Object.keys(FUNCTIONS).sort())
})

test('every API path reaches its function (first match wins, as on Hosting)', () => {
  const route = (path: string) => rewrites.find((r) => new RegExp(r.regex).test(path))?.function.functionId
  const table: [string, string][] = [
    ['/api/v1/health', 'health'],
    ['/api/v1/mcps', 'registry'],
    ['/api/v1/mcps/abc', 'registry'],
    ['/api/v1/mcps/abc/tools', 'listing'],
    ['/api/v1/mcps/abc/tools/changes', 'listing'],
    ['/api/v1/mcps/abc/tools/approve', 'listing'],
    ['/api/v1/mcps/abc/tools/changes/execute', 'execute'],
    ['/api/v1/mcps/abc/resources', 'listing'],
    ['/api/v1/mcps/abc/resources/read', 'listing'],
    ['/api/v1/mcps/abc/prompts', 'listing'],
    ['/api/v1/mcps/abc/prompts/p/get', 'listing'],
    ['/api/v1/mcps/abc/resources/templates', 'listing'],
    ['/api/v1/mcps/abc/complete', 'listing'],
    ['/api/v1/mcps/abc/tools/echo/execute', 'execute'],
    ['/api/v1/mcps/abc/check', 'listing'],
    ['/api/v1/mcps/check', 'registry'],
    ['/api/v1/mcps/abc/oauth/start', 'oauth-start'],
    ['/api/v1/mcps/abc/oauth', 'oauth-start'],
    ['/api/v1/mcps/abc/oauth/complete', 'oauth-start'],
    ['/api/v1/oauth/callback', 'oauth-callback'],
    ['/api/v1/oauth/client-metadata.json', 'oauth-callback'],
    ['/api/v1/pool/mcp', 'stdio-pool'],
  ]
  for (const [path, fn] of table) assert.is(route(path), fn, path)
  for (const path of ['/api/v1/mcps/abc/tools/echo', '/api/v1/mcps/abc/oauth/completed', '/api/v1/oauth/clientXmetadata.json', '/api/v2/health', '/index.html']) assert.is(route(path), undefined, path)
})

test('emulator settings: Firestore, Hosting and Functions on loopback', () => {
  for (const e of ['firestore', 'hosting', 'functions']) {
    const s = firebase.emulators[e]
    assert.is(s.host, '127.0.0.1', e)
    assert.ok(Number.isInteger(s.port) && s.port > 1024, e)
  }
  const ports = ['firestore', 'hosting', 'functions'].map((e) => firebase.emulators[e].port)
  assert.is(new Set(ports).size, ports.length)
})

test.run()
