/**
 * The rate limiter's stores: the shared contract against the memory adapter
 * and against a real redis-server, plus what only one of them has (Redis
 * outages and key expiry; the memory adapter's sweep).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Redis } from 'ioredis'
import { MemoryRateLimitStore } from '../shared/adapters/ratelimit-memory.js'
import { RedisRateLimitStore } from '../shared/adapters/ratelimit-redis.js'
import { AppError } from '../shared/errors.js'
import { rateLimitContract } from './ratelimit.contract.js'
import { needsRedis, REDIS_SERVER, startRedis, type RedisServer } from './support/redis.js'
import { rejects } from './support/assert.js'

const SEC = 1_000_000
let n = 0

rateLimitContract('memory', async () => ({ store: new MemoryRateLimitStore(), prefix: `t${n++}:`, cleanup: async () => {} })).run()

// ---- Redis: one server for the file, a fresh key prefix per test ------------------------------------

let redis: RedisServer | undefined
if (REDIS_SERVER) {
  rateLimitContract('redis', async () => {
    redis ??= await startRedis()
    return { store: await RedisRateLimitStore.open(redis.url), prefix: `t${n++}:`, cleanup: async () => {} }
  }).run()
} else {
  // The contract registers its tests as it is built: without redis-server, one stand-in says why.
  const missing = needsRedis(suite('RateLimitStore contract: redis'))
  missing('the shared contract against a real redis-server', () => {})
  missing.run()
}

const only = needsRedis(suite('RedisRateLimitStore'))
only.before(async () => {
  redis ??= await startRedis()
})
only.after(async () => {
  await redis?.stop()
})

only('a bucket key expires once the bucket would be full again', async () => {
  const store = await RedisRateLimitStore.open(redis!.url)
  const raw = new Redis(redis!.url)
  try {
    const now = Date.now() * 1000
    await store.take([{ key: 'exp:a', intervalUs: 30 * SEC, burst: 4 }], now)
    await store.take([{ key: 'exp:a', intervalUs: 30 * SEC, burst: 4 }], now)
    const ttl = await raw.pttl('exp:a')
    assert.ok(ttl > 55_000 && ttl <= 60_000, `PTTL ${ttl} ms is the debt (60 s)`)
    assert.is(await raw.get('exp:a'), String(now + 60 * SEC), 'the TAT, in µs, as an exact integer')
  } finally {
    raw.disconnect()
    await store.close()
  }
})

only('Redis killed: takes fail at once with unavailable; restarted: the client reconnects by itself', async () => {
  const store = await RedisRateLimitStore.open(redis!.url)
  const k = [{ key: 'outage', intervalUs: SEC, burst: 100 }]
  try {
    assert.ok((await store.take(k, Date.now() * 1000)).ok)
    await redis!.kill()
    const t0 = performance.now()
    for (let i = 0; i < 20; i++) await rejects(() => store.take(k, Date.now() * 1000), (e) => e instanceof AppError && e.code === 'unavailable')
    assert.ok(performance.now() - t0 < 3000, `20 failed takes took ${Math.round(performance.now() - t0)} ms: nothing waits for the lost server`)
    await rejects(() => store.ping(), (e) => e instanceof AppError && e.code === 'unavailable')
    await redis!.restart()
    // Bounded wait on the event we expect (the reconnect), never a fixed sleep.
    const until = Date.now() + 15_000
    let ok = false
    while (!ok && Date.now() < until) {
      ok = await store.take(k, Date.now() * 1000).then((r) => r.ok, () => false)
      if (!ok) await new Promise((r) => setTimeout(r, 50))
    }
    assert.ok(ok, 'takes work again after the restart')
  } finally {
    await store.close()
  }
})

only('a cold instance\'s first take waits for the first connection (bounded); a lost one later fails at once', async () => {
  await redis!.kill()
  const store = await RedisRateLimitStore.open(redis!.url, { connectTimeoutMs: 10_000 })
  try {
    const first = store.take([{ key: 'cold', intervalUs: SEC, burst: 1 }], Date.now() * 1000).catch((e: Error) => e)
    await redis!.restart()
    const got = await first
    assert.ok(!(got instanceof Error), `taken once Redis came up, not refused for being early: ${got}`)
    assert.is((got as { ok: boolean }).ok, true)
    await redis!.kill()
    const t0 = performance.now()
    await rejects(() => store.take([{ key: 'cold', intervalUs: SEC, burst: 1 }], Date.now() * 1000), (e) => e instanceof AppError && e.code === 'unavailable')
    assert.ok(performance.now() - t0 < 1500, 'no wait once the store had been connected')
  } finally {
    await store.close()
    await redis!.restart()
  }
})

only('Redis down at a cold start: the first takes give up after the bound, then answer unavailable at once', async () => {
  await redis!.kill()
  const store = await RedisRateLimitStore.open(redis!.url, { connectTimeoutMs: 300 })
  try {
    const t0 = performance.now()
    await rejects(() => store.take([{ key: 'late', intervalUs: SEC, burst: 1 }], Date.now() * 1000), (e) => e instanceof AppError && e.code === 'unavailable')
    assert.ok(performance.now() - t0 < 2000, `waited ${Math.round(performance.now() - t0)} ms`)
    await redis!.restart()
    const until = Date.now() + 15_000
    let ok = false
    while (!ok && Date.now() < until) {
      ok = await store.take([{ key: 'late', intervalUs: SEC, burst: 1 }], Date.now() * 1000).then((r) => r.ok, () => false)
      if (!ok) await new Promise((r) => setTimeout(r, 50))
    }
    assert.ok(ok, 'and work once Redis is up')
  } finally {
    await store.close()
  }
})

only('an event-loop stall longer than the deadline does not turn a reply that arrived into a failure', async () => {
  const store = await RedisRateLimitStore.open(redis!.url, { commandTimeoutMs: 50 })
  try {
    await store.take([{ key: 'stall', intervalUs: SEC, burst: 100 }], Date.now() * 1000)
    const p = store.take([{ key: 'stall', intervalUs: SEC, burst: 100 }], Date.now() * 1000)
    const until = performance.now() + 300
    while (performance.now() < until) {} // the reply lands in the socket meanwhile; the timer is due too
    assert.is((await p).ok, true)
  } finally {
    await store.close()
  }
})

only.run()

const mem = suite('MemoryRateLimitStore')
mem('full buckets are swept as the map grows, so memory follows the live buckets, not every key ever seen', async () => {
  const store = new MemoryRateLimitStore()
  const now = Date.now() * 1000
  for (let i = 0; i < 15_000; i++) await store.take([{ key: `old${i}`, intervalUs: SEC, burst: 5 }], now)
  assert.is(store.size, 15_000)
  // One interval later every old bucket is full again, i.e. the same as absent.
  for (let i = 0; i < 15_000; i++) await store.take([{ key: `new${i}`, intervalUs: SEC, burst: 5 }], now + SEC)
  assert.ok(store.size < 20_000, `${store.size} buckets held; 30000 without the sweep`)
})
mem.run()
