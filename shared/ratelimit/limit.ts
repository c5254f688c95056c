/**
 * Rate limits on tool calls: per user, per user and MCP, per org, as token
 * buckets (RATE_LIMIT_USER, RATE_LIMIT_USER_MCP, RATE_LIMIT_ORG; a config's
 * `config.rate_limit` may lower its MCP limit). One call takes one token from
 * each bucket that applies, or none when any is empty: 429 `rate_limited`,
 * with Retry-After, RateLimit and RateLimit-Policy, and an audit record.
 * When the store (Redis) is unreachable, RATE_LIMIT_FAIL decides: `open`
 * admits the call, `closed` answers 503; either way logged and counted.
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import type { Bucket, Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import { AppError } from '../errors.js'
import { audit } from '../audit.js'
import { log, logWithRequest, redact } from '../log.js'
import { intervalUs, parsePolicy, strictest, type Policy } from './policy.js'
import { bucketState } from './gcra.js'
import { rateLimitHeaders, seconds, type PolicyState } from './headers.js'

export type PolicyName = 'user' | 'user-mcp' | 'org'
interface Applied { name: PolicyName; policy: Policy; bucket: Bucket }

/** Seconds a caller is asked to wait when limits cannot be checked (RATE_LIMIT_FAIL=closed). */
export const CLOSED_RETRY_AFTER = 5

/** Per process: store failures, and what the calls got meanwhile (also in the logs, for the log-based metric). */
export const rateLimitCounters = { store_errors: 0, failed_open: 0, failed_closed: 0, blocked: 0 }
let storeDown = false

const bucket = (key: string, p: Policy): Bucket => ({ key, intervalUs: intervalUs(p), burst: p.burst })

/** The limits that apply to this caller's call to this config, with their buckets. */
export function policiesFor(d: Deps, caller: Caller, rec: Rec<McpConfig>): Applied[] {
  const rl = d.config.rateLimit
  const k = `${d.config.collectionPrefix}rl:`
  const out: Applied[] = []
  if (rl.user) out.push({ name: 'user', policy: rl.user, bucket: bucket(`${k}u:${caller.sub}`, rl.user) })
  // A config's own limit can only lower the operator's (the registry refuses a looser one; this holds if the env changes later).
  const own = rec.data.config.rate_limit ? parsePolicy(rec.data.config.rate_limit) : undefined
  const um = strictest(rl.userMcp ?? undefined, own?.ok ? own.policy : undefined)
  if (um) out.push({ name: 'user-mcp', policy: um, bucket: bucket(`${k}um:${caller.sub}:${rec.id}`, um) })
  if (rl.org && caller.org) out.push({ name: 'org', policy: rl.org, bucket: bucket(`${k}o:${caller.org}`, rl.org) })
  return out
}

/**
 * Takes a token for one tool call, or throws 429 (or 503 when closed and the
 * store is down). `onHeaders` gets the RateLimit fields for the response,
 * also before a 429 is thrown.
 */
export async function rateLimit(d: Deps, caller: Caller, rec: Rec<McpConfig>, tool: string, onHeaders?: (h: Record<string, string>) => void): Promise<void> {
  const applied = policiesFor(d, caller, rec)
  if (!applied.length) return
  const t0 = performance.now()
  let r: { ok: boolean; debtUs: number[] }
  try {
    r = await (await d.limiter()).take(applied.map((a) => a.bucket), d.clock.now() * 1000)
  } catch (e) {
    return unreachable(d, e)
  }
  if (storeDown) {
    storeDown = false
    log('NOTICE', 'rate limiter store reachable again')
  }
  const states: (PolicyState & { name: PolicyName })[] = applied.map((a, i) => ({ name: a.name, policy: a.policy, ...bucketState(r.debtUs[i]!, a.bucket) }))
  onHeaders?.(rateLimitHeaders(states))
  if (r.ok) return
  // Refused: nothing was taken, and the empty buckets are the ones at fault.
  const violated = states.filter((s) => s.remaining === 0)
  const worst = violated.reduce((a, b) => (b.nextUs > a.nextUs ? b : a))
  const retryAfter = Math.max(1, seconds(worst.nextUs))
  rateLimitCounters.blocked++
  audit(d, {
    actor: caller.sub, org: caller.org ?? null, action: 'tool.execute', mcp_id: rec.id, tool: tool.slice(0, 128),
    outcome: 'denied', code: 'rate_limited', rate_limit: { policy: worst.name }, duration_ms: Math.round(performance.now() - t0),
  })
  const names = violated.map((s) => s.name)
  throw new AppError('rate_limited', `Rate limit exceeded (${names.join(', ')}); retry in ${retryAfter} s.`, { retry_after: retryAfter, violated_policies: names })
}

function unreachable(d: Deps, e: unknown): void {
  const fail = d.config.rateLimit.fail
  rateLimitCounters.store_errors++
  const cause = (e instanceof AppError ? e.cause : e) as { code?: unknown; message?: unknown } | undefined
  const reason = typeof cause?.code === 'string' ? cause.code : redact(String(cause?.message ?? cause ?? 'unreachable')).slice(0, 200)
  if (!storeDown) {
    storeDown = true
    // Not a `rate_limit` field: the log-based metric counts the per-call lines below, once each.
    log('ERROR', `rate limiter store unreachable; failing ${fail} until it is back`, { fail, reason })
  }
  // Rides on the request's own log line: the log-based metric counts every call that went unchecked.
  logWithRequest('WARNING', 'rate limiter store unreachable', { rate_limit: { store: 'unreachable', fail } })
  if (fail === 'open') {
    rateLimitCounters.failed_open++
    return
  }
  rateLimitCounters.failed_closed++
  throw new AppError('unavailable', 'Rate limits cannot be checked right now; try again shortly.', { retry_after: CLOSED_RETRY_AFTER })
}
