/**
 * Leases and fencing between two pool instances (two `Homes` on one store and
 * one place for saved homes, with a clock the test moves): a hand-over saves
 * and releases; a takeover from a holder whose heartbeat expired fences it, so
 * the stale holder's save is refused and the new holder's copy survives.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalStore } from '../shared/adapters/store-local.js'
import { LocalBlobStore } from '../shared/adapters/homes-local.js'
import { Homes, objectName, refOf } from '../shared/stdio-pool/homes.js'
import { AppError } from '../shared/errors.js'
import { rejects } from './support/assert.js'

const test = suite('pool leases')
let dir: string
let store: LocalStore
let blobs: LocalBlobStore
let now = 1_800_000_000_000
const clock = { now: () => now }
const key = randomBytes(32)
const TTL = 10_000
const ref = refOf('alice', 'm1')
const make = () => new Homes({ store, blobs, key, clock, leaseTtlMs: TTL, maxWaitMs: 3000 })

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pool-lease-'))
  store = await LocalStore.open({ dir: join(dir, 'store'), clock })
  blobs = new LocalBlobStore(join(dir, 'homes'))
})
test.after.each(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

const home = async (name: string) => {
  const h = join(dir, name)
  await mkdir(h, { recursive: true })
  return h
}

test('a hand-over: the holder is asked through the store, saves and releases; the asker restores its files', async () => {
  const a = make()
  const b = make()
  await a.leases.beat()
  await b.leases.beat()
  const ha = await home('a')
  await a.open(ref, ha, 1 << 20)
  await writeFile(join(ha, 'graph.jsonl'), 'from a')
  const hb = join(dir, 'b')
  const opening = b.open(ref, hb, 1 << 20)
  // The holder sees the request on its next poll.
  let wanted: ReturnType<typeof refOf>[] = []
  for (let i = 0; i < 100 && !wanted.length; i++) {
    wanted = await a.wanted()
    if (!wanted.length) await new Promise((r) => setTimeout(r, 20))
  }
  assert.equal(wanted, [ref])
  await a.save(ref)
  await a.release(ref)
  await opening
  assert.is(await readFile(join(hb, 'graph.jsonl'), 'utf8'), 'from a')
  assert.ok(b.holds(ref))
  assert.not.ok(a.holds(ref))
})

test('while the holder lives and does not hand over, the asker gives up with 503 (no second process)', async () => {
  const a = make()
  const b = make()
  await a.leases.beat()
  await b.leases.beat()
  await a.open(ref, await home('a'), 1 << 20)
  await rejects(() => b.open(ref, join(dir, 'b'), 1 << 20), (e) => e instanceof AppError && e.code === 'unavailable')
  assert.not.ok(b.holds(ref))
})

test('split brain: after the holder\'s heartbeat expired, the new holder fences it; the stale holder\'s save is refused and the new copy survives', async () => {
  const a = make()
  const b = make()
  await a.leases.beat()
  const ha = await home('a')
  await a.open(ref, ha, 1 << 20)
  await writeFile(join(ha, 'graph.jsonl'), 'a before')
  await a.save(ref)
  // a stops beating (paused, partitioned); its record expires.
  now += TTL + 1
  await b.leases.beat()
  const hb = join(dir, 'b')
  await b.open(ref, hb, 1 << 20)
  assert.is(await readFile(join(hb, 'graph.jsonl'), 'utf8'), 'a before', 'restored the last save')
  await writeFile(join(hb, 'graph.jsonl'), 'b after takeover')
  await b.save(ref)
  // a wakes up and saves what it has: refused.
  await writeFile(join(ha, 'graph.jsonl'), 'a stale')
  await rejects(() => a.save(ref), (e) => e instanceof AppError && e.code === 'precondition_failed')
  assert.not.ok(a.holds(ref), 'the stale holder knows it lost')
  const c = make()
  await c.leases.beat()
  now += TTL + 1
  await c.leases.beat()
  const hc = join(dir, 'c')
  await c.open(ref, hc, 1 << 20)
  assert.is(await readFile(join(hc, 'graph.jsonl'), 'utf8'), 'b after takeover')
})

test('the fence write holds even before the new holder saves anything: the stale holder cannot save over what was restored', async () => {
  const a = make()
  const b = make()
  await a.leases.beat()
  const ha = await home('a')
  await a.open(ref, ha, 1 << 20)
  await writeFile(join(ha, 'graph.jsonl'), 'one')
  await a.save(ref)
  const before = (await blobs.get(objectName('alice', 'm1')))!.generation
  now += TTL + 1
  await b.leases.beat()
  await b.open(ref, join(dir, 'b'), 1 << 20)
  assert.is.not((await blobs.get(objectName('alice', 'm1')))!.generation, before, 'the takeover wrote a new generation')
  await writeFile(join(ha, 'graph.jsonl'), 'stale')
  await rejects(() => a.save(ref), (e) => e instanceof AppError && e.code === 'precondition_failed')
})

test('a holder whose heartbeat lapsed cannot open anything while it holds leases', async () => {
  const a = make()
  await a.leases.beat()
  await a.open(ref, await home('a'), 1 << 20)
  now += TTL
  assert.not.ok(a.leases.valid())
  await rejects(() => a.open(refOf('alice', 'm2'), join(dir, 'a2'), 1 << 20), (e) => e instanceof AppError && e.code === 'unavailable')
})

test('a saved home that does not open (another key, damaged) is never replaced by an empty start: 503, the object untouched', async () => {
  const name = objectName('alice', 'm1')
  await blobs.put(name, Buffer.from('not sealed under our key at all'), '0')
  const a = make()
  await a.leases.beat()
  const e = await rejects(() => a.open(ref, join(dir, 'a'), 1 << 20), (e) => e instanceof AppError && e.code === 'unavailable')
  assert.match(e.message, 'cannot be restored')
  assert.is((await blobs.get(name))!.data.toString(), 'not sealed under our key at all')
})

test('a periodic save uploads only when a file changed; a final save always packs', async () => {
  const a = make()
  await a.leases.beat()
  const ha = await home('a')
  await a.open(ref, ha, 1 << 20)
  await writeFile(join(ha, 'graph.jsonl'), 'v1')
  await a.save(ref, { periodic: true })
  const g1 = (await blobs.get(objectName('alice', 'm1')))!.generation
  await a.save(ref, { periodic: true })
  assert.is((await blobs.get(objectName('alice', 'm1')))!.generation, g1, 'unchanged: no upload')
  await writeFile(join(ha, 'graph.jsonl'), 'v2 longer')
  await a.save(ref, { periodic: true })
  const g2 = (await blobs.get(objectName('alice', 'm1')))!.generation
  assert.is.not(g2, g1)
  await a.save(ref)
  assert.is((await blobs.get(objectName('alice', 'm1')))!.generation, g2, 'same content: no upload either')
})

test.run()
