/**
 * Item 8: what the rate limiter adds to `execute`. One gateway process per
 * store (memory; Redis when redis-server is installed) with only RATE_LIMIT_ORG
 * set, so within one process a caller without an org passes no limit (the
 * limiter returns before touching its store) and a caller with one takes a
 * token: execute p50 with and without limits, interleaved, same process, same
 * upstream. Beside it, the limiter alone in this process: a memory take, and a
 * Redis take against a PING (one round trip) on the same connection.
 *
 * Run alone: `node dist/bench/ratelimit.js [--quick]` (after `npm run build`).
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { MemoryRateLimitStore } from '../shared/adapters/ratelimit-memory.js'
import { RedisRateLimitStore } from '../shared/adapters/ratelimit-redis.js'
import { REDIS_SERVER, startRedis, type RedisServer } from '../test/support/redis.js'
import { api, ECHO } from './api.js'
import { spawnGateway, type GatewayProc } from './gateway-proc.js'
import { interleave, summarize, type Summary } from './stats.js'
import { spawnUpstreams, type UpstreamProc } from './upstream-proc.js'
import { killAllSync } from './proc.js'

export interface RateLimitPair {
  store: 'memory' | 'redis'
  without: Summary
  with: Summary
  /** with.p50 − without.p50, ms */
  added_p50_ms: number
}

export interface RateLimitResult {
  server: string
  pairs: RateLimitPair[]
  /** The limiter's store alone, from this process (ms). */
  alone: { memory_take: Summary; redis_take: Summary | null; redis_ping: Summary | null }
  /** Why there is no Redis row, when there is none. */
  note: string | null
}

const LIMITS = { RATE_LIMIT_ORG: '1000000/s' }

async function measureAlone(redis: RedisServer | undefined, n: number): Promise<RateLimitResult['alone']> {
  const SEC = 1_000_000
  const b = [{ key: 'bench:a', intervalUs: 1, burst: 1_000_000 }]
  const mem = new MemoryRateLimitStore()
  const ms: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await mem.take(b, Date.now() * 1000)
    ms.push(performance.now() - t0)
  }
  if (!redis) return { memory_take: summarize(ms), redis_take: null, redis_ping: null }
  const store = await RedisRateLimitStore.open(redis.url)
  const raw = new Redis(redis.url)
  try {
    const take: number[] = []
    const ping: number[] = []
    for (let i = 0; i < n; i++) {
      let t0 = performance.now()
      await store.take([{ key: 'bench:r', intervalUs: 1, burst: SEC }], Date.now() * 1000)
      take.push(performance.now() - t0)
      t0 = performance.now()
      await raw.ping()
      ping.push(performance.now() - t0)
    }
    return { memory_take: summarize(ms), redis_take: summarize(take), redis_ping: summarize(ping) }
  } finally {
    raw.disconnect()
    await store.close()
  }
}

export async function rateLimitBench(upstreamUrl: string, server: string, o: { rounds: number; warmup: number }): Promise<RateLimitResult> {
  let redis: RedisServer | undefined
  const gws: GatewayProc[] = []
  try {
    if (REDIS_SERVER) redis = await startRedis()
    const stores: ('memory' | 'redis')[] = redis ? ['memory', 'redis'] : ['memory']
    const variants: Record<string, () => Promise<boolean>> = {}
    for (const store of stores) {
      const gw = await spawnGateway(store === 'redis' ? { ...LIMITS, REDIS_URL: redis!.url } : LIMITS)
      gws.push(gw)
      const free = api(gw.base, await gw.token('free'))
      const limited = api(gw.base, await gw.token('limited', { org: 'bench' }))
      const [a, b] = [await free.register('rl-free', upstreamUrl), await limited.register('rl-limited', upstreamUrl)]
      variants[`${store}:without`] = () => free.execute(a, 'echo', ECHO)
      variants[`${store}:with`] = () => limited.execute(b, 'echo', ECHO)
    }
    const r = await interleave(variants, o)
    const pairs = stores.map((store) => ({
      store, without: r[`${store}:without`]!, with: r[`${store}:with`]!,
      added_p50_ms: r[`${store}:with`]!.p50 - r[`${store}:without`]!.p50,
    }))
    return { server, pairs, alone: await measureAlone(redis, Math.max(50, o.rounds * 5)), note: redis ? null : 'redis-server not installed: memory adapter only' }
  } finally {
    await Promise.allSettled(gws.map((g) => g.stop()))
    await redis?.stop()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' } } })
  let up: UpstreamProc | undefined
  try {
    up = await spawnUpstreams()
    const { markdownRateLimit } = await import('./report.js')
    const r = await rateLimitBench(up.modern, '2026-07-28 (modern.ts)', values.quick ? { rounds: 10, warmup: 3 } : { rounds: 300, warmup: 30 })
    process.stdout.write(markdownRateLimit([r]) + '\n')
    await up.stop()
    process.exit(0)
  } catch (e) {
    process.stderr.write(`bench failed: ${(e as Error)?.stack ?? e}\n`)
    await up?.stop().catch(() => {})
    killAllSync()
    process.exit(1)
  }
}
