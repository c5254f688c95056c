/**
 * The RateLimit-Policy and RateLimit response fields of the IETF httpapi
 * draft (draft-ietf-httpapi-ratelimit-headers-10, §3 and §4): Structured Field
 * lists of a quoted policy name with parameters. RateLimit-Policy: `q` (quota)
 * per `w` (window, seconds), plus our bucket size as the vendor parameter
 * `mcpgw-burst` when it differs from `q` (§3.1: service-specific parameters are
 * prefixed). RateLimit: `r` (remaining) and `t` (seconds until more quota),
 * `t` left out when the bucket is full.
 */
import type { Policy } from './policy.js'

export interface PolicyState {
  name: string
  policy: Policy
  remaining: number
  nextUs: number
}

export const seconds = (us: number) => Math.ceil(us / 1_000_000)

export function rateLimitHeaders(states: PolicyState[]): Record<string, string> {
  return {
    'RateLimit-Policy': states
      .map((s) => `"${s.name}";q=${s.policy.count};w=${s.policy.periodSec}${s.policy.burst === s.policy.count ? '' : `;mcpgw-burst=${s.policy.burst}`}`)
      .join(', '),
    RateLimit: states.map((s) => `"${s.name}";r=${s.remaining}${s.nextUs > 0 ? `;t=${seconds(s.nextUs)}` : ''}`).join(', '),
  }
}
