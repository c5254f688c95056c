/**
 * Tool-name globs for config.tool_policy (shared/governance/glob.ts): `*` and
 * `?` only, everything else literal, no RegExp built from the pattern.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { globList, globMatch } from '../shared/governance/glob.js'

const test = suite('glob')

test('* matches any run, ? one character, the rest literally and case-sensitively', () => {
  const yes: [string, string][] = [['danger_*', 'danger_rm'], ['danger_*', 'danger_'], ['*', ''], ['*', 'x'], ['x?', 'x1'], ['a*b*c', 'aXbYbZc'], ['*_file', 'read_file'], ['a**b', 'ab'], ['.*', '.*'], ['[ab]', '[ab]']]
  const no: [string, string][] = [['danger_*', 'Danger_rm'], ['x?', 'x'], ['x?', 'x22'], ['a*b*c', 'aXbYbZ'], ['.*', 'anything'], ['[ab]', 'a'], ['echo', 'echo2'], ['', 'a']]
  for (const [p, n] of yes) assert.ok(globMatch(p, n), `${p} ~ ${n}`)
  for (const [p, n] of no) assert.not.ok(globMatch(p, n), `${p} !~ ${n}`)
})

test('agrees with a reference regex translation on random patterns and names', () => {
  const alphabet = fc.constantFrom('a', 'b', '*', '?', '.', '\\', '(', '+')
  const ref = (p: string) => new RegExp(`^${[...p].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`)
  fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', 'b', '.', '*', '\\'), maxLength: 16 }), (p, n) => globMatch(p, n) === ref(p).test(n)), { numRuns: 3000 })
})

test('hostile patterns stay linear: 128 stars against a 128-character name that does not match', () => {
  const p = 'a*'.repeat(64) + 'b', n = 'a'.repeat(128)
  const t = performance.now()
  for (let i = 0; i < 100; i++) assert.not.ok(globMatch(p, n))
  assert.ok(performance.now() - t < 2000)
})

test('lists: names exactly, globs by matching', () => {
  const m = globList(['echo', 'read_*'])
  assert.ok(m('echo') && m('read_file'))
  assert.not.ok(m('echo2') || m('write_file'))
})

test.run()
