/** What every BlobStore (saved stdio homes) must do: test/homes-local.test.ts and test/homes-gcs.test.ts run it. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { BlobStore } from '../shared/ports.js'
import { AppError } from '../shared/errors.js'
import { rejects } from './support/assert.js'

export function blobContract(name: string, make: () => Promise<{ store: BlobStore; cleanup(): Promise<void> }>): void {
  let made: Awaited<ReturnType<typeof make>>
  const s = () => made.store
  test.before.each(async () => {
    made = await make()
  })
  test.after.each(async () => {
    await made.store.close()
    await made.cleanup()
  })
  const lost = (e: unknown) => e instanceof AppError && e.code === 'precondition_failed'

  test(`${name}: a missing object reads as null; the first write needs generation 0`, async () => {
    assert.is(await s().get('h/a/b'), null)
    await rejects(() => s().put('h/a/b', Buffer.from('x'), '12345'), lost)
    const g = await s().put('h/a/b', Buffer.from('first'), '0')
    const got = await s().get('h/a/b')
    assert.is(got!.data.toString(), 'first')
    assert.is(got!.generation, g)
  })

  test(`${name}: a write with a stale generation is refused and changes nothing (fencing)`, async () => {
    const g1 = await s().put('h/a/b', Buffer.from('one'), '0')
    const g2 = await s().put('h/a/b', Buffer.from('two'), g1)
    assert.is.not(g1, g2)
    await rejects(() => s().put('h/a/b', Buffer.from('stale'), g1), lost)
    await rejects(() => s().put('h/a/b', Buffer.from('stale'), '0'), lost)
    assert.is((await s().get('h/a/b'))!.data.toString(), 'two')
  })

  test(`${name}: of two writers racing from one generation, exactly one wins`, async () => {
    const g = await s().put('h/a/b', Buffer.from('base'), '0')
    const r = await Promise.allSettled([1, 2, 3, 4].map((i) => s().put('h/a/b', Buffer.from(`w${i}`), g)))
    const won = r.filter((x) => x.status === 'fulfilled')
    assert.is(won.length, 1, JSON.stringify(r.map((x) => x.status)))
    for (const x of r) if (x.status === 'rejected') assert.ok(lost(x.reason), String(x.reason))
  })

  test(`${name}: deletePrefix removes every object under one config, and a holder's later write with its old generation fails`, async () => {
    const g = await s().put('h/cfg1/u1', Buffer.from('a'), '0')
    await s().put('h/cfg1/u2', Buffer.from('b'), '0')
    await s().put('h/cfg2/u1', Buffer.from('c'), '0')
    assert.is(await s().deletePrefix('h/cfg1/'), 2)
    assert.is(await s().get('h/cfg1/u1'), null)
    assert.is(await s().get('h/cfg1/u2'), null)
    assert.is((await s().get('h/cfg2/u1'))!.data.toString(), 'c')
    await rejects(() => s().put('h/cfg1/u1', Buffer.from('resurrected'), g), lost)
    assert.is(await s().get('h/cfg1/u1'), null)
    assert.is(await s().deletePrefix('h/cfg1/'), 0, 'idempotent')
  })

  test(`${name}: binary data of 1 MiB round-trips byte for byte`, async () => {
    const data = Buffer.alloc(1 << 20)
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff
    await s().put('h/big/one', data, '0')
    assert.ok((await s().get('h/big/one'))!.data.equals(data))
  })
}
