/**
 * The local store's two sets of files (store-local.ts): `store` for configs
 * and state, replayed before the store opens, and `log` for the log
 * collections, loaded after; each a journal (journal.ts) compacted in the
 * background once it is mostly waste.
 */
import type { Journal, JournalWrite } from './journal.js'
import { expired, type Entry } from './store-local-records.js'

/**
 * The log collections: append-only records that expire and are read only by
 * the audit and usage API (shared/audit.ts, shared/usage/counters.ts). They
 * are kept in files of their own (`log.*`), which a start does not wait for:
 * they load in the background, and whatever touches them waits for that.
 */
export const LOG_COLLECTIONS: ReadonlySet<string> = new Set(['audit', 'usage'])

/** Records kept in one set of files: `store` (everything else) or `log` (LOG_COLLECTIONS). */
export interface Part {
  journal?: Journal
  /** Bytes of its live records. */
  live: number
  /** Resolves once its records are in memory. */
  loaded: Promise<void>
  ready: boolean
}

// Compact when the snapshot and the journal hold this many times the live bytes (and at least
// COMPACT_MIN): what is replayed at start stays within twice the live data.
const COMPACT_RATIO = 2
const COMPACT_MIN = 1 << 20

/** Whether a part's files hold mostly overwritten, deleted or expired records (and no compaction runs). */
export function wasteful(p: Part): boolean {
  const j = p.journal
  return !!j && !j.compacting && j.total > COMPACT_MIN && j.total > COMPACT_RATIO * p.live
}

/**
 * The live records of the collections `cols` as of `now`, as an iterable that later writes do not
 * change: the entries are never changed in place, so copying the maps' entries is enough.
 */
export function frozen(cols: Iterable<[string, Map<string, Entry>]>, now: number): Iterable<JournalWrite> {
  // Keys and values as two flat arrays: no pair per record (100,000 records: a few ms in the synchronous step).
  const flat = [...cols].map(([col, m]) => [col, [...m.keys()], [...m.values()]] as const)
  return (function* () {
    for (const [col, ids, entries] of flat) {
      for (let i = 0; i < ids.length; i++) {
        const e = entries[i]!
        // Expired records read as missing; compaction is where they leave the disk.
        if (!expired(e, now)) yield { col, id: ids[i]!, v: e.v, s: e.s, exp: e.exp }
      }
    }
  })()
}
