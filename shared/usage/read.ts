/**
 * `GET /api/v1/mcps/{id}/usage`: calls, errors by code and latency percentiles
 * of a config over a window, for the caller (an org admin: the org), summed
 * from the hourly counters (./counters.ts).
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { load } from '../registry/read.js'
import { check } from '../validate.js'
import { HOUR, USAGE, orgKey, percentile, userKey, type Counter } from './counters.js'
import { usageQuerySchema } from './schema.js'

const WINDOWS = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR } as const
type Window = keyof typeof WINDOWS
// 7 days of hours from a handful of instances; beyond that the answer would be a guess.
const MAX_PAGES = 20

export async function usage(d: Deps, caller: Caller, id: string, query: URLSearchParams) {
  const q = check<{ window?: Window }>(usageQuerySchema, Object.fromEntries(query), 'query')
  await load(d, caller, id)
  const window = q.window ?? '24h'
  const now = d.clock.now()
  // Counters are hourly: the window starts at the start of the hour it reaches into.
  const since = Math.floor((now - WINDOWS[window]) / HOUR) * HOUR
  const org = caller.admin && caller.org ? caller.org : undefined
  const key = org ? orgKey(id, org) : userKey(id, caller.sub)
  const store = await d.store()
  let calls = 0
  const errors: Record<string, number> = {}
  const lat: Record<string, number> = {}
  let cursor: string | undefined
  for (let i = 0; ; i++) {
    if (i === MAX_PAGES) throw new AppError('unavailable', 'Too many usage records to sum; try a shorter window.')
    const page = await store.find<Counter>(USAGE, { eq: { key }, order: { field: 'hour', dir: 'asc' }, gte: since, limit: 1000, cursor })
    for (const { data: c } of page.items) {
      calls += c.calls
      for (const [k, n] of Object.entries(c.errors)) errors[k] = (errors[k] ?? 0) + n
      for (const [k, n] of Object.entries(c.lat)) lat[k] = (lat[k] ?? 0) + n
    }
    if (!page.next) break
    cursor = page.next
  }
  return {
    mcp_id: id, window, since: new Date(since).toISOString(), until: new Date(now).toISOString(), scope: org ? 'org' : 'user',
    calls, errors, latency_ms: { p50: percentile(lat, 0.5), p95: percentile(lat, 0.95) },
  }
}
