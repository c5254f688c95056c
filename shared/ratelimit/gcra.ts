/**
 * Token buckets as GCRA (the generic cell rate algorithm, ITU-T I.371): one
 * number per bucket, its theoretical arrival time (TAT), in integer
 * microseconds. A bucket with a token every T and room for B tokens admits a
 * call at `now` when `max(TAT, now) + T - now <= B*T`, and then moves TAT to
 * `max(TAT, now) + T`. That is exactly a token bucket of size B refilled at 1/T,
 * kept in one value that expires by itself once the bucket is full again.
 *
 * The memory adapter runs this function; the Redis adapter runs the same
 * arithmetic in Lua (shared/adapters/ratelimit-redis.ts), and the contract test
 * runs the same sequences against both.
 */
import type { Bucket } from '../ports.js'

/** All or nothing: one token from every bucket, or none when any bucket is empty. */
export function takeAll(tats: (number | null)[], buckets: Bucket[], nowUs: number): { ok: boolean; tats: number[]; debtUs: number[] } {
  const base = buckets.map((_, i) => Math.max(tats[i] ?? nowUs, nowUs))
  const ok = buckets.every((b, i) => base[i]! + b.intervalUs - nowUs <= b.intervalUs * b.burst)
  const next = ok ? base.map((t, i) => t + buckets[i]!.intervalUs) : base
  return { ok, tats: next, debtUs: next.map((t) => t - nowUs) }
}

/** What a bucket holds at `debtUs`: tokens left, and microseconds until one more is available. */
export function bucketState(debtUs: number, b: Pick<Bucket, 'intervalUs' | 'burst'>): { remaining: number; nextUs: number } {
  const inUse = Math.ceil(debtUs / b.intervalUs)
  const remaining = Math.max(0, b.burst - inUse)
  if (debtUs <= 0) return { remaining: b.burst, nextUs: 0 }
  // Empty: until the debt is low enough for one call. Otherwise: until the oldest token in use returns.
  return { remaining, nextUs: remaining === 0 ? debtUs + b.intervalUs - b.intervalUs * b.burst : debtUs - (inUse - 1) * b.intervalUs }
}
