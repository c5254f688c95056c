/**
 * POST /mcps/{id}/oauth/complete: the user who started a connect confirms the
 * tokens the callback obtained; only then are they that user's connection.
 * This binds the provider account to the app user who asked for it: an
 * authorization URL passed to someone else (who signs in with their own
 * provider account) yields tokens that the initiator never receives and that
 * anyone else's confirmation discards. Single use: the record is taken first.
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { audit } from '../audit.js'
import { log } from '../log.js'
import { check } from '../validate.js'
import { load } from '../registry/read.js'
import { viewFor } from './view.js'
import { PENDING, completionKey, type PendingRec } from './model.js'
import { activateConnection } from './tokens.js'
import { needsAuth } from './needs-auth.js'
import { discardPending, sweepSoon } from './pending.js'
import { completeBody } from './schema.js'

const gone = () => new AppError('not_found', 'No such pending connection: it was used, refused or has expired. Connect again.')

export async function complete(d: Deps, caller: Caller, id: string, body: unknown) {
  const t0 = performance.now()
  const b = check<{ completion: string }>(completeBody, body === undefined ? {} : body)
  sweepSoon(d)
  const p = await (await d.store()).take<PendingRec>(PENDING, completionKey(b.completion))
  if (!p) throw gone()
  const record = (outcome: 'ok' | 'error' | 'denied', code?: string) =>
    audit(d, { actor: caller.sub, org: caller.org ?? null, action: 'oauth.complete', mcp_id: p.mcp_id, outcome, ...(code ? { code } : {}), duration_ms: Math.round(performance.now() - t0) })
  // Taken, so nothing else points at the secret any more: delete it now (a leftover is found by this log line).
  const discard = () => discardPending(d, p).catch((e) => log('ERROR', 'pending OAuth tokens not deleted', { secret_ref: p.secret_ref, error: String(e?.message ?? e) }))
  const refuse = async (outcome: 'error' | 'denied', code: string, err: unknown = gone()) => {
    await discard()
    record(outcome, code)
    return err
  }
  // Someone other than the initiator (also another member of an org-scoped config) holds the completion.
  if (p.sub !== caller.sub) throw await refuse('denied', 'not_initiator')
  if (p.mcp_id !== id) throw await refuse('denied', 'wrong_mcp')
  if (p.confirm_by <= d.clock.now()) throw await refuse('error', 'expired')
  let rec
  try {
    rec = await load(d, caller, id)
  } catch (e) {
    // The config went away, or the caller lost access to it, meanwhile.
    throw await refuse('error', e instanceof AppError ? e.code : 'load_failed', e)
  }
  if (rec.data.auth_type !== 'oauth' || rec.data.endpoint !== p.endpoint) {
    throw await refuse('error', 'config_changed', needsAuth(id, 'endpoint_changed', 'The MCP server changed while you were connecting; connect again.'))
  }
  try {
    await activateConnection(d, p)
  } catch (e) {
    throw await refuse('error', e instanceof AppError ? e.code : 'store_failed', e)
  }
  record('ok')
  return { rec, view: await viewFor(d, caller, rec) }
}
