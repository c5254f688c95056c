/**
 * A config as its caller sees it: OAuth configs show the caller's own
 * connection (`connection`), and their status is the caller's.
 *
 * A user's connection as the config view shows it: an explicit
 * state, never a token. `not_connected` means no connection exists (never
 * connected, or disconnected); `connected`, `refreshing` and `error` hold
 * usable tokens; `expired`, `revoked` and `needs_auth` need the user to
 * connect again (a 409 says the same, with `start_url`).
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import type { Rec } from '../ports.js'
import { view, type McpConfig } from '../registry/model.js'
import { CONNS, LEASES, connId, type ConnRec, type LeaseRec } from './model.js'
import { readHealth } from '../mcp/health-record.js'

/** The caller's own OAuth connection, as the view shows it (no tokens). */
export interface ConnectionView {
  state: 'connected' | 'refreshing' | 'error' | 'expired' | 'revoked' | 'needs_auth' | 'not_connected'
  /** Usable tokens are held (connected, refreshing, error). */
  connected: boolean
  scopes: string[]
  /** When the access token expires. */
  expires_at: string | null
  last_refreshed_at: string | null
  /** A code, never a secret. */
  last_error: string | null
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function connectionView(c: ConnRec | null, refreshing: boolean, now: number): ConnectionView {
  if (!c) return { state: 'not_connected', connected: false, scopes: [], expires_at: null, last_refreshed_at: null, last_error: null }
  const state: ConnectionView['state'] =
    c.status !== 'connected' ? c.status
    : refreshing ? 'refreshing'
    // The access token is gone and nothing can renew it: the next call would be refused.
    : c.token_expires_at !== null && c.token_expires_at <= now && !c.has_refresh_token ? 'expired'
    // The last refresh failed for a passing reason (an outage): tokens kept, the next call retries.
    : c.last_error ? 'error'
    : 'connected'
  return {
    state,
    connected: state === 'connected' || state === 'refreshing' || state === 'error',
    scopes: c.scopes,
    expires_at: iso(c.token_expires_at),
    last_refreshed_at: iso(c.last_refresh_at),
    last_error: c.last_error ?? (state === 'expired' ? 'no_refresh_token' : null),
  }
}

/** The caller's connection to one config: the record, and whether a refresh holds its lease right now. */
export async function connectionOf(d: Deps, sub: string, mcpId: string): Promise<ConnectionView> {
  const store = await d.store()
  const id = connId(sub, mcpId)
  const c = await store.get<ConnRec>(CONNS, id)
  const refreshing = c?.data.status === 'connected' ? Boolean(await store.get<LeaseRec>(LEASES, id)) : false
  return connectionView(c?.data ?? null, refreshing, d.clock.now())
}

/**
 * The API view of a config for this caller: the caller's own last health
 * result (`health`, null until a check or a call found something) and, for
 * OAuth configs, the caller's own connection (never tokens).
 */
export async function viewFor(d: Deps, caller: Caller, rec: Rec<McpConfig>) {
  const { created_by, created_at, updated_at, ...rest } = view(rec)
  if (rec.data.auth_type !== 'oauth') {
    const health = await readHealth(d, caller.sub, rec)
    return { ...rest, health, created_by, created_at, updated_at }
  }
  const [connection, health] = await Promise.all([connectionOf(d, caller.sub, rec.id), readHealth(d, caller.sub, rec)])
  // OAuth configs are connected per user: the status is the caller's own.
  return { ...rest, status: connection.connected ? ('ready' as const) : ('needs_auth' as const), connection, health, created_by, created_at, updated_at }
}
