/**
 * Catalog entries for published packages whose `exports` hide `package.json`
 * (time-mcp exports only ".", @cyanheads/git-mcp-server maps "./*" into its
 * dist/): the catalog loads, the catalog listing and registration answer 200
 * and 201, and their tools are listed (and time-mcp's called) through the stdio pool.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createRequire } from 'node:module'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CatalogError, loadCatalog } from '../shared/stdio/catalog.js'
import { stopPool } from '../shared/stdio-pool/instance.js'
import { startGateway, type Gateway } from './support/gateway.js'
import { rejects } from './support/assert.js'

const test = suite('stdio catalog: packages whose exports hide package.json')
let dir: string
let file: string
let gw: Gateway
let alice: string

const ENTRIES = [
  { id: 'time', command: 'node', package: 'time-mcp', script: 'dist/index.js', description: 'Time' },
  { id: 'git', command: 'node', package: '@cyanheads/git-mcp-server', script: 'dist/index.js', description: 'Git' },
]

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cat-exports-'))
  file = join(dir, 'catalog.json')
  await writeFile(file, JSON.stringify({ servers: ENTRIES }))
  gw = await startGateway({ env: { STDIO_CATALOG: file } })
  alice = await gw.token('alice')
})

test.after(async () => {
  await gw.close()
  await stopPool(2000)
  await rm(dir, { recursive: true, force: true })
})

test('the packages really hide package.json through exports', () => {
  const req = createRequire(import.meta.url)
  for (const p of ['time-mcp', '@cyanheads/git-mcp-server']) assert.throws(() => req.resolve(`${p}/package.json`), undefined, p)
})

test('a catalog naming them loads, each script inside its package', () => {
  const cat = loadCatalog(file)
  assert.equal([...cat.entries.keys()], ['time', 'git'])
  assert.match(cat.entries.get('time')!.args[0]!, /node_modules\/time-mcp\/dist\/index\.js$/)
  assert.match(cat.entries.get('git')!.args[0]!, /node_modules\/@cyanheads\/git-mcp-server\/dist\/index\.js$/)
})

test('a script the package does not have, or a package name that is a path, stops the catalog', async () => {
  for (const [e, why] of [
    [{ id: 'x', command: 'node', package: 'time-mcp', script: 'dist/nope.js' }, 'x: package time-mcp has no script dist/nope.js'],
    [{ id: 'y', command: 'node', package: '../time-mcp', script: 'dist/index.js' }, 'y: "../time-mcp" is not a package name'],
  ] as const) {
    const f = join(dir, `${e.id}.json`)
    await writeFile(f, JSON.stringify({ servers: [e] }))
    const err = await rejects(
      async () => loadCatalog(f),
      (x) => x instanceof CatalogError,
    )
    assert.match((err as Error).message, why)
  }
})

test('GET /stdio/catalog lists both', async () => {
  const r = await gw.req('GET', '/stdio/catalog', { token: alice })
  assert.is(r.status, 200, r.text)
  assert.equal(r.json.items.map((i: { id: string }) => i.id).sort(), ['git', 'time'])
})

test('both register and list their tools through the stdio pool; time-mcp runs one', async () => {
  const ids: Record<string, string> = {}
  for (const catalog_id of ['time', 'git']) {
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: catalog_id, type: 'stdio', config: { catalog_id } } })
    assert.is(r.status, 201, r.text)
    ids[catalog_id] = r.json.id
  }
  const tools = await gw.req('GET', `/mcps/${ids.time}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
  const names: string[] = tools.json.tools.map((t: { name: string }) => t.name)
  assert.ok(names.includes('current_time'), names.join())
  const run = await gw.req('POST', `/mcps/${ids.time}/tools/current_time/execute`, { token: alice, body: { arguments: { format: 'YYYY-MM-DD', timezone: 'UTC' } } })
  assert.is(run.status, 200, run.text)
  assert.is(run.json.is_error, false, run.text)
  assert.match(JSON.stringify(run.json.content), String(new Date().getUTCFullYear()))
  const git = await gw.req('GET', `/mcps/${ids.git}/tools`, { token: alice })
  assert.is(git.status, 200, git.text)
  assert.ok(
    git.json.tools.some((t: { name: string }) => t.name === 'git_status'),
    git.text.slice(0, 500),
  )
})

test.run()
