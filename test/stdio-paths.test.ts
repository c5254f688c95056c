/**
 * Path values of stdio servers, through the public API with the real
 * server-filesystem: the shipped example catalog keeps each owner's root inside
 * that owner's own directory, so bob never reaches alice's files, even by
 * naming her path; roots in the pool's or the gateway's data are refused at
 * registration, before anything starts; operators may allow absolute prefixes,
 * and symlinks do not lead out of them.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGateway, type Gateway } from './support/gateway.js'
import { poolOf, stopPool } from '../shared/stdio-pool/instance.js'

const EXAMPLE = fileURLToPath(new URL('../../catalog/example.json', import.meta.url))
const text = (r: { json: any }) => (r.json.content ?? []).map((c: { text?: string }) => c.text ?? '').join('\n') as string

function api(gw: () => Gateway) {
  return {
    spawns: async () => (await poolOf(gw().deps)).pool.stats().spawns,
    add: (token: string, catalog_id: string, params: Record<string, unknown>) =>
      gw().req('POST', '/mcps', { token, body: { name: 'files', type: 'stdio', config: { catalog_id, params } } }),
    run: (token: string, id: string, tool: string, args: Record<string, unknown> = {}) =>
      gw().req('POST', `/mcps/${id}/tools/${tool}/execute`, { token, body: { arguments: args } }),
  }
}

// ---- the shipped example catalog -------------------------------------------------------------

const shipped = suite('stdio paths: the example catalog')
let gw: Gateway
let poolDir: string
let alice: string
let bob: string
const a = api(() => gw)

shipped.before(async () => {
  poolDir = await mkdtemp(join(tmpdir(), 'paths-pool-'))
  gw = await startGateway({ env: { STDIO_CATALOG: EXAMPLE, POOL_DATA_DIR: poolDir } })
  alice = await gw.token('alice')
  bob = await gw.token('bob')
})

shipped.after(async () => {
  // The pool first: it saves homes and releases leases through the gateway's store.
  await stopPool(2000)
  await gw.close()
  await rm(poolDir, { recursive: true, force: true })
})

shipped('alice\'s files are invisible to bob\'s filesystem server, even when bob names alice\'s path', async () => {
  const secret = `alice-only-${Math.random().toString(36).slice(2)}`
  const ca = await a.add(alice, 'filesystem', { root: 'notes' })
  assert.is(ca.status, 201, ca.text)
  const w = await a.run(alice, ca.json.id, 'write_file', { path: 'diary.txt', content: secret })
  assert.is(w.status, 200, w.text)
  assert.is(w.json.is_error, false, w.text)
  // Where alice's root really is: inside her own home under the pool's data dir, created on first use.
  const dirs = text(await a.run(alice, ca.json.id, 'list_allowed_directories'))
  const aliceRoot = dirs.split('\n').map((l) => l.trim()).find((l) => l.startsWith('/'))!
  assert.ok(aliceRoot.startsWith(await realpath(poolDir)), dirs)
  assert.ok(aliceRoot.endsWith('/notes'), aliceRoot)
  assert.is(await readFile(join(aliceRoot, 'diary.txt'), 'utf8'), secret)

  const before = (await a.spawns())
  // Naming alice's directory, in every spelling, is refused at registration and starts nothing.
  for (const root of [aliceRoot, `${aliceRoot}/`, join(aliceRoot, 'diary.txt'), `/${aliceRoot}`, `../${aliceRoot.split('/').at(-2)}/notes`, 'notes/../..', '/tmp', '/']) {
    const r = await a.add(bob, 'filesystem', { root })
    assert.is(r.status, 400, `${root}: ${r.text}`)
    assert.is(r.json.code, 'invalid_request')
    assert.is(r.json.errors[0].path, '/config/params/root')
  }
  assert.is((await a.spawns()), before, 'no process for a refused registration')

  // The same relative root is bob's own directory.
  const cb = await a.add(bob, 'filesystem', { root: 'notes' })
  assert.is(cb.status, 201, cb.text)
  const ls = await a.run(bob, cb.json.id, 'list_directory', { path: '.' })
  assert.is(ls.status, 200, ls.text)
  assert.not.match(ls.text, 'diary.txt')
  for (const path of ['diary.txt', join(aliceRoot, 'diary.txt'), `../../${aliceRoot.split('/').at(-2)}/notes/diary.txt`]) {
    const r = await a.run(bob, cb.json.id, 'read_text_file', { path })
    assert.is(r.status, 200, r.text)
    assert.is(r.json.is_error, true, `${path}: ${r.text}`)
    assert.not.match(r.text, secret)
  }
  const bobRoot = text(await a.run(bob, cb.json.id, 'list_allowed_directories')).split('\n').map((l) => l.trim()).find((l) => l.startsWith('/'))!
  assert.is.not(bobRoot, aliceRoot)
})

// ---- an operator's allowed prefix ------------------------------------------------------------

const allowed = suite('stdio paths: allow_prefixes')
let gw2: Gateway
let poolDir2: string
let catDir: string
let shared: string
let carol: string
const b = api(() => gw2)

allowed.before(async () => {
  // Everything here lives under the OS temp dir: the operator allows all of it, and the
  // gateway must still keep the pool's homes and its own data out of reach.
  poolDir2 = await mkdtemp(join(tmpdir(), 'paths-pool2-'))
  catDir = await mkdtemp(join(tmpdir(), 'paths-cat-'))
  shared = await mkdtemp(join(tmpdir(), 'paths-shared-'))
  await writeFile(join(shared, 'readme.txt'), 'shared docs')
  const file = join(catDir, 'catalog.json')
  await writeFile(file, JSON.stringify({
    servers: [{
      id: 'shared-fs', command: 'node', package: '@modelcontextprotocol/server-filesystem', script: 'dist/index.js',
      params: { root: { kind: 'path', schema: { type: 'string', maxLength: 300 }, required: true, allow_prefixes: [await realpath(tmpdir())] } },
    }],
  }))
  gw2 = await startGateway({ env: { STDIO_CATALOG: file, POOL_DATA_DIR: poolDir2 } })
  carol = await gw2.token('carol')
})

allowed.after(async () => {
  await stopPool(2000)
  await gw2.close()
  for (const d of [poolDir2, catDir, shared]) await rm(d, { recursive: true, force: true })
})

allowed('roots in the pool\'s homes or the gateway\'s data are 400 at registration, and nothing starts', async () => {
  const before = (await b.spawns())
  const link = join(catDir, 'to-pool')
  await symlink(poolDir2, link)
  await mkdir(join(poolDir2, 'some-home'), { recursive: true })
  const t = await realpath(tmpdir())
  for (const root of [poolDir2, join(poolDir2, 'some-home'), gw2.dataDir, join(gw2.dataDir, 'store'), link, join(link, 'some-home'), t]) {
    const r = await b.add(carol, 'shared-fs', { root })
    assert.is(r.status, 400, `${root}: ${r.text}`)
    assert.is(r.json.code, 'invalid_request')
    assert.is(r.json.errors[0].path, '/config/params/root')
  }
  // Outside the allowed prefix.
  assert.is((await b.add(carol, 'shared-fs', { root: '/etc' })).status, 400)
  assert.is((await b.spawns()), before, 'no process for a refused registration')
})

allowed('a symlink inside the allowed prefix that leads out of it is refused', async () => {
  const out = join(catDir, 'escape')
  await symlink('/etc', out)
  const r = await b.add(carol, 'shared-fs', { root: out })
  assert.is(r.status, 400, r.text)
  assert.match(r.json.errors[0].message, 'outside the directories this parameter allows')
})

allowed('an allowed absolute root works as given', async () => {
  const c = await b.add(carol, 'shared-fs', { root: shared })
  assert.is(c.status, 201, c.text)
  const r = await b.run(carol, c.json.id, 'read_text_file', { path: join(shared, 'readme.txt') })
  assert.is(r.status, 200, r.text)
  assert.match(text(r), 'shared docs')
})

shipped.run()
allowed.run()
