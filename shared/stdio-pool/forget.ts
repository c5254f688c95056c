/**
 * The registry's half of deleting a stdio config's saved homes: a tombstone in
 * the store. Only the pool may touch saved homes (its bucket, its key); it
 * deletes them when it sees the tombstone (./homes.ts `sweepDeleted`), and a
 * save that lands after the deletion finds the tombstone and goes too.
 */
import type { Store } from '../ports.js'

export const HOME_DELETES = 'stdio_home_deletes'
/** Long enough for any process still running to have idled out and met it. */
const KEEP_MS = 7 * 24 * 3600_000

export async function forgetHomes(store: Store, mcpId: string, now: number): Promise<void> {
  await store.transact(async (tx) => {
    tx.set(HOME_DELETES, mcpId, { done: false, at: now, expires_at: now + KEEP_MS })
  })
}
