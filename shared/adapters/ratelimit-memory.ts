import type { Bucket, RateLimitStore } from '../ports.js'
import { takeAll } from '../ratelimit/gcra.js'

/**
 * Rate-limit buckets in this process's memory: local mode and single-instance
 * deployments. A take is synchronous, so concurrent calls cannot both get the
 * last token. Full buckets (TAT in the past) are the same as absent ones and
 * are swept once the map has grown.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly tats = new Map<string, number>()
  private sweepAt = 10_000

  async take(buckets: Bucket[], nowUs: number) {
    const r = takeAll(buckets.map((b) => this.tats.get(b.key) ?? null), buckets, nowUs)
    if (r.ok) for (const [i, b] of buckets.entries()) this.tats.set(b.key, r.tats[i]!)
    if (this.tats.size > this.sweepAt) this.sweep(nowUs)
    return { ok: r.ok, debtUs: r.debtUs }
  }

  private sweep(nowUs: number) {
    for (const [k, t] of this.tats) if (t <= nowUs) this.tats.delete(k)
    this.sweepAt = Math.max(10_000, this.tats.size * 2)
  }

  /** Buckets held (tests: the sweep bounds memory). */
  get size() {
    return this.tats.size
  }

  async ping() {}
  async close() {
    this.tats.clear()
  }
}
