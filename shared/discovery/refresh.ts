/**
 * Keeping the cache current: each source is read incrementally with
 * `updated_since` (the newest `updatedAt` of the last complete pass), a
 * bounded number of pages per run, resuming from where the last run stopped.
 * Listings refresh a stale source on demand; the scheduled function refreshes
 * every source.
 */
import { createHash } from 'node:crypto'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import { listPage } from './client.js'
import { accept, Rejected, updatedAtOf, type Accepted } from './entry.js'
import { upsert } from './cache.js'

export const SYNC = 'registry_sync'
const LEASE_MS = 60_000
const PAGE = 100

export interface SyncRecord {
  source: string
  /** `updated_since` for the next pass: the newest `updatedAt` of the last complete one; null before the first. */
  since: string | null
  /** A pass in progress: the registry's cursor to resume from, and the newest `updatedAt` seen so far. */
  pass_cursor: string | null
  pass_max: string | null
  /** Epoch ms of the last complete pass. */
  refreshed_at: number | null
  lease_until: number
  skipped: number
}

export const syncId = (source: string) => createHash('sha256').update(source).digest('hex').slice(0, 40)

export interface RefreshResult { source: string; pages: number; stored: number; skipped: number; complete: boolean }

/** Claims the source for one refresh (single flight across instances); false when another holds it. */
async function claim(d: Deps, source: string): Promise<boolean> {
  const now = d.clock.now()
  return (await d.store()).transact(async (tx) => {
    const rec = await tx.get<SyncRecord>(SYNC, syncId(source))
    if (rec && rec.data.lease_until > now) return false
    tx.set<SyncRecord>(SYNC, syncId(source), { source, since: null, pass_cursor: null, pass_max: null, refreshed_at: null, skipped: 0, ...rec?.data, lease_until: now + LEASE_MS })
    return true
  })
}

/** One bounded run over a source; resumes a pass in progress. */
export async function refreshSource(d: Deps, source: string, budget = { pages: 20, ms: 20_000 }): Promise<RefreshResult | null> {
  if (!(await claim(d, source))) return null
  const store = await d.store()
  const state = (await store.get<SyncRecord>(SYNC, syncId(source)))!.data
  const t0 = d.clock.now()
  let { pass_cursor: cursor, pass_max: max } = state
  let pages = 0
  let stored = 0
  let skipped = 0
  let complete = false
  try {
    while (pages < budget.pages && d.clock.now() - t0 < budget.ms) {
      const page = await listPage(d, source, { limit: PAGE, ...(cursor ? { cursor } : {}), ...(state.since ? { updated_since: state.since } : {}) })
      pages++
      const ok: Accepted[] = []
      for (const item of page.servers) {
        // Past every item seen, used or skipped: a skipped one is not asked for again.
        const at = updatedAtOf(item)
        if (at && (!max || at > max)) max = at
        try {
          ok.push(accept(item))
        } catch (e) {
          if (!(e instanceof Rejected)) throw e
          skipped++
          log('WARNING', 'registry entry skipped', { source, reason: e.message })
        }
      }
      await upsert(d, source, ok)
      stored += ok.length
      cursor = page.next_cursor
      if (!cursor) {
        complete = true
        break
      }
    }
  } finally {
    const now = d.clock.now()
    await store.update<SyncRecord>(SYNC, syncId(source), (s) => ({
      ...s,
      ...(complete ? { since: max ?? s.since, pass_cursor: null, pass_max: null, refreshed_at: now } : { pass_cursor: cursor, pass_max: max }),
      skipped: s.skipped + skipped,
      lease_until: 0,
    }))
  }
  return { source, pages, stored, skipped, complete }
}

/** Every source, one bounded run each (the scheduled refresh). */
export async function refreshAll(d: Deps): Promise<RefreshResult[]> {
  const out: RefreshResult[] = []
  for (const s of d.config.discovery.sources) {
    try {
      const r = await refreshSource(d, s)
      if (r) out.push(r)
    } catch (e) {
      log('WARNING', 'registry refresh failed', { source: s, error: String((e as Error)?.message ?? e) })
      out.push({ source: s, pages: 0, stored: 0, skipped: 0, complete: false })
    }
  }
  return out
}

/**
 * Before answering from the cache: refreshes sources older than
 * REGISTRY_REFRESH_SEC. A source that fails keeps serving what it had; one
 * never read at all fails the request (there is nothing to answer with).
 */
export async function ensureFresh(d: Deps): Promise<void> {
  const { sources, refreshSec } = d.config.discovery
  if (!sources.length) throw new AppError('unavailable', 'No registry sources are configured (REGISTRY_SOURCES).')
  const store = await d.store()
  await Promise.all(sources.map(async (s) => {
    const st = (await store.get<SyncRecord>(SYNC, syncId(s)))?.data
    if (st?.refreshed_at && d.clock.now() - st.refreshed_at < refreshSec * 1000) return
    try {
      await refreshSource(d, s, { pages: 10, ms: 10_000 })
    } catch (e) {
      if (!st?.refreshed_at && !st?.pass_cursor) throw e
      log('WARNING', 'registry refresh failed; answering from the cache', { source: s, error: String((e as Error)?.message ?? e) })
    }
  }))
}
