/**
 * Vault writes per user per minute. Every write to the vault on a user's
 * behalf (a config's secrets, an OAuth connection's tokens, a dynamic client's
 * secret, a token refresh) takes one unit first, in a transaction on the
 * user's window record, so the limit holds across instances. Secret Manager's
 * write quota is per project: shared by every tenant.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { RATES, rateId, type RateRec } from './model.js'

const MINUTE = 60_000

/** Takes one vault write for `sub`, or throws 429 `rate_limited` with Retry-After (nothing is written then). */
export async function chargeVaultWrite(d: Deps, sub: string): Promise<void> {
  const limit = d.config.quotas.vaultWritesPerMinute
  const id = rateId(sub)
  await (await d.store()).transact(async (tx) => {
    const now = d.clock.now()
    const window_start = now - (now % MINUTE)
    const r = await tx.get<RateRec>(RATES, id)
    const count = r && r.data.window_start === window_start ? r.data.count : 0
    if (count >= limit) {
      const retry_after = Math.max(1, Math.ceil((window_start + MINUTE - now) / 1000))
      throw new AppError('rate_limited', `At most ${limit} secret writes a minute per user; retry in ${retry_after} s.`, { quota: { name: 'vault_writes_per_minute', limit }, retry_after })
    }
    // Kept one window past its own: an expired record reads as missing, and TTL removes it.
    tx.set<RateRec>(RATES, id, { window_start, count: count + 1, expires_at: window_start + 2 * MINUTE })
  })
}
