/**
 * Tokens between the callback and the initiator's confirmation: in the vault,
 * described by an `oauth_pending` record keyed by the completion id's digest.
 * Nothing uses them until POST /mcps/{id}/oauth/complete turns them into a
 * connection. Unconfirmed ones are discarded (revoked where the provider
 * offers it, deleted from the vault): by a refused or late completion, or by
 * the sweep that start and complete run at most once a minute per instance.
 */
import { randomBytes } from 'node:crypto'
import type { OAuthTokens } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import { newSecretName } from '../ids.js'
import { log, registerSecrets } from '../log.js'
import { track } from '../background.js'
import { MCPS, type McpConfig } from '../registry/model.js'
import { PENDING, PENDING_TTL_MS, completionKey, type PendingRec, type StateRec } from './model.js'
import { decodeTokens, encodeTokens } from './tokens.js'
import { revoke } from './revoke.js'
import { chargeVaultWrite } from '../quota/vault-writes.js'

const SWEEP_EVERY_MS = 60_000
const SWEEP_PAGE = 100
const SWEEP_PAGES = 5

/** Keeps the exchanged tokens pending and returns the completion id (256 random bits) for the initiator's app. */
export async function savePending(d: Deps, s: StateRec, doc: McpConfig, tokens: OAuthTokens): Promise<string> {
  const vault = await d.vault()
  const secretRef = newSecretName()
  // Counted before the write, like every vault write made for a user.
  await chargeVaultWrite(d, s.sub)
  // This request holds these tokens now: its page and log lines mask them.
  registerSecrets([tokens.access_token, tokens.refresh_token, tokens.id_token])
  await vault.put(secretRef, encodeTokens(tokens))
  const now = d.clock.now()
  const completion = randomBytes(32).toString('base64url')
  try {
    await (await d.store()).create<PendingRec>(PENDING, completionKey(completion), {
      sub: s.sub,
      mcp_id: s.mcp_id,
      endpoint: doc.endpoint,
      resource: s.resource,
      as: s.as,
      client: s.client,
      secret_ref: secretRef,
      scopes: tokens.scope ? tokens.scope.split(' ') : s.scope ? s.scope.split(' ') : [],
      token_expires_at: typeof tokens.expires_in === 'number' ? now + tokens.expires_in * 1000 : null,
      has_refresh_token: Boolean(tokens.refresh_token),
      created_at: now,
      confirm_by: now + PENDING_TTL_MS,
    })
  } catch (e) {
    await vault.delete(secretRef).catch(() => {})
    throw e
  }
  return completion
}

/**
 * Deletes the tokens of a pending record the caller has already taken from
 * the store, then revokes them at the provider (RFC 7009, best effort).
 */
export async function discardPending(d: Deps, p: PendingRec): Promise<void> {
  const vault = await d.vault()
  const raw = p.as.revocation_endpoint ? await vault.get(p.secret_ref).catch(() => null) : null
  await vault.delete(p.secret_ref)
  if (!raw) return
  try {
    const doc = await (await d.store()).get<McpConfig>(MCPS, p.mcp_id)
    const r = doc ? await revoke(d, p, doc.data, decodeTokens(raw)) : null
    if (r && !r.revoked) log('WARNING', 'revocation of discarded OAuth tokens failed', { mcp_id: p.mcp_id, reason: r.reason })
  } catch (e: any) {
    log('WARNING', 'revocation of discarded OAuth tokens failed', { mcp_id: p.mcp_id, reason: typeof e?.code === 'string' ? e.code : 'network' })
  }
}

const lastSweep = new WeakMap<Deps, number>()

/** Starts a sweep in the background unless this instance ran one in the last minute. */
export function sweepSoon(d: Deps): void {
  const now = d.clock.now()
  const last = lastSweep.get(d)
  if (last !== undefined && now - last < SWEEP_EVERY_MS && now >= last) return
  lastSweep.set(d, now)
  track(sweepPending(d).catch((e) => log('WARNING', 'sweep of unconfirmed OAuth tokens failed', { error: String(e?.message ?? e) })))
}

/** Discards every pending record past its `confirm_by` (at most SWEEP_PAGES × SWEEP_PAGE looked at); returns how many. */
export async function sweepPending(d: Deps): Promise<number> {
  const store = await d.store()
  let cursor: string | undefined
  let n = 0
  for (let page = 0; page < SWEEP_PAGES; page++) {
    const p = await store.list<PendingRec>(PENDING, { limit: SWEEP_PAGE, cursor })
    for (const r of p.items) {
      if (r.data.confirm_by > d.clock.now()) continue
      // Taken first: a completion racing this sweep gets either the whole record or nothing.
      const taken = await store.take<PendingRec>(PENDING, r.id)
      if (!taken) continue
      await discardPending(d, taken).catch((e) => log('WARNING', 'unconfirmed OAuth tokens not deleted', { secret_ref: taken.secret_ref, error: String(e?.message ?? e) }))
      n++
    }
    if (!p.next) break
    cursor = p.next
  }
  return n
}
