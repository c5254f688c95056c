import { suite, type Test } from 'uvu'
import * as assert from 'uvu/assert'
import { AppError } from '../shared/errors.js'
import type { Store } from '../shared/ports.js'
import { rejects } from './support/assert.js'
import { needs, type Missing } from './support/components.js'

export interface ContractFixture {
  store: Store
  clock: { now(): number; advance(ms: number): void }
  cleanup(): Promise<void>
}

type Ctx = { f: ContractFixture }

const code = (c: string) => (e: unknown) => e instanceof AppError && e.code === c

/**
 * The behaviour every Store adapter promises (shared/ports.ts). Returns the suite
 * so the caller can add adapter-specific tests before `.run()`.
 */
export function storeContract(name: string, make: () => Promise<ContractFixture>, gap: Missing | null = null): Test<Ctx> {
  const test = needs(suite<Ctx>(`Store contract: ${name}`, {} as Ctx), gap)
  test.before.each(async (ctx) => {
    ctx.f = undefined as never // a failing make() must not leave the last test's fixture behind
    ctx.f = await make()
  })
  test.after.each(async (ctx) => {
    const f = ctx.f
    ctx.f = undefined as never
    await f?.store.close()
    await f?.cleanup()
  })

  test('a missing record reads as null', async ({ f }) => {
    assert.is(await f.store.get('things', 'nope'), null)
  })

  test('a created record reads back with version 1', async ({ f }) => {
    const made = await f.store.create('things', 'a', { n: 1, tags: ['x'], nested: { ok: true } })
    assert.equal(made, { id: 'a', data: { n: 1, tags: ['x'], nested: { ok: true } }, version: 1 })
    assert.equal(await f.store.get('things', 'a'), made)
  })

  test('creating an existing id fails with conflict and keeps the first', async ({ f }) => {
    await f.store.create('things', 'a', { n: 1 })
    await rejects(() => f.store.create('things', 'a', { n: 2 }), code('conflict'))
    assert.equal((await f.store.get('things', 'a'))?.data, { n: 1 })
  })

  test('collections are independent', async ({ f }) => {
    await f.store.create('things', 'a', { n: 1 })
    await f.store.create('others', 'a', { n: 2 })
    assert.equal((await f.store.get('others', 'a'))?.data, { n: 2 })
  })

  test('changing returned data does not change the store', async ({ f }) => {
    const data = { n: 1 }
    const made = await f.store.create('things', 'a', data)
    data.n = 9
    made.data.n = 8
    assert.equal((await f.store.get('things', 'a'))?.data, { n: 1 })
  })

  test('update applies fn to the current data and bumps the version each time', async ({ f }) => {
    await f.store.create('things', 'a', { n: 1 })
    const one = await f.store.update<{ n: number }>('things', 'a', (o) => ({ n: o.n + 1 }))
    assert.equal(one, { id: 'a', data: { n: 2 }, version: 2 })
    const two = await f.store.update<{ n: number }>('things', 'a', (o) => ({ n: o.n * 10 }), { ifVersion: 2 })
    assert.equal(two, { id: 'a', data: { n: 20 }, version: 3 })
    assert.equal(await f.store.get('things', 'a'), two)
  })

  test('update with a stale ifVersion fails with precondition_failed and writes nothing', async ({ f }) => {
    await f.store.create('things', 'a', { n: 1 })
    await f.store.update('things', 'a', () => ({ n: 2 }))
    await rejects(() => f.store.update('things', 'a', () => ({ n: 3 }), { ifVersion: 1 }), code('precondition_failed'))
    assert.equal(await f.store.get('things', 'a'), { id: 'a', data: { n: 2 }, version: 2 })
  })

  test('update tells `committed` of the new record before it resolves (a caller may act on it while it becomes durable)', async ({ f }) => {
    await f.store.create('things', 'c', { n: 1 })
    let seen: unknown
    const r = await f.store.update<{ n: number }>('things', 'c', (o) => ({ n: o.n + 1 }), { committed: (x) => { seen = structuredClone(x) } })
    assert.equal(seen, { id: 'c', data: { n: 2 }, version: 2 })
    assert.equal(r, seen)
  })

  test('create tells `committed` of the new record before it resolves', async ({ f }) => {
    let seen: unknown
    const r = await f.store.create('things', 'd', { n: 1 }, { committed: (x) => { seen = structuredClone(x) } })
    assert.equal(seen, { id: 'd', data: { n: 1 }, version: 1 })
    assert.equal(r, seen)
  })

  test('updating a missing record fails with not_found', async ({ f }) => {
    await rejects(() => f.store.update('things', 'nope', (o) => o), code('not_found'))
  })

  test('delete reports whether it deleted something', async ({ f }) => {
    await f.store.create('things', 'a', { n: 1 })
    assert.is(await f.store.delete('things', 'a'), true)
    assert.is(await f.store.get('things', 'a'), null)
    assert.is(await f.store.delete('things', 'a'), false)
  })

  test('conditional delete refuses a stale version and honours the current one', async ({ f }) => {
    await f.store.create('things', 'a', { n: 1 })
    await f.store.update('things', 'a', () => ({ n: 2 }))
    await rejects(() => f.store.delete('things', 'a', { ifVersion: 1 }), code('precondition_failed'))
    assert.ok(await f.store.get('things', 'a'))
    assert.is(await f.store.delete('things', 'a', { ifVersion: 2 }), true)
    assert.is(await f.store.get('things', 'a'), null)
  })

  test('list returns records ordered by id', async ({ f }) => {
    for (const id of ['c', 'a', 'e', 'b', 'd']) await f.store.create('things', id, { id })
    const page = await f.store.list<{ id: string }>('things', { limit: 10 })
    assert.equal(page.items.map((r) => r.id), ['a', 'b', 'c', 'd', 'e'])
    assert.equal(page.items[0], { id: 'a', data: { id: 'a' }, version: 1 })
    assert.is(page.next, null)
  })

  test('list pages through 5 records 2 at a time with a cursor', async ({ f }) => {
    for (const id of ['r3', 'r1', 'r5', 'r2', 'r4']) await f.store.create('things', id, {})
    const seen: string[][] = []
    let cursor: string | undefined
    for (let i = 0; i < 5; i++) {
      const page = await f.store.list('things', { limit: 2, cursor })
      seen.push(page.items.map((r) => r.id))
      if (page.next === null) break
      cursor = page.next
    }
    assert.equal(seen, [['r1', 'r2'], ['r3', 'r4'], ['r5']])
  })

  test('list with exactly a full last page ends with next null', async ({ f }) => {
    for (const id of ['a', 'b', 'c', 'd']) await f.store.create('things', id, {})
    const one = await f.store.list('things', { limit: 2 })
    const two = await f.store.list('things', { limit: 2, cursor: one.next! })
    assert.equal(two.items.map((r) => r.id), ['c', 'd'])
    assert.is(two.next, null)
  })

  test('list filters with where-in and pages the filtered result', async ({ f }) => {
    const owners = ['alice', 'bob', 'carol', 'alice', 'bob', 'alice']
    for (const [i, owner] of owners.entries()) await f.store.create('things', `t${i}`, { owner })
    const one = await f.store.list<{ owner: string }>('things', { where: { field: 'owner', in: ['alice', 'carol'] }, limit: 3 })
    assert.equal(one.items.map((r) => r.id), ['t0', 't2', 't3'])
    assert.ok(one.next)
    const two = await f.store.list('things', { where: { field: 'owner', in: ['alice', 'carol'] }, limit: 3, cursor: one.next! })
    assert.equal(two.items.map((r) => r.id), ['t5'])
    assert.is(two.next, null)
    assert.equal((await f.store.list('things', { where: { field: 'owner', in: ['dave'] }, limit: 3 })).items, [])
  })

  test('list of an empty collection is one empty last page', async ({ f }) => {
    assert.equal(await f.store.list('empty', { limit: 5 }), { items: [], next: null })
  })

  test('list rejects a bad limit or cursor with invalid_request', async ({ f }) => {
    await rejects(() => f.store.list('things', { limit: 0 }), code('invalid_request'))
    await rejects(() => f.store.list('things', { limit: 1001 }), code('invalid_request'))
    await rejects(() => f.store.list('things', { limit: 1, cursor: '!!' }), code('invalid_request'))
  })

  test('an expired record reads as missing everywhere and can be created again', async ({ f }) => {
    const exp = f.clock.now() + 60_000
    await f.store.create('things', 'a', { v: 'old', expires_at: exp })
    await f.store.create('things', 'b', { v: 'keep' })
    assert.ok(await f.store.get('things', 'a'), 'still live before expiry')
    f.clock.advance(60_000)
    assert.is(await f.store.get('things', 'a'), null)
    assert.equal((await f.store.list('things', { limit: 10 })).items.map((r) => r.id), ['b'])
    assert.is(await f.store.transact((tx) => tx.get('things', 'a')), null)
    await rejects(() => f.store.update('things', 'a', (o) => o), code('not_found'))
    const again = await f.store.create('things', 'a', { v: 'new' })
    assert.equal(again, { id: 'a', data: { v: 'new' }, version: 1 })
    assert.equal((await f.store.get('things', 'a'))?.data, { v: 'new' })
  })

  test('an expired record cannot be taken', async ({ f }) => {
    await f.store.create('things', 'a', { expires_at: f.clock.now() + 1000 })
    f.clock.advance(1000)
    assert.is(await f.store.take('things', 'a'), null)
  })

  test('take returns the data once, then null', async ({ f }) => {
    await f.store.create('state', 's1', { verifier: 'v' })
    assert.equal(await f.store.take('state', 's1'), { verifier: 'v' })
    assert.is(await f.store.take('state', 's1'), null)
    assert.is(await f.store.get('state', 's1'), null)
  })

  test('20 concurrent takes of one record: exactly one gets it', async ({ f }) => {
    await f.store.create('state', 's1', { verifier: 'v' })
    const got = await Promise.all(Array.from({ length: 20 }, () => f.store.take('state', 's1')))
    assert.is(got.filter((g) => g !== null).length, 1)
  })

  test('find filters on equality, bounds the order field and pages in its order, ties by id', async ({ f }) => {
    const rows: [string, string, string, number][] = [
      ['a1', 'alice', 'x', 10], ['a2', 'alice', 'y', 20], ['a3', 'alice', 'x', 20], ['a4', 'alice', 'x', 30], ['a5', 'alice', 'x', 40], ['b1', 'bob', 'x', 25],
    ]
    for (const [id, owner, kind, at] of rows) await f.store.create('events', id, { owner, kind, at })
    await f.store.create('events', 'noat', { owner: 'alice', kind: 'x' })
    const ids = async (q: Omit<import('../shared/ports.js').FindQuery, 'limit'>, limit = 2) => {
      const out: string[] = []
      let cursor: string | undefined
      for (let i = 0; i < 10; i++) {
        const page = await f.store.find<{ at: number }>('events', { ...q, limit, cursor })
        assert.ok(page.items.length <= limit)
        out.push(...page.items.map((r) => r.id))
        if (!page.next) return out
        cursor = page.next
      }
      throw new Error('too many pages')
    }
    assert.equal(await ids({ eq: { owner: 'alice' }, order: { field: 'at', dir: 'desc' } }), ['a5', 'a4', 'a3', 'a2', 'a1'])
    assert.equal(await ids({ eq: { owner: 'alice', kind: 'x' }, order: { field: 'at', dir: 'asc' } }), ['a1', 'a3', 'a4', 'a5'])
    assert.equal(await ids({ eq: { owner: 'alice' }, order: { field: 'at', dir: 'desc' }, gte: 20, lt: 40 }, 1), ['a4', 'a3', 'a2'])
    assert.equal(await ids({ order: { field: 'at', dir: 'asc' }, gte: 25 }, 10), ['b1', 'a4', 'a5'])
    assert.equal(await ids({ eq: { owner: 'carol' }, order: { field: 'at', dir: 'asc' } }), [])
    const full = await f.store.find<{ owner: string; at: number }>('events', { eq: { owner: 'bob' }, order: { field: 'at', dir: 'asc' }, limit: 5 })
    assert.equal(full.items, [{ id: 'b1', data: { owner: 'bob', kind: 'x', at: 25 }, version: 1 }])
  })

  test('find skips expired records and refuses a forged cursor', async ({ f }) => {
    const now = f.clock.now()
    await f.store.create('events', 'old', { owner: 'alice', at: 1, expires_at: now + 1000 })
    await f.store.create('events', 'new', { owner: 'alice', at: 2 })
    f.clock.advance(2000)
    const page = await f.store.find('events', { eq: { owner: 'alice' }, order: { field: 'at', dir: 'asc' }, limit: 10 })
    assert.equal(page.items.map((r) => r.id), ['new'])
    await rejects(() => f.store.find('events', { order: { field: 'at', dir: 'asc' }, limit: 10, cursor: 'bm9wZQ' }), code('invalid_request'))
  })

  test('20 concurrent transactional increments lose no update', async ({ f }) => {
    await f.store.create('counters', 'c', { n: 0 })
    await Promise.all(
      Array.from({ length: 20 }, () =>
        f.store.transact(async (tx) => {
          const cur = await tx.get<{ n: number }>('counters', 'c')
          tx.set('counters', 'c', { n: cur!.data.n + 1 })
        }),
      ),
    )
    assert.equal(await f.store.get('counters', 'c'), { id: 'c', data: { n: 20 }, version: 21 })
  })

  test('a transaction that throws writes nothing', async ({ f }) => {
    await f.store.create('things', 'a', { n: 1 })
    const err = await rejects(() =>
      f.store.transact(async (tx) => {
        tx.set('things', 'a', { n: 2 })
        tx.set('things', 'b', { n: 3 })
        tx.delete('things', 'a')
        throw new Error('boom')
      }),
    )
    assert.is(err.message, 'boom')
    assert.equal(await f.store.get('things', 'a'), { id: 'a', data: { n: 1 }, version: 1 })
    assert.is(await f.store.get('things', 'b'), null)
  })

  test('a transaction commits all its writes and returns its result', async ({ f }) => {
    await f.store.create('things', 'a', { n: 1 })
    await f.store.create('things', 'gone', { n: 0 })
    const r = await f.store.transact(async (tx) => {
      tx.set('things', 'a', { n: 2 })
      tx.set('things', 'b', { n: 3 })
      tx.delete('things', 'gone')
      // Reads see the transaction's own buffered writes.
      assert.equal(await tx.get('things', 'a'), { id: 'a', data: { n: 2 }, version: 2 })
      assert.is(await tx.get('things', 'gone'), null)
      return 'ok'
    })
    assert.is(r, 'ok')
    assert.equal(await f.store.get('things', 'a'), { id: 'a', data: { n: 2 }, version: 2 })
    assert.equal(await f.store.get('things', 'b'), { id: 'b', data: { n: 3 }, version: 1 })
    assert.is(await f.store.get('things', 'gone'), null)
  })

  test('ping resolves when the store is up', async ({ f }) => {
    await f.store.ping()
  })

  test('a watcher sees the record now, then every committed change, then its deletion', async ({ f }) => {
    await f.store.create('things', 'w', { n: 0 })
    const seen: (number | null)[] = []
    let wake: (() => void) | undefined
    const stop = f.store.watch<{ n: number }>('things', 'w', (r) => {
      seen.push(r ? r.data.n : null)
      wake?.()
    })
    const until = async (pred: () => boolean) => {
      const deadline = Date.now() + 10_000
      while (!pred()) {
        assert.ok(Date.now() < deadline, `watcher saw only ${JSON.stringify(seen)}`)
        await new Promise<void>((r) => { wake = r; setTimeout(r, 500) })
      }
    }
    try {
      await until(() => seen.includes(0))
      await f.store.update<{ n: number }>('things', 'w', () => ({ n: 1 }))
      await until(() => seen.includes(1))
      await f.store.transact(async (tx) => tx.set('things', 'w', { n: 2 }))
      await until(() => seen.includes(2))
      await f.store.delete('things', 'w')
      await until(() => seen[seen.length - 1] === null)
    } finally {
      stop()
    }
  })

  return test
}
