/** Aggregate names (shared/agent/names.ts): within 64 characters, stable, mapped back exactly. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { exposed, exposedUri, MAX_NAME, original, parseUri, slugOf, slugs } from '../shared/agent/names.js'

const test = suite('agent names')

test('every exposed name is within 64 characters and maps back to exactly its original', () => {
  fc.assert(fc.property(fc.stringMatching(/^[a-z0-9-]{1,24}$/), fc.uniqueArray(fc.string({ minLength: 1, maxLength: 128 }), { minLength: 1, maxLength: 30 }), (slug, names) => {
    for (const n of names) {
      const e = exposed(slug, n)
      assert.ok(e.length <= MAX_NAME, e)
      assert.is(exposed(slug, n), e, 'stable')
      assert.is(slugOf(e), slug)
      assert.is(original(slug, e, names), n)
    }
  }), { seed: 16, numRuns: 300 })
})

test('a long name keeps its start and gets a hash suffix; two that share 55 characters stay apart', () => {
  const a = `${'x'.repeat(70)}a`
  const b = `${'x'.repeat(70)}b`
  const ea = exposed('github', a)
  assert.is(ea.length, 64)
  assert.match(ea, /^github__x+_[0-9a-f]{8}$/)
  assert.is.not(ea, exposed('github', b))
  assert.is(exposed('github', 'create_issue'), 'github__create_issue')
})

test('slugs: from the config name; two configs of one name get distinct, stable slugs', () => {
  const s = slugs([{ id: 'A1', name: 'GitHub (work)' }, { id: 'B2', name: 'Linear' }, { id: 'C3', name: 'Linear' }])
  assert.is(s.get('A1'), 'github-work')
  assert.ok(s.get('B2')!.startsWith('linear-') && s.get('C3')!.startsWith('linear-'))
  assert.is.not(s.get('B2'), s.get('C3'))
  assert.equal(slugs([{ id: 'C3', name: 'Linear' }, { id: 'B2', name: 'Linear' }]).get('C3'), s.get('C3'))
  assert.is(slugs([{ id: 'Z', name: '日本語' }]).get('Z'), 'mcp')
})

test('resource URIs are namespaced and read back exactly', () => {
  for (const uri of ['test://static-text', 'file:///a b/c?d=e#f', 'mcpgw://other/x']) {
    const e = exposedUri('docs', uri)
    assert.equal(parseUri(e), { slug: 'docs', uri })
  }
  assert.is(parseUri('test://x'), undefined)
})

test.run()
