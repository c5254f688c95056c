/**
 * A user's OAuth tokens for one MCP server: kept in the vault (one secret per
 * connection, a new version only when they change), described in the store,
 * and refreshed single-flight across instances: a lease in the store plus a
 * generation number with compare-and-swap, so a losing or failed refresh never
 * overwrites or deletes a newer token. Rotating refresh tokens revoke the
 * whole grant on reuse, which is what this protects.
 */
import { randomUUID } from 'node:crypto'
import type { OAuthTokens } from '@modelcontextprotocol/client'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import { log, registerSecrets } from '../log.js'
import type { Rec } from '../ports.js'
import type { McpDoc } from '../registry/model.js'
import { readSecrets } from '../registry/read.js'
import { CONNS, LEASES, connId, type ConnRec, type ConnStatus, type LeaseRec, type PendingRec } from './model.js'
import { dropRegistration, tokenClient } from './client.js'
import { oauthFetch, storedEndpoint } from './fetch.js'
import { chargeVaultWrite } from '../quota/vault-writes.js'
import { needsAuth, type NeedsAuthReason } from './needs-auth.js'
import { presetOf } from './presets.js'
import { TokenError, tokenRequest } from './token-request.js'
import type { FetchLike } from '../egress/fetch.js'

export { needsAuth } from './needs-auth.js'

/** Refresh this long before the access token expires. */
const SKEW_MS = 60_000
const LEASE_MS = 60_000
/** The token request is cut off well inside the lease, so a successful refresh always gets to write. */
const REFRESH_TIMEOUT_MS = 20_000
/** A refresh must finish with this much lease left, or it does not write (a safety net for stalls). */
const LEASE_MARGIN_MS = 5_000
const WAIT_STEP_MS = 100
const MAX_WAIT_MS = 20_000

interface Live { conn: ConnRec; version: number; tokens: OAuthTokens }
// Per instance, keyed by connection: the tokens of the current generation, until shortly before they expire.
const live = new Lru<Live>(5000)
const inflight = new Map<string, Promise<Live>>()
const instance = randomUUID()

/** Why a stored connection needs the user, as a 409 says it. */
function unusable(mcpId: string, c: ConnRec): AppError {
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
const holding = (t: OAuthTokens) => registerSecrets([t.access_token, t.refresh_token, t.id_token])

function cacheTtl(d: Deps, c: ConnRec): number {
  const left = c.token_expires_at === null ? 5 * 60_000 : c.token_expires_at - SKEW_MS - d.clock.now()
  return Math.max(0, Math.min(left, 5 * 60_000))
}

export async function getConnection(d: Deps, sub: string, mcpId: string): Promise<Rec<ConnRec> | null> {
  return (await d.store()).get<ConnRec>(CONNS, connId(sub, mcpId))
}

async function loadLive(d: Deps, id: string, mcpId: string): Promise<Live> {
  const rec = await (await d.store()).get<ConnRec>(CONNS, id)
  if (!rec) throw needsAuth(mcpId, 'not_connected')
  if (rec.data.status !== 'connected') throw unusable(mcpId, rec.data)
  const raw = await (await d.vault()).get(rec.data.secret_ref)
  if (!raw) throw needsAuth(mcpId, 'not_connected')
  const l = { conn: rec.data, version: rec.version, tokens: decodeTokens(raw) }
  live.set(id, l, cacheTtl(d, l.conn))
  return l
}

/**
 * The access token to send to this MCP server for this caller, refreshed if it
 * is about to expire. Throws 409 authorization_required when there is none.
 */
export async function bearerFor(d: Deps, caller: Caller, rec: Rec<McpDoc>): Promise<{ token: string; generation: number }> {
  const id = connId(caller.sub, rec.id)
  let l = live.get(id) ?? (await loadLive(d, id, rec.id))
  holding(l.tokens)
  // Tokens go only to the MCP server they were issued for.
  if (l.conn.endpoint !== rec.data.endpoint) throw needsAuth(rec.id, 'endpoint_changed', 'The MCP server\'s endpoint changed; connect again.')
  if (l.conn.token_expires_at !== null && l.conn.token_expires_at - SKEW_MS <= d.clock.now()) {
    l = await refresh(d, caller.sub, rec, l.conn.generation)
    holding(l.tokens)
  }
  return { token: l.tokens.access_token, generation: l.conn.generation }
}

/** After an upstream 401: refresh once, unless another call already did. */
export async function refreshAfter401(d: Deps, caller: Caller, rec: Rec<McpDoc>, generation: number): Promise<void> {
  live.delete(connId(caller.sub, rec.id))
  await refresh(d, caller.sub, rec, generation)
}

function refresh(d: Deps, sub: string, rec: Rec<McpDoc>, known: number): Promise<Live> {
  const id = connId(sub, rec.id)
  // One refresh per connection per instance; across instances, the lease.
  let p = inflight.get(id)
  if (!p) {
    p = refreshAcrossInstances(d, sub, rec, known).finally(() => inflight.delete(id))
    inflight.set(id, p)
  }
  return p
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const withTimeout = (f: FetchLike, ms: number): FetchLike => (url, init = {}) =>
  f(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms) })

