import { suite, type Test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import type { Bucket, RateLimitStore } from '../shared/ports.js'
import { bucketState } from '../shared/ratelimit/gcra.js'

export interface LimiterFixture {
  store: RateLimitStore
  /** A prefix no other test uses: keys of one test never meet another's (Redis is shared). */
  prefix: string
  cleanup(): Promise<void>
}

type Ctx = { f: LimiterFixture; now: number }

const SEC = 1_000_000
const b = (f: LimiterFixture, key: string, intervalUs: number, burst: number): Bucket => ({ key: `${f.prefix}${key}`, intervalUs, burst })

/**
 * The classic token bucket, written independently of GCRA: a level of credit
 * (µs) that refills one µs per µs up to burst × interval, and a call costs one
 * interval. The adapters must agree with it exactly: debt = capacity − level.
 */
class Reference {
  private level = new Map<string, { l: number; at: number }>()
  take(buckets: Bucket[], now: number) {
    const lv = buckets.map((x) => {
      const cap = x.intervalUs * x.burst
      const s = this.level.get(x.key)
      return s ? Math.min(cap, s.l + Math.max(0, now - s.at)) : cap
    })
    const ok = buckets.every((x, i) => lv[i]! >= x.intervalUs)
    const after = ok ? lv.map((l, i) => l - buckets[i]!.intervalUs) : lv
    if (ok) for (const [i, x] of buckets.entries()) this.level.set(x.key, { l: after[i]!, at: now })
    return { ok, debtUs: after.map((l, i) => buckets[i]!.intervalUs * buckets[i]!.burst - l) }
  }
}

/** What every RateLimitStore promises (shared/ports.ts): memory and Redis run the same tests. */
export function rateLimitContract(name: string, make: () => Promise<LimiterFixture>): Test<Ctx> {
  const test = suite<Ctx>(`RateLimitStore contract: ${name}`, {} as Ctx)
  test.before.each(async (ctx) => {
    ctx.f = undefined as never
    ctx.f = await make()
    ctx.now = Date.now() * 1000
  })
  test.after.each(async (ctx) => {
    const f = ctx.f
    ctx.f = undefined as never
    await f?.store.close()
    await f?.cleanup()
  })

  test('a fresh bucket admits exactly its burst at once, then refuses until one interval has passed', async (ctx) => {
    const k = b(ctx.f, 'a', 10 * SEC, 5)
    const got: boolean[] = []
    for (let i = 0; i < 8; i++) got.push((await ctx.f.store.take([k], ctx.now)).ok)
    assert.equal(got, [true, true, true, true, true, false, false, false])
    const refused = await ctx.f.store.take([k], ctx.now + 10 * SEC - 1)
    assert.is(refused.ok, false, 'one microsecond early')
    assert.equal(bucketState(refused.debtUs[0]!, k), { remaining: 0, nextUs: 1 })
    const r = await ctx.f.store.take([k], ctx.now + 10 * SEC)
    assert.is(r.ok, true, 'the refill of one interval admits one call')
    assert.is((await ctx.f.store.take([k], ctx.now + 10 * SEC)).ok, false, 'and only one')
  })

  test('the debt is exact: one interval per admitted call, unchanged by a refusal', async (ctx) => {
    const k = b(ctx.f, 'd', 2 * SEC, 3)
    const debts: number[] = []
    for (let i = 0; i < 4; i++) debts.push((await ctx.f.store.take([k], ctx.now)).debtUs[0]!)
    assert.equal(debts, [2 * SEC, 4 * SEC, 6 * SEC, 6 * SEC])
    assert.equal(bucketState(2 * SEC, k), { remaining: 2, nextUs: 2 * SEC })
    assert.equal(bucketState(6 * SEC, k), { remaining: 0, nextUs: 2 * SEC })
    // Half an interval later, the debt has shrunk by as much.
    assert.is((await ctx.f.store.take([k], ctx.now + SEC)).debtUs[0], 6 * SEC - SEC)
  })

  test('a bucket refills to its burst and no further', async (ctx) => {
    const k = b(ctx.f, 'r', SEC, 3)
    for (let i = 0; i < 3; i++) assert.ok((await ctx.f.store.take([k], ctx.now)).ok)
    const later = ctx.now + 3600 * SEC
    const got: boolean[] = []
    for (let i = 0; i < 5; i++) got.push((await ctx.f.store.take([k], later)).ok)
    assert.equal(got, [true, true, true, false, false])
  })

  test('all or nothing: a call refused by one bucket takes nothing from the others', async (ctx) => {
    const small = b(ctx.f, 's', 60 * SEC, 1)
    const big = b(ctx.f, 'B', 60 * SEC, 10)
    assert.ok((await ctx.f.store.take([small, big], ctx.now)).ok)
    for (let i = 0; i < 5; i++) {
      const r = await ctx.f.store.take([small, big], ctx.now)
      assert.is(r.ok, false)
      assert.equal(r.debtUs, [60 * SEC, 60 * SEC], 'neither bucket moved')
    }
    assert.is((await ctx.f.store.take([big], ctx.now)).debtUs[0], 2 * 60 * SEC, 'big lost only the one admitted call')
  })

  test('buckets are independent by key', async (ctx) => {
    const a = b(ctx.f, 'x', 60 * SEC, 1)
    const c = b(ctx.f, 'y', 60 * SEC, 1)
    assert.ok((await ctx.f.store.take([a], ctx.now)).ok)
    assert.not.ok((await ctx.f.store.take([a], ctx.now)).ok)
    assert.ok((await ctx.f.store.take([c], ctx.now)).ok, 'another key still has its token')
  })

  test('instances with skewed clocks: each measures the shared debt from its own clock, off by exactly the skew', async (ctx) => {
    const k = b(ctx.f, 'skew', 10 * SEC, 2)
    assert.is((await ctx.f.store.take([k], ctx.now)).debtUs[0], 10 * SEC)
    const behind = await ctx.f.store.take([k], ctx.now - 5 * SEC)
    assert.equal(behind, { ok: false, debtUs: [15 * SEC] }, 'a clock 5 s behind sees 5 s more debt, and takes nothing')
    const ahead = await ctx.f.store.take([k], ctx.now + 5 * SEC)
    assert.equal(ahead, { ok: true, debtUs: [15 * SEC] }, 'a clock 5 s ahead sees 5 s less')
  })

  test('200 concurrent takes from a burst of 50 admit exactly 50', async (ctx) => {
    const k = b(ctx.f, 'c', 3600 * SEC, 50)
    const rs = await Promise.all(Array.from({ length: 200 }, () => ctx.f.store.take([k], ctx.now)))
    assert.is(rs.filter((r) => r.ok).length, 50)
  })

  test('any sequence of takes and clock steps agrees exactly with a classic token bucket', async (ctx) => {
    let run = 0
    const policy = fc.record({ intervalUs: fc.integer({ min: 1, max: 3600 }).map((n) => n * SEC), burst: fc.integer({ min: 1, max: 6 }) })
    const op = fc.record({ advanceUs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 7200 * SEC })), keys: fc.subarray([0, 1, 2], { minLength: 1 }) })
    await fc.assert(
      fc.asyncProperty(fc.tuple(policy, policy, policy), fc.array(op, { minLength: 1, maxLength: 40 }), async (ps, ops) => {
        const prefix = `prop${run++}:`
        const buckets = ps.map((p, i) => ({ key: `${ctx.f.prefix}${prefix}${i}`, ...p }))
        const ref = new Reference()
        let now = ctx.now
        for (const o of ops) {
          now += o.advanceUs
          const bs = o.keys.map((i) => buckets[i]!)
          const got = await ctx.f.store.take(bs, now)
          const want = ref.take(bs, now)
          assert.equal(got, want, `take ${o.keys} at +${now - ctx.now} µs`)
        }
      }),
      { numRuns: 150 },
    )
  })

  return test
}
