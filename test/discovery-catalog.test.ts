/**
 * Which registry package a stdio catalog entry runs (shared/stdio/catalog.ts
 * `registry_package`), the key registry entries are matched by.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CatalogError, loadCatalog } from '../shared/stdio/catalog.js'

const test = suite('discovery-catalog')
const write = (servers: unknown[]) => {
  const file = join(mkdtempSync(join(tmpdir(), 'disc-cat-')), 'c.json')
  writeFileSync(file, JSON.stringify({ servers }))
  return file
}
const installed = createRequire(import.meta.url)('@modelcontextprotocol/server-everything/package.json').version as string

test('a node entry runs the npm package installed with the deployment, at its installed version', () => {
  const cat = loadCatalog(write([{ id: 'everything', command: 'node', package: '@modelcontextprotocol/server-everything', script: 'dist/index.js' }]))
  assert.equal(cat.entries.get('everything')!.registry_package, { registry_type: 'npm', identifier: '@modelcontextprotocol/server-everything', version: installed })
})

test('another command declares the package it runs; a malformed declaration stops loading', () => {
  const rp = { registry_type: 'pypi', identifier: 'mcp-server-time', version: '0.6.2' }
  const cat = loadCatalog(write([{ id: 'time', command: '/usr/bin/true', registry_package: rp }]))
  assert.equal(cat.entries.get('time')!.registry_package, rp)
  assert.is(loadCatalog(write([{ id: 'plain', command: '/usr/bin/true' }])).entries.get('plain')!.registry_package, undefined)
  assert.throws(() => loadCatalog(write([{ id: 'bad', command: '/usr/bin/true', registry_package: { registry_type: 'pypi', identifier: 'x' } }])), (e: unknown) => e instanceof CatalogError && /registry_package/.test((e as Error).message))
})

test.run()
