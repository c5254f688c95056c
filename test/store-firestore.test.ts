import { randomUUID } from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { FirestoreStore, TTL_FIELD } from '../shared/adapters/store-firestore.js'
import { emulatorFirestore, noEmulator, startFirestoreEmulator } from './support/firestore-emulator.js'
import { needs } from './support/components.js'
import { storeContract } from './store.contract.js'

function testClock() {
  let t = Date.now()
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

// A unique collection prefix per test isolates tests without resetting the emulator.
const uniquePrefix = () => `t${randomUUID().slice(0, 8)}_`

const emu = await startFirestoreEmulator()
const gap = emu ? null : noEmulator()
let firestore: Awaited<ReturnType<typeof emulatorFirestore>>

const contract = storeContract('FirestoreStore (emulator)', async () => {
  firestore ??= await emulatorFirestore(emu!)
  const clock = testClock()
  const store = new FirestoreStore({ projectId: emu!.projectId, prefix: uniquePrefix(), clock, firestore })
  return { store, clock, cleanup: async () => {} }
}, gap)

contract('stores records as { d, v, exp } with exp for the TTL policy', async () => {
  firestore ??= await emulatorFirestore(emu!)
  const prefix = uniquePrefix()
  const store = new FirestoreStore({ projectId: emu!.projectId, prefix, firestore })
  const expires_at = Date.now() + 60_000
  await store.create('things', 'a', { n: 1, expires_at })
  await store.create('things', 'b', { n: 2 })
  const a = (await firestore.collection(`${prefix}things`).doc('a').get()).data()!
  assert.equal(a.d, { n: 1, expires_at })
  assert.is(a.v, 1)
  assert.is(a[TTL_FIELD].toMillis(), expires_at)
  const b = (await firestore.collection(`${prefix}things`).doc('b').get()).data()!
  assert.is(b[TTL_FIELD], undefined)
})

contract('list queries need no composite index: at most one field filter, ordered by document id only', async () => {
  firestore ??= await emulatorFirestore(emu!)
  const sdk = await import('@google-cloud/firestore')
  const calls: { op: string; field: string }[] = []
  const proto = sdk.Query.prototype as unknown as Record<string, (...a: unknown[]) => unknown>
  const orig = { where: proto.where!, orderBy: proto.orderBy! }
  for (const op of ['where', 'orderBy'] as const)
    proto[op] = function (this: unknown, ...a: unknown[]) { calls.push({ op, field: String(a[0]) }); return orig[op].apply(this, a) }
  try {
    const store = new FirestoreStore({ projectId: emu!.projectId, prefix: uniquePrefix(), firestore })
    for (let i = 0; i < 5; i++) await store.create('things', `t${i}`, { tenant: i % 2 ? 'u:a' : 'o:b', n: i })
    const page = await store.list('things', { where: { field: 'tenant', in: ['u:a', 'o:b'] }, limit: 2 })
    await store.list('things', { where: { field: 'tenant', in: ['u:a', 'o:b'] }, limit: 2, cursor: page.next! })
    await store.list('things', { limit: 2 })
  } finally {
    Object.assign(proto, orig)
  }
  // infra/ declares no composite index (local.composite_indexes = {}): keep it that way.
  assert.equal([...new Set(calls.filter((c) => c.op === 'where').map((c) => c.field))], ['d.tenant'])
  assert.equal([...new Set(calls.filter((c) => c.op === 'orderBy').map((c) => c.field))], ['__name__'])
})

// Runs after the contract suite, which is where the shared client gets terminated.
const lazy = needs(suite('FirestoreStore without an injected client'), gap)
lazy('creates its own client on first use and closes it', async () => {
  // FIRESTORE_EMULATOR_HOST (set by the emulator helper) points the client at the emulator.
  const store = new FirestoreStore({ projectId: emu!.projectId, prefix: uniquePrefix() })
  await store.ping()
  await store.create('things', 'a', { n: 1 })
  assert.equal((await store.get('things', 'a'))?.data, { n: 1 })
  await store.close()
})
lazy.after(async () => {
  await firestore?.terminate()
  await emu!.stop()
})

contract.run()
lazy.run()
