/**
 * Docs that tests keep true: every environment variable the code reads is in
 * the README's configuration table. (docs/storage-schema.md is checked
 * against what the code writes in representative.test.ts.)
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './fixtures/terraform.js'
import { envRead } from './support/env.js'

const test = suite('docs')

/** The names in the first column of the README's "## Configuration" table. */
function configTable(): Set<string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration\n'))
  assert.ok(section, 'README.md has a "## Configuration" section')
  const rows = section!.split('\n').filter((l) => l.startsWith('| `'))
  const names = new Set<string>()
  for (const row of rows) {
    const first = row.split(' | ')[0]
    for (const m of (first ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]!)
  }
  return names
}

/** `process.env.NAME` anywhere in shared/, functions/ and scripts/ (outside config.ts, which envRead runs). */
function processEnvNames(): Set<string> {
  const names = new Set<string>()
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e)
      if (statSync(p).isDirectory()) walk(p)
      else if (p.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) names.add((m[1] ?? m[2])!)
    }
  }
  for (const d of ['shared', 'functions', 'scripts']) walk(join(root, d))
  return names
}

test('every environment variable the configuration reads is in the README\'s configuration table', () => {
  const table = configTable()
  const read = [...envRead(), ...processEnvNames()]
  assert.ok(read.includes('PORT') && read.includes('STORE'), 'the reader found the variables')
  assert.equal([...new Set(read)].filter((n) => !table.has(n)).sort(), [], 'read by the code but not in README.md "Configuration"')
})

test('and the table names no variable the code does not read', () => {
  const read = new Set([...envRead(), ...processEnvNames()])
  assert.equal([...configTable()].filter((n) => !read.has(n)).sort(), [])
})

test.run()
