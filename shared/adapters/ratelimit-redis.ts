import type { Redis as Client } from 'ioredis'
import { AppError } from '../errors.js'
import type { Bucket, RateLimitStore } from '../ports.js'

/**
 * takeAll (shared/ratelimit/gcra.ts) in Lua: Redis runs a script atomically, so
 * every instance sees one order of takes. KEYS are the buckets; ARGV[1] is now
 * (µs), then each bucket's interval (µs) and burst. TATs are integers (µs) kept
 * as decimal strings, and expire when the bucket is full again.
 */
const TAKE = `
local now = tonumber(ARGV[1])
local base = {}
local ok = 1
for i = 1, #KEYS do
  local t = tonumber(redis.call('GET', KEYS[i]) or ARGV[1])
  if t < now then t = now end
  base[i] = t
  local T = tonumber(ARGV[2 * i])
  if t + T - now > T * tonumber(ARGV[2 * i + 1]) then ok = 0 end
end
local out = {ok}
for i = 1, #KEYS do
  local t = base[i]
  if ok == 1 then
    t = t + tonumber(ARGV[2 * i])
    redis.call('SET', KEYS[i], string.format('%.0f', t), 'PX', math.ceil((t - now) / 1000))
  end
  out[i + 1] = t - now
end
return out
`

type WithTake = Client & { rlTake(n: number, ...args: (string | number)[]): Promise<number[]> }

export interface RedisOptions {
  /** How long a take may wait for Redis before the store counts as unreachable. */
  commandTimeoutMs?: number
  /** How long a cold instance's first takes wait for the first connection. */
  connectTimeoutMs?: number
}

const unreachable = (cause?: unknown) => new AppError('unavailable', 'The rate limiter store is unreachable.', undefined, { cause })

/**
 * Rejects after `ms`, unless `p` settles first. The verdict waits for the next
 * check phase: after an event-loop stall the timer and the reply are due
 * together, timers run first, and a reply already in the socket must win.
 */
function deadline<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false
    const t = setTimeout(() => setImmediate(() => { if (!done) { done = true; reject(new Error('timeout')) } }), ms)
    p.then(
      (v) => { if (!done) { done = true; clearTimeout(t); resolve(v) } },
      (e) => { if (!done) { done = true; clearTimeout(t); reject(e) } },
    )
  })
}

/**
 * Rate-limit buckets in Redis (Memorystore in production), shared by every
 * instance. ioredis is loaded only here, so only a deployment with REDIS_URL
 * pays for it. A cold instance's first takes wait (once, at most
 * `connectTimeoutMs`) for the first connection; after that nothing waits for a
 * lost one: commands fail at once while disconnected (no offline queue, no
 * retries), a take gives up after `commandTimeoutMs`, and the client
 * reconnects in the background.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private constructor(
    private readonly client: WithTake,
    private readonly firstReady: Promise<void>,
    private readonly commandTimeoutMs: number,
  ) {}

  static async open(url: string, o: RedisOptions = {}): Promise<RedisRateLimitStore> {
    const { Redis } = await import('ioredis')
    const commandTimeoutMs = o.commandTimeoutMs ?? 1000
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      // A command in flight when the connection drops fails at once, and is never sent twice.
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // A backstop that clears commands a silent (not closed) connection never answers.
      commandTimeout: commandTimeoutMs * 5,
      connectTimeout: o.connectTimeoutMs ?? 3000,
      retryStrategy: (n) => Math.min(50 * n, 1000),
    }) as WithTake
    // Connection errors surface as failed takes (and the limiter's log); without a listener ioredis prints them.
    client.on('error', () => {})
    client.defineCommand('rlTake', { lua: TAKE })
    const firstReady = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, o.connectTimeoutMs ?? 3000)
      t.unref()
      client.once('ready', () => { clearTimeout(t); resolve() })
    })
    void client.connect().catch(() => {})
    return new RedisRateLimitStore(client, firstReady, commandTimeoutMs)
  }

  private async ready(): Promise<void> {
    if (this.client.status === 'ready') return
    await this.firstReady
    if ((this.client.status as string) !== 'ready') throw unreachable()
  }

  async take(buckets: Bucket[], nowUs: number) {
    await this.ready()
    const args: (string | number)[] = [buckets.length, ...buckets.map((b) => b.key), nowUs]
    for (const b of buckets) args.push(b.intervalUs, b.burst)
    let r: number[]
    try {
      r = await deadline(this.client.rlTake(...(args as [number, ...(string | number)[]])), this.commandTimeoutMs)
    } catch (e) {
      throw unreachable(e)
    }
    return { ok: r[0] === 1, debtUs: r.slice(1).map(Number) }
  }

  async ping() {
    await this.ready()
    try {
      await deadline(this.client.ping(), this.commandTimeoutMs)
    } catch (e) {
      throw unreachable(e)
    }
  }

  async close() {
    this.client.disconnect()
  }
}