async function refreshAcrossInstances(d: Deps, sub: string, rec: Rec<McpDoc>, known: number): Promise<Live> {
  const store = await d.store()
  const id = connId(sub, rec.id)
  const owner = `${instance}:${randomUUID()}`
  const deadline = Date.now() + MAX_WAIT_MS
  while (Date.now() < deadline) {
    const now = d.clock.now()
    const got = await store.transact(async (tx) => {
      const c = await tx.get<ConnRec>(CONNS, id)
      if (!c || c.data.status !== 'connected') return { kind: 'gone' as const, conn: c?.data ?? null }
      if (c.data.generation !== known) return { kind: 'newer' as const }
      const lease = await tx.get<LeaseRec>(LEASES, id)
      if (lease && lease.data.expires_at > now && lease.data.owner !== owner) return { kind: 'wait' as const }
      tx.set<LeaseRec>(LEASES, id, { owner, expires_at: now + LEASE_MS })
      return { kind: 'mine' as const, conn: c.data, leaseUntil: now + LEASE_MS }
    })
    if (got.kind === 'gone') throw got.conn ? unusable(rec.id, got.conn) : needsAuth(rec.id, 'not_connected')
    if (got.kind === 'newer') return loadLive(d, id, rec.id)
    if (got.kind === 'wait') {
      await sleep(WAIT_STEP_MS + Math.random() * WAIT_STEP_MS)
      continue
    }
    return refreshHoldingLease(d, rec, id, got.conn, owner, got.leaseUntil)
  }
  throw new AppError('unavailable', 'Another refresh of this connection is taking long; retry shortly.', { retry_after: 5 })
}

