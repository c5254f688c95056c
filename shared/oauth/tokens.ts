/**
 * A user's OAuth tokens for one MCP server, as kept: in the vault (one secret
 * per connection, a new version only when they change), described by the
 * connection record in the store, and cached per instance until shortly
 * before they expire. How they are renewed (the lease and the generation) is
 * ./refresh.ts.
 */
import type { OAuthTokens } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import type { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import { registerSecrets } from '../log.js'
import { CONNS, LEASES, connId, type ConnRec, type ConnStatus, type PendingRec } from './model.js'
import { needsAuth, type NeedsAuthReason } from './needs-auth.js'

/** Tokens are renewed this long before the access token expires. */
export const SKEW_MS = 60_000

/** A connection's current generation: its record, version and tokens. */
export interface Live { conn: ConnRec; version: number; tokens: OAuthTokens }
// Per instance, keyed by connection: the tokens of the current generation, until shortly before they expire.
const live = new Lru<Live>(5000)

/** Why a stored connection needs the user, as a 409 says it. */
export function unusable(mcpId: string, c: ConnRec): AppError {
  if (c.status === 'revoked') return needsAuth(mcpId, 'revoked', 'The provider no longer accepts this connection (revoked or expired there); connect again.')
  if (c.status === 'expired') return needsAuth(mcpId, 'expired', 'The access token expired and the provider gave no refresh token; connect again.')
  const reason = (REASONS as readonly string[]).includes(c.last_error ?? '') ? (c.last_error as NeedsAuthReason) : 'needs_auth'
  return needsAuth(mcpId, reason, 'The connection to this MCP server needs you to sign in again.')
}
const REASONS = ['invalid_client', 'registration_gone', 'client_changed', 'endpoint_changed', 'unauthorized_client'] as const

/** Tokens as the vault holds them: the token response JSON. */
export const decodeTokens = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as OAuthTokens
export const encodeTokens = (t: OAuthTokens) => new TextEncoder().encode(JSON.stringify(t))
/** This request holds these tokens: its responses and log lines mask them. */
export const holding = (t: OAuthTokens) => registerSecrets([t.access_token, t.refresh_token, t.id_token])

function cacheTtl(d: Deps, c: ConnRec): number {
  const left = c.token_expires_at === null ? 5 * 60_000 : c.token_expires_at - SKEW_MS - d.clock.now()
  return Math.max(0, Math.min(left, 5 * 60_000))
}

/** This instance's cached tokens of a connection, if still fresh. */
export const cached = (id: string) => live.get(id)

/** Caches a connection's current generation until shortly before its access token expires. */
export const remember = (d: Deps, id: string, l: Live) => live.set(id, l, cacheTtl(d, l.conn))

/** Reads the connection's current generation from the store and the vault, and caches it. */
export async function loadLive(d: Deps, id: string, mcpId: string): Promise<Live> {
  const rec = await (await d.store()).get<ConnRec>(CONNS, id)
  if (!rec) throw needsAuth(mcpId, 'not_connected')
  if (rec.data.status !== 'connected') throw unusable(mcpId, rec.data)
  const raw = await (await d.vault()).get(rec.data.secret_ref)
  if (!raw) throw needsAuth(mcpId, 'not_connected')
  const l = { conn: rec.data, version: rec.version, tokens: decodeTokens(raw) }
  remember(d, id, l)
  return l
}

/** Marks the generation `generation` tried as unusable (`status`, `reason`); a newer one stays. */
export async function markConn(d: Deps, id: string, generation: number, status: ConnStatus, reason: string) {
  live.delete(id)
  await (await d.store()).transact(async (tx) => {
    const c = await tx.get<ConnRec>(CONNS, id)
    // Only the generation we tried: a newer token (a fresh connect) stays.
    if (c && c.data.generation === generation) tx.set<ConnRec>(CONNS, id, { ...c.data, status, last_error: reason })
  })
}

/**
 * Makes confirmed pending tokens the user's connection (a fresh connect
 * replaces any older one). The pending secret becomes the connection's: a new
 * name per connect, so a refresh still running on the old one cannot
 * overwrite it.
 */
export async function activateConnection(d: Deps, p: PendingRec): Promise<void> {
  const store = await d.store()
  const vault = await d.vault()
  const id = connId(p.sub, p.mcp_id)
  const now = d.clock.now()
  let replaced: string | null = null
  await store.transact(async (tx) => {
    const c = await tx.get<ConnRec>(CONNS, id)
    replaced = c && c.data.secret_ref !== p.secret_ref ? c.data.secret_ref : null
    tx.set<ConnRec>(CONNS, id, {
      sub: p.sub,
      mcp_id: p.mcp_id,
      endpoint: p.endpoint,
      resource: p.resource,
      as: p.as,
      client: p.client,
      secret_ref: p.secret_ref,
      scopes: p.scopes,
      token_expires_at: p.token_expires_at,
      has_refresh_token: p.has_refresh_token,
      generation: (c?.data.generation ?? 0) + 1,
      connected_at: now,
      last_refresh_at: null,
      last_error: null,
      status: 'connected',
    })
    tx.delete(LEASES, id)
  })
  live.delete(id)
  if (replaced) await vault.delete(replaced).catch(() => {})
}

/** Drops this instance's cached tokens of a connection (disconnect, deletion). */
export const forgetConnection = (id: string) => live.delete(id)
