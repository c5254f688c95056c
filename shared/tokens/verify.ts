/**
 * Checks a personal access token (`mgw_<id>_<secret>`) on the MCP endpoints:
 * one store read by id, a constant-time comparison of the secret's hash.
 * Verdicts are cached for at most TOKEN_CACHE_MS, so a revocation holds on
 * every instance within that time (on this one at once).
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { Lru } from '../cache.js'
import { AppError } from '../errors.js'
import { TOKEN_PREFIX, TOKENS, type TokenDoc } from './model.js'

/** How long another instance may keep accepting a revoked token. */
export const TOKEN_CACHE_MS = 5_000

const SHAPE = new RegExp(`^${TOKEN_PREFIX}([A-Za-z0-9_-]{22})_([A-Za-z0-9_-]{43})$`)
const seen = new Lru<{ caller: Caller | null }>(5000)

/** The token of `Authorization: Bearer mgw_...`, when it has that shape. */
export const bearerPat = (authorization: string | undefined): string | undefined => {
  const m = /^Bearer +(\S+) *$/i.exec(authorization ?? '')
  return m?.[1]?.startsWith(TOKEN_PREFIX) ? m[1] : undefined
}

export async function verifyToken(d: Deps, token: string): Promise<Caller> {
  const m = SHAPE.exec(token)
  if (!m) throw new AppError('unauthenticated', 'The personal access token is malformed.')
  const [, id, secret] = m as unknown as [string, string, string]
  const digest = createHash('sha256').update(secret).digest()
  const key = `${id}|${digest.toString('base64url')}`
  let hit = seen.get(key)
  if (!hit) {
    const rec = await (await d.store()).get<TokenDoc>(TOKENS, id)
    const stored = rec ? Buffer.from(rec.data.hash, 'base64url') : undefined
    const ok = rec && stored!.length === digest.length && timingSafeEqual(stored!, digest)
    hit = { caller: ok ? { sub: rec.data.owner_id, ...(rec.data.org_id ? { org: rec.data.org_id } : {}), admin: false } : null }
    seen.set(key, hit, ok ? Math.min(TOKEN_CACHE_MS, rec.data.expires_at - d.clock.now()) : TOKEN_CACHE_MS)
  }
  if (!hit.caller) throw new AppError('unauthenticated', 'The personal access token is unknown, revoked or expired.')
  return hit.caller
}

/** This instance stops accepting the token at once. */
export function forgetToken(id: string): void {
  seen.deletePrefix(`${id}|`)
}