async function refreshHoldingLease(d: Deps, rec: Rec<McpDoc>, id: string, conn: ConnRec, owner: string, leaseUntil: number): Promise<Live> {
  const store = await d.store()
  const vault = await d.vault()
  const release = () => store.transact(async (tx) => {
    const l = await tx.get<LeaseRec>(LEASES, id)
    if (l?.data.owner === owner) tx.delete(LEASES, id)
  }).catch(() => {})
  try {
    const raw = await vault.get(conn.secret_ref)
    const current = raw ? decodeTokens(raw) : null
    if (current) holding(current)
    if (!current?.refresh_token) {
      await markConn(d, id, conn.generation, 'expired', 'no_refresh_token')
      throw needsAuth(rec.id, 'expired', 'The access token expired and the provider gave no refresh token; connect again.')
    }
    let client
    try {
      client = await tokenClient(d, conn.client, rec.data, await readSecrets(d, rec.data), rec.id, conn.as)
    } catch (e) {
      // The client this connection was made with is gone (replaced registration, changed client_id).
      if (e instanceof AppError && e.code === 'authorization_required') await markConn(d, id, conn.generation, 'needs_auth', String((e.extra as { reason?: string } | undefined)?.reason ?? 'needs_auth'))
      throw e
    }
    // The new tokens go to the vault: take the user's unit before the refresh token is spent.
    await chargeVaultWrite(d, conn.sub)
    const preset = presetOf(conn.as.preset)
    const params = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: current.refresh_token })
    if (!preset) params.set('resource', conn.resource)
    let tokens: OAuthTokens
    try {
      tokens = await tokenRequest(withTimeout(oauthFetch(d), REFRESH_TIMEOUT_MS), storedEndpoint(d, conn.as.token_endpoint, 'token endpoint'), params, client, preset)
    } catch (e: any) {
      // The policy refuses the token endpoint: no retry will do better, and the tokens stay for when it allows it.
      if (e instanceof AppError && e.code === 'egress_denied') throw e
      const code = e instanceof TokenError ? e.code : undefined
      if (code === 'invalid_grant') {
        await markConn(d, id, conn.generation, 'revoked', code)
        throw needsAuth(rec.id, 'revoked', 'The provider no longer accepts this connection (revoked or expired there); connect again.')
      }
      if (code === 'invalid_client' || code === 'unauthorized_client') {
        await markConn(d, id, conn.generation, 'needs_auth', code)
        // The provider forgot the gateway's registration: the next start registers anew.
        if (code === 'invalid_client') await dropRegistration(d, conn.client, code).catch(() => {})
        throw needsAuth(rec.id, code, 'The authorization server no longer accepts the gateway\'s client; connect again.')
      }
      // A transient failure keeps the tokens: the caller retries.
      log('WARNING', 'token refresh failed', { reason: code ?? (e instanceof AppError ? e.code : 'network'), mcp_id: rec.id })
      await store.transact(async (tx) => {
        const c = await tx.get<ConnRec>(CONNS, id)
        if (c && c.data.generation === conn.generation) tx.set<ConnRec>(CONNS, id, { ...c.data, last_error: code ?? 'refresh_unavailable' })
      }).catch(() => {})
      throw new AppError('unavailable', 'The authorization server could not refresh the token; retry shortly.', { retry_after: 5 }, { cause: e })
    }
    // Providers may omit a new refresh token: keep the old one (RFC 6749 §6).
    const next: OAuthTokens = { ...tokens, refresh_token: tokens.refresh_token ?? current.refresh_token }
    holding(next)
    if (d.clock.now() > leaseUntil - LEASE_MARGIN_MS) {
      // Our lease may have passed to someone else: writing now could overwrite a newer token.
      throw new AppError('unavailable', 'Token refresh took too long; retry shortly.', { retry_after: 2 })
    }
    await vault.put(conn.secret_ref, encodeTokens(next))
    const now = d.clock.now()
    const saved = await store.transact(async (tx) => {
      const c = await tx.get<ConnRec>(CONNS, id)
      if (!c || c.data.generation !== conn.generation) return null
      const data: ConnRec = {
        ...c.data,
        generation: c.data.generation + 1,
        token_expires_at: typeof next.expires_in === 'number' ? now + next.expires_in * 1000 : null,
        has_refresh_token: Boolean(next.refresh_token),
        scopes: next.scope ? next.scope.split(' ') : c.data.scopes,
        last_refresh_at: now,
        last_error: null,
      }
      tx.set<ConnRec>(CONNS, id, data)
      return { data, version: c.version + 1 }
    })
    if (!saved) {
      // A fresh connect won meanwhile (under a new secret): drop what we wrote to the old one.
      const now2 = await store.get<ConnRec>(CONNS, id)
      if (now2 && now2.data.secret_ref !== conn.secret_ref) await vault.delete(conn.secret_ref).catch(() => {})
      return loadLive(d, id, rec.id)
    }
    const l: Live = { conn: saved.data, version: saved.version, tokens: next }
    live.set(id, l, cacheTtl(d, l.conn))
    return l
  } finally {
    await release()
  }
}

async function markConn(d: Deps, id: string, generation: number, status: ConnStatus, reason: string) {
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

/** Tests: a refresh as a separate instance would run it (no in-process single flight). */
export const _refreshAsInstance = (d: Deps, sub: string, rec: Rec<McpDoc>, known: number) => refreshAcrossInstances(d, sub, rec, known)
