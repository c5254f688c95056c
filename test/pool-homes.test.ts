/**
 * Persistent homes in one process (local mode): the archive never follows a
 * symlink nor writes outside its directory, a sealed home opens only under its
 * own name and key, a memory server's graph survives the pool stopping, and
 * deleting the config deletes its saved home.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pack, unpack, HomeTooLarge } from '../shared/stdio-pool/archive.js'
import { seal, unseal } from '../shared/stdio-pool/seal.js'
import { objectName } from '../shared/stdio-pool/homes.js'
import { LocalBlobStore } from '../shared/adapters/homes-local.js'
import { startGateway, type Gateway } from './support/gateway.js'
import { writeTestCatalog, type TestCatalog } from './support/pool.js'
import { stopPool, poolOf } from '../shared/stdio-pool/instance.js'
import { rejects } from './support/assert.js'
import { AppError } from '../shared/errors.js'
import { Pool } from '../shared/stdio-pool/manager.js'
import { Homes } from '../shared/stdio-pool/homes.js'
import { LocalStore } from '../shared/adapters/store-local.js'
import { loadCatalog } from '../shared/stdio/catalog.js'
import { systemClock } from '../shared/ports.js'
import { text } from './support/pool.js'

const test = suite('pool homes')
const tmp = (p: string) => mkdtemp(join(tmpdir(), p))

test('pack/unpack: files, directories, modes and symlinks round-trip; a symlink is never followed', async () => {
  const src = await tmp('home-src-')
  const outside = await tmp('outside-')
  await writeFile(join(outside, 'secret.txt'), 'another owner\'s file')
  await mkdir(join(src, 'sub/deeper'), { recursive: true })
  await writeFile(join(src, 'sub/deeper/a.txt'), 'hello')
  await writeFile(join(src, 'run.sh'), '#!/bin/sh', { mode: 0o750 })
  await symlink(join(outside, 'secret.txt'), join(src, 'link'))
  await symlink(outside, join(src, 'dirlink'))
  const archive = await pack(src, 1 << 20)
  const dst = join(await tmp('home-dst-'), 'h')
  await mkdir(dst)
  await unpack(archive, dst, 1 << 20)
  assert.is(await readFile(join(dst, 'sub/deeper/a.txt'), 'utf8'), 'hello')
  assert.is((await stat(join(dst, 'run.sh'))).mode & 0o777, 0o750)
  assert.is(await readlink(join(dst, 'link')), join(outside, 'secret.txt'))
  const { gunzipSync } = await import('node:zlib')
  assert.not.match(gunzipSync(archive).toString('latin1'), "another owner's file", 'the target was not read')
  for (const d of [src, outside, dst]) await rm(d, { recursive: true, force: true })
})

test('pack refuses a home over its cap whole, reading no file; unpack refuses .. names and inflation past the cap', async () => {
  const src = await tmp('home-big-')
  await writeFile(join(src, 'a.bin'), Buffer.alloc(3000))
  await writeFile(join(src, 'b.bin'), Buffer.alloc(3000))
  const e = await rejects(() => pack(src, 5000), (e) => e instanceof HomeTooLarge)
  assert.is(e.bytes, 6000)
  const dst = await tmp('home-dst-')
  const entry = (path: string, data: Buffer) => {
    const p = Buffer.from(path)
    const h = Buffer.alloc(3 + p.length + 4 + 8)
    h.write('f', 0)
    h.writeUInt16BE(p.length, 1)
    p.copy(h, 3)
    h.writeUInt32BE(0o600, 3 + p.length)
    h.writeBigUInt64BE(BigInt(data.length), 7 + p.length)
    return Buffer.concat([h, data])
  }
  const evil = gzipSync(Buffer.concat([Buffer.from('MCPH1\n'), entry('../escaped.txt', Buffer.from('x'))]))
  await rejects(() => unpack(evil, dst, 1 << 20), (e) => /bad path/.test(e.message))
  const bomb = gzipSync(Buffer.concat([Buffer.from('MCPH1\n'), entry('zeros', Buffer.alloc(20 << 20))]))
  assert.ok(bomb.length < 100_000)
  await rejects(() => unpack(bomb, dst, 1 << 20))
  for (const d of [src, dst]) await rm(d, { recursive: true, force: true })
  await rm(join(dst, '..', 'escaped.txt'), { force: true })
})

test('a sealed home opens only under its own name and key', () => {
  const key = randomBytes(32)
  const sealed = seal(key, 'h/a/owner1', Buffer.from('graph'))
  assert.is(unseal(key, 'h/a/owner1', sealed).toString(), 'graph')
  assert.throws(() => unseal(key, 'h/a/owner2', sealed), /integrity/)
  assert.throws(() => unseal(randomBytes(32), 'h/a/owner1', sealed), /integrity/)
  assert.not.ok(sealed.includes(Buffer.from('graph')))
})

let gw: Gateway
let cat: TestCatalog
test('through the API: the graph survives the pool stopping; deleting the config deletes its saved home', async () => {
  cat = await writeTestCatalog()
  const poolDir = await tmp('pool-homes-')
  gw = await startGateway({ env: { STDIO_CATALOG: cat.file, POOL_DATA_DIR: poolDir, POOL_HANDOVER_POLL_MS: '100' } })
  try {
    const alice = await gw.token('alice')
    const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'mem', type: 'stdio', config: { catalog_id: 'memory' } } })
    assert.is(c.status, 201, c.text)
    const id = c.json.id
    const run = (tool: string, args: Record<string, unknown>) => gw.req('POST', `/mcps/${id}/tools/${tool}/execute`, { token: alice, body: { arguments: args } })
    assert.is((await run('create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['kept across restarts'] }] })).status, 200)
    await stopPool(2000)
    const blobs = new LocalBlobStore(join(gw.dataDir, 'homes'))
    assert.ok(await blobs.get(objectName('alice', id)), 'saved when the pool stopped')
    const r = await run('read_graph', {})
    assert.is(r.status, 200, r.text)
    assert.match(r.text, 'kept across restarts')
    assert.is((await gw.req('DELETE', `/mcps/${id}`, { token: alice })).status, 204)
    await poolOf(gw.deps)
    const until = Date.now() + 10_000
    while ((await blobs.get(objectName('alice', id))) && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
    assert.is(await blobs.get(objectName('alice', id)), null, 'the saved home is gone')
    await stopPool(2000)
    await rm(poolDir, { recursive: true, force: true })
  } finally {
    await stopPool(1000)
    await gw.close()
    await rm(cat.dir, { recursive: true, force: true })
  }
})

test('through the API: a home over its cap is refused; the user\'s next execute says so, clearly, and the server keeps running', async () => {
  cat = await writeTestCatalog({ fake: { home_max_bytes: 64 * 1024 } })
  const poolDir = await tmp('pool-cap-')
  gw = await startGateway({ env: { STDIO_CATALOG: cat.file, POOL_DATA_DIR: poolDir, POOL_HOME_SAVE_MS: '200' } })
  try {
    const alice = await gw.token('alice')
    const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'fake', type: 'stdio', config: { catalog_id: 'fake', tool_policy: { mode: 'open' } } } })
    assert.is(c.status, 201, c.text)
    const run = (tool: string, args: Record<string, unknown>) => gw.req('POST', `/mcps/${c.json.id}/tools/${tool}/execute`, { token: alice, body: { arguments: args } })
    const pid = (await run('pid', {})).json.content[0].text
    assert.is((await run('write', { name: 'big.bin', bytes: 100 * 1024 })).status, 200)
    let told: Awaited<ReturnType<typeof run>> | undefined
    for (let i = 0; i < 100 && !told; i++) {
      const r = await run('pid', {})
      if (r.status !== 200 || r.json.isError) told = r
      else await new Promise((r) => setTimeout(r, 50))
    }
    assert.ok(told, 'the user was told')
    console.log(`   the user sees: ${told!.status} ${told!.text.slice(0, 300)}`)
    assert.match(told!.text, /were not saved/)
    assert.match(told!.text, /holds 100\.0 KiB, over the 64\.0 KiB this catalog entry keeps/)
    assert.is((await run('pid', {})).json.content[0].text, pid, 'the same process runs on')
  } finally {
    await stopPool(1000)
    await gw.close()
    await rm(cat.dir, { recursive: true, force: true })
  }
})

test('a process whose home is over its cap is not evicted to make room: the files it could not save stay with it', async () => {
  const c = await writeTestCatalog({ fake: { home_max_bytes: 64 * 1024, max_processes: 1 } })
  const d = await tmp('pool-lru-')
  const store = await LocalStore.open({ dir: join(d, 'store') })
  const homes = new Homes({ store, blobs: new LocalBlobStore(join(d, 'homes')), key: randomBytes(32), clock: systemClock, leaseTtlMs: 60_000 })
  await homes.leases.beat()
  const pool = new Pool({ catalog: loadCatalog(c.file), dataDir: join(d, 'pool'), maxProcesses: 10, homes })
  const spec = (mcp_id: string) => ({ owner: 'alice', mcp_id, choice: { catalog_id: 'fake', params: {}, env: {} } })
  const call = (mcp: string, name: string, args: Record<string, unknown> = {}) => pool.request(spec(mcp), { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } })
  try {
    const pid = text(await call('big', 'pid'))
    await call('big', 'write', { name: 'big.bin', bytes: 100 * 1024 })
    await pool.saveAll()
    assert.ok(homes.overCap({ owner: 'alice', mcpId: 'big', lkey: 'alice|big' }))
    // The entry allows one process per instance: the over-cap one is not given up for another.
    await rejects(() => call('other', 'pid'), (e) => e instanceof AppError && e.code === 'unavailable')
    const told = await call('big', 'pid')
    assert.is(told.error?.data && (told.error.data as { code: string }).code, 'home_too_large')
    assert.is(text(await call('big', 'pid')), pid, 'still the same process')
  } finally {
    await pool.shutdown(1000)
    await homes.close()
    await store.close()
    await rm(d, { recursive: true, force: true })
    await rm(c.dir, { recursive: true, force: true })
  }
})

test('idle-out saves the home and releases the lease; the next start restores it', async () => {
  const c = await writeTestCatalog({ fake: { idle_ttl_ms: 1000 } })
  const d = await tmp('pool-idle-')
  const store = await LocalStore.open({ dir: join(d, 'store') })
  const blobs = new LocalBlobStore(join(d, 'homes'))
  const homes = new Homes({ store, blobs, key: randomBytes(32), clock: systemClock, leaseTtlMs: 60_000 })
  await homes.leases.beat()
  let now = Date.now()
  const pool = new Pool({ catalog: loadCatalog(c.file), dataDir: join(d, 'pool'), maxProcesses: 10, homes, now: () => now })
  const spec = { owner: 'alice', mcp_id: 'idle1', choice: { catalog_id: 'fake', params: {}, env: {} } }
  const ref = { owner: 'alice', mcpId: 'idle1', lkey: 'alice|idle1' }
  const call = (name: string, args: Record<string, unknown> = {}) => pool.request(spec, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } })
  try {
    const pid = text(await call('pid'))
    await call('write', { name: 'kept.txt', bytes: 10 })
    assert.is(await blobs.get(objectName('alice', 'idle1')), null, 'nothing saved yet')
    now += 1001
    assert.is(pool.sweep(), 1)
    for (let i = 0; i < 100 && homes.holds(ref); i++) await new Promise((r) => setTimeout(r, 20))
    assert.not.ok(homes.holds(ref), 'released')
    assert.ok(await blobs.get(objectName('alice', 'idle1')), 'saved at idle-out')
    assert.is(pool.peek(spec), undefined)
    const again = text(await call('cwd'))
    assert.is.not(text(await call('pid')), pid, 'a new process')
    assert.is(await readFile(join(again, 'kept.txt'), 'utf8'), 'x'.repeat(10), 'restored')
  } finally {
    await pool.shutdown(1000)
    await homes.close()
    await store.close()
    await rm(d, { recursive: true, force: true })
    await rm(c.dir, { recursive: true, force: true })
  }
})

test.run()
