/**
 * Usage counters: per (config, user or org, hour, instance) the calls, errors
 * by code and a latency histogram, written with the audit batch that carries
 * the calls (shared/audit.ts). Each instance writes only its own records (its
 * `shard`), keeps their state in memory and writes them whole: no
 * read-modify-write, no contention between instances. docs/storage-schema.md
 * has the cost model.
 */
import { createHash, randomBytes } from 'node:crypto'

export const USAGE = 'usage'
export const HOUR = 3_600_000
/** Long enough for the widest window (7 days) and the hour it starts in. */
const KEEP_MS = 8 * 24 * HOUR

/** Upper bounds (ms) of the latency buckets: about 25 % apart from 1 ms to 10 minutes; the last is open. */
export const BOUNDS: number[] = (() => {
  const b: number[] = []
  for (let x = 1; x < 600_000; x *= 1.25) if (Math.ceil(x) !== b[b.length - 1]) b.push(Math.ceil(x))
  return b
})()

/** `usage/{hash(key).hour.shard}`. */
export interface Counter {
  /** `<mcp_id>|u:<sub>` or `<mcp_id>|o:<org>`: the field usage queries filter on. */
  key: string
  mcp_id: string
  /** Start of the hour, epoch ms: the field usage queries order and bound on. */
  hour: number
  shard: string
  calls: number
  errors: Record<string, number>
  /** Bucket index (into BOUNDS; BOUNDS.length: above the last) → calls. */
  lat: Record<string, number>
  expires_at: number
}

/** This instance's shard: only it writes records under it. */
const SHARD = randomBytes(9).toString('base64url')

export const userKey = (mcpId: string, sub: string) => `${mcpId}|u:${sub}`
export const orgKey = (mcpId: string, org: string) => `${mcpId}|o:${org}`
const counterId = (key: string, hour: number, shard: string) => `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.${hour}.${shard}`

export function bucketOf(ms: number): number {
  let lo = 0
  let hi = BOUNDS.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ms <= BOUNDS[mid]!) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** The audit record fields the counters read (shared/audit.ts's AuditEntry, stored with `at`). */
export interface Call {
  actor: string
  org: string | null
  action: string
  mcp_id: string
  outcome: string
  code?: string
  duration_ms: number
  at: number
}

/** What the counters count: calls of tools, prompts and resources, refused ones included. */
const counted = (e: Call) => (e.action === 'tool.execute' || e.action === 'tool.blocked') && e.mcp_id !== ''

/** One instance's counters, by record id, for the current and the previous hour. */
export class Counters {
  private readonly live = new Map<string, Counter>()

  /**
   * Adds the batch's calls; returns a copy of every counter they changed (at most 2 per user and config),
   * to be written whole. Batches must be tallied and written in order (shared/audit.ts serialises them).
   */
  tally(records: Call[]): [string, Counter][] {
    const dirty = new Set<string>()
    for (const e of records) {
      if (!counted(e)) continue
      const hour = Math.floor(e.at / HOUR) * HOUR
      for (const key of [userKey(e.mcp_id, e.actor), ...(e.org ? [orgKey(e.mcp_id, e.org)] : [])]) {
        const id = counterId(key, hour, SHARD)
        let c = this.live.get(id)
        if (!c) this.live.set(id, (c = { key, mcp_id: e.mcp_id, hour, shard: SHARD, calls: 0, errors: {}, lat: {}, expires_at: hour + KEEP_MS }))
        c.calls++
        if (e.outcome !== 'ok') c.errors[e.code ?? e.outcome] = (c.errors[e.code ?? e.outcome] ?? 0) + 1
        // Refusals (denied) never reached the server: their time says nothing about its latency.
        if (e.outcome !== 'denied') {
          const b = String(bucketOf(e.duration_ms))
          c.lat[b] = (c.lat[b] ?? 0) + 1
        }
        dirty.add(id)
      }
    }
    const out = [...dirty].map((id) => [id, structuredClone(this.live.get(id)!)] as [string, Counter])
    // Older hours are complete: nothing will change them again.
    const newest = Math.max(0, ...records.map((r) => r.at))
    for (const [id, c] of this.live) if (c.hour < newest - 2 * HOUR) this.live.delete(id)
    return out
  }
}

/** p-th percentile (0..1) of merged histograms: the upper bound of its bucket, or null without calls. */
export function percentile(lat: Record<string, number>, p: number): number | null {
  const entries = Object.entries(lat).map(([b, n]) => [Number(b), n] as const).sort((a, b) => a[0] - b[0])
  const total = entries.reduce((s, [, n]) => s + n, 0)
  if (!total) return null
  const rank = Math.ceil(p * total)
  let seen = 0
  for (const [b, n] of entries) {
    seen += n
    if (seen >= rank) return BOUNDS[b] ?? BOUNDS[BOUNDS.length - 1]!
  }
  return null
}
