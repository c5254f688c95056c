import fs, { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { LocalStore } from '../shared/adapters/store-local.js'
import { rejects } from './support/assert.js'
import { storeContract } from './store.contract.js'

function testClock() {
  let t = Date.now()
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

const tempDir = () => mkdtempSync(join(tmpdir(), 'store-local-'))

storeContract('LocalStore', async () => {
  const dir = tempDir()
  const clock = testClock()
  const store = await LocalStore.open({ dir: join(dir, 'store'), clock })
  return { store, clock, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
}).run()

const local = suite<{ dir: string }>('LocalStore on disk', { dir: '' })
local.before.each((ctx) => {
  ctx.dir = tempDir()
})
local.after.each((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true })
})

local('creates its directory private to the user', async ({ dir }) => {
  const s = await LocalStore.open({ dir: join(dir, 'store') })
  assert.is(statSync(join(dir, 'store')).mode & 0o777, 0o700)
  await s.close()
})

/** Counts the fdatasyncs made while `fn` runs (the journal's flushes). */
async function flushes<T>(fn: () => Promise<T>): Promise<{ n: number; r: T }> {
  const real = fs.fdatasync
  let n = 0
  fs.fdatasync = ((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => { n++; return real(fd, cb) }) as typeof fs.fdatasync
  syncBuiltinESMExports()
  try {
    const r = await fn()
    return { n, r }
  } finally {
    fs.fdatasync = real
    syncBuiltinESMExports()
  }
}

local('a lazy write rides on the next flush another write asks for: one fdatasync for both, both durable', async ({ dir }) => {
  const s = await LocalStore.open({ dir })
  const { n } = await flushes(async () => {
    let seen!: () => void
    const decided = new Promise<void>((r) => (seen = r))
    const lazy = s.create('things', 'behind', { n: 1 }, { lazy: true, committed: () => seen() })
    await decided
    // A flush the lazy write had asked for would be under way by now (before: the next write queued behind it).
    await new Promise((r) => setImmediate(r))
    await Promise.all([lazy, s.create('things', 'waited', { n: 2 })])
  })
  assert.is(n, 1)
  await s.close()
  const again = await LocalStore.open({ dir })
  assert.equal((await again.get('things', 'behind'))?.data, { n: 1 })
  assert.equal((await again.get('things', 'waited'))?.data, { n: 2 })
  await again.close()
})

local('a lazy write alone is made durable by a flush of its own shortly, or at close', async ({ dir }) => {
  const s = await LocalStore.open({ dir })
  const t0 = performance.now()
  const { n } = await flushes(() => s.create('things', 'alone', { n: 1 }, { lazy: true }))
  assert.is(n, 1)
  assert.ok(performance.now() - t0 < 5_000, 'the lazy write waited too long for its flush')
  let seen!: () => void
  const decided = new Promise<void>((r) => (seen = r))
  const closing = s.create('things', 'closing', { n: 2 }, { lazy: true, committed: () => seen() })
  await decided
  await s.close()
  await closing
  const again = await LocalStore.open({ dir })
  assert.equal((await again.get('things', 'alone'))?.data, { n: 1 })
  assert.equal((await again.get('things', 'closing'))?.data, { n: 2 })
  await again.close()
})

local('data survives close and reopen, versions included', async ({ dir }) => {
  const a = await LocalStore.open({ dir })
  await a.create('things', 'x', { n: 1 })
  await a.update<{ n: number }>('things', 'x', (o) => ({ n: o.n + 1 }))
  await a.create('things', 'gone', {})
  await a.delete('things', 'gone')
  await a.transact(async (tx) => tx.set('things', 'y', { n: 3 }))
  await a.close()
  const b = await LocalStore.open({ dir })
  assert.equal(await b.get('things', 'x'), { id: 'x', data: { n: 2 }, version: 2 })
  assert.equal(await b.get('things', 'y'), { id: 'y', data: { n: 3 }, version: 1 })
  assert.is(await b.get('things', 'gone'), null)
  await b.close()
})

local('a torn last journal line (crash mid-write) is ignored', async ({ dir }) => {
  const a = await LocalStore.open({ dir })
  await a.create('things', 'x', { n: 1 })
  await a.close()
  appendFileSync(join(dir, 'store.jsonl'), '[{"c":"things","i":"y","v":1,"d":{"n":')
  const b = await LocalStore.open({ dir })
  assert.equal(await b.get('things', 'x'), { id: 'x', data: { n: 1 }, version: 1 })
  assert.is(await b.get('things', 'y'), null)
  // Reopening compacted the torn tail away, so new writes land on a clean line.
  await b.create('things', 'z', { n: 2 })
  await b.close()
  const c = await LocalStore.open({ dir })
  assert.equal((await c.get('things', 'z'))?.data, { n: 2 })
  await c.close()
})

local('a corrupt line before the last one fails the open loudly', async ({ dir }) => {
  writeFileSync(join(dir, 'store.jsonl'), 'garbage\n[{"c":"things","i":"x","v":1,"d":{}}]\n')
  await rejects(() => LocalStore.open({ dir }), (e) => /line 1 is corrupt/.test(e.message))
})

local('a second open of the same directory fails while the first is open', async ({ dir }) => {
  const a = await LocalStore.open({ dir })
  await rejects(() => LocalStore.open({ dir }), (e) => /held by running process/.test(e.message))
  await a.close()
  const b = await LocalStore.open({ dir })
  await b.close()
})

local('a lock left by a dead process is taken over', async ({ dir }) => {
  writeFileSync(join(dir, 'store.lock'), '2147483646') // beyond pid_max: never alive
  const s = await LocalStore.open({ dir })
  assert.is(readFileSync(join(dir, 'store.lock'), 'utf8'), String(process.pid))
  await s.close()
})

local('a closed store refuses further use', async ({ dir }) => {
  const s = await LocalStore.open({ dir })
  await s.close()
  await rejects(() => s.get('things', 'x'), (e) => /closed/.test(e.message))
  await s.close()
})

local('the journal is compacted once it outgrows the live data', async ({ dir }) => {
  const s = await LocalStore.open({ dir })
  await s.create('big', 'x', { pad: '' })
  const pad = 'x'.repeat(64 * 1024)
  for (let i = 0; i < 40; i++) await s.update('big', 'x', () => ({ pad: pad + i }))
  await s.compacted()
  // 40 x 64 KiB = 2.5 MiB written with one record live: compaction bounds the files
  // near max(1 MiB, 2 x live) instead.
  const files = readdirSync(dir).filter((f) => /\.(snap|jsonl)$/.test(f))
  assert.ok(files.reduce((n, f) => n + statSync(join(dir, f)).size, 0) < 20 * 64 * 1024, files.join(' '))
  assert.equal((await s.get<{ pad: string }>('big', 'x'))?.data.pad, pad + 39)
  await s.close()
  const again = await LocalStore.open({ dir })
  assert.is((await again.get('big', 'x'))?.version, 41)
  await again.close()
})

local('a record expires as its stored JSON says, on every write path and after a restart', async ({ dir }) => {
  let t = Date.now()
  const clock = { now: () => t }
  const soon = t + 1000
  const cases: [string, unknown, boolean][] = [
    ['number', { expires_at: soon }, true],
    ['nan', { expires_at: Number.NaN }, false], // JSON writes null: never expires
    ['infinite', { expires_at: Number.POSITIVE_INFINITY }, false],
    ['date', { expires_at: new Date(soon) }, false], // a string in JSON, not a number
    ['to-json', { toJSON: () => ({ expires_at: soon }) }, true],
    ['none', { v: 1 }, false],
  ]
  const a = await LocalStore.open({ dir, clock })
  for (const [id, data] of cases) {
    await a.create('c', id, data)
    await a.create('u', id, { v: 0 })
    await a.update('u', id, () => data)
    await a.transact(async (tx) => tx.set('x', id, data))
  }
  t = soon + 1
  const check = async (s: LocalStore, when: string) => {
    for (const [id, , expires] of cases) for (const col of ['c', 'u', 'x']) {
      assert.is((await s.get(col, id)) === null, expires, `${when}: ${col}/${id}`)
    }
  }
  await check(a, 'live')
  await a.close()
  const b = await LocalStore.open({ dir, clock })
  await check(b, 'after a restart')
  await b.close()
})

local.run()
