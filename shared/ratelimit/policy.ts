/**
 * Rate-limit policies: `<count>/<s|m|h>` with an optional `,burst=<n>`, as in
 * RATE_LIMIT_USER, RATE_LIMIT_USER_MCP, RATE_LIMIT_ORG and a config's
 * `config.rate_limit`. Each is a token bucket: `count` tokens per period,
 * holding at most `burst` (default `count`), one token per tool call.
 * Pure: config.ts and the registry parse with it, the limiter builds buckets from it.
 */

export interface Policy {
  count: number
  /** The period of `count`, in seconds (1, 60 or 3600). */
  periodSec: number
  /** Bucket size: how many calls may arrive at once. */
  burst: number
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600 }
// Per-user limits beyond a million per period are no limits; the bound keeps every TAT exact (< 2^53 µs).
const MAX = 1_000_000
const SYNTAX = /^\s*([0-9]{1,9})\s*\/\s*([smh])\s*(?:,\s*burst\s*=\s*([0-9]{1,9})\s*)?$/

/** The syntax, for JSON Schema (`config.rate_limit`): no spaces there, the API's own form. */
export const POLICY_PATTERN = '^[1-9][0-9]{0,6}/[smh](,burst=[1-9][0-9]{0,6})?$'

/** Parses a policy; null with a reason when it is not one. */
export function parsePolicy(v: string): { ok: true; policy: Policy } | { ok: false; reason: string } {
  const m = SYNTAX.exec(v)
  if (!m) return { ok: false, reason: 'must be <count>/<s|m|h> with an optional ,burst=<n> (e.g. 600/m,burst=50)' }
  const count = Number(m[1])
  const burst = m[3] === undefined ? count : Number(m[3])
  if (count < 1 || count > MAX) return { ok: false, reason: `count must be in [1, ${MAX}] (unset the variable for no limit)` }
  if (burst < 1 || burst > MAX) return { ok: false, reason: `burst must be in [1, ${MAX}]` }
  return { ok: true, policy: { count, periodSec: UNIT[m[2]!]!, burst } }
}

/** Microseconds between two tokens (at least 1). */
export const intervalUs = (p: Policy): number => Math.max(1, Math.round((p.periodSec * 1_000_000) / p.count))

/** Whether `a` admits no more than `b`: neither a faster refill nor a bigger bucket. */
export const noLooser = (a: Policy, b: Policy): boolean => intervalUs(a) >= intervalUs(b) && a.burst <= b.burst

/** The stricter of two policies, field by field (the slower refill, the smaller bucket). */
export function strictest(a: Policy | undefined, b: Policy | undefined): Policy | undefined {
  if (!a || !b) return a ?? b
  const slower = intervalUs(a) >= intervalUs(b) ? a : b
  return { count: slower.count, periodSec: slower.periodSec, burst: Math.min(a.burst, b.burst) }
}

export const formatPolicy = (p: Policy): string =>
  `${p.count}/${p.periodSec === 1 ? 's' : p.periodSec === 60 ? 'm' : 'h'}${p.burst === p.count ? '' : `,burst=${p.burst}`}`
