/**
 * When the gateway's dynamic registration at an authorization server has to
 * be made anew (pure rules; ./client.ts applies them). A registration is
 * redone when the server's metadata it was made for changed, when it never
 * worked (unconfirmed: no successful code exchange since a start first handed
 * it out, for longer than a callback can take), and, decided elsewhere, when
 * the server says `invalid_client` (./liveness.ts, the callback, a refresh).
 */
import { createHash } from 'node:crypto'
import { STATE_TTL_MS, type ClientRec } from './model.js'

/** Past this, every state from the first start that used it has expired: its callback can no longer come. */
export const UNCONFIRMED_MAX_MS = STATE_TTL_MS

export type StaleReason = 'as_metadata_changed' | 'unconfirmed'

/** The metadata a registration depends on: who issued it, where, and how clients may authenticate. */
export function asFingerprint(issuer: string, m: { registration_endpoint?: string; token_endpoint_auth_methods_supported?: string[] }): string {
  const methods = [...(m.token_endpoint_auth_methods_supported ?? [])].sort()
  return createHash('sha256').update(JSON.stringify([issuer, m.registration_endpoint ?? null, methods])).digest('hex')
}

/** Why `rec` must not be used any more, or null. Records from before these fields existed count as confirmed and current. */
export function staleReason(rec: ClientRec, fingerprint: string, now: number): StaleReason | null {
  if (rec.as_fingerprint !== undefined && rec.as_fingerprint !== fingerprint) return 'as_metadata_changed'
  if (rec.confirmed_at === null && typeof rec.first_used_at === 'number' && now - rec.first_used_at > UNCONFIRMED_MAX_MS) return 'unconfirmed'
  return null
}
