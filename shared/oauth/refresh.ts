/**
 * Refreshing a user's OAuth tokens, single-flight across instances: a lease
 * in the store plus a generation number with compare-and-swap, so a losing or
 * failed refresh never overwrites or deletes a newer token. Rotating refresh
 * tokens revoke the whole grant on reuse, which is what this protects. Where
 * the tokens are kept is ./tokens.ts.
 */
import { randomUUID } from 'node:crypto'
import type { OAuthTokens } from '@modelcontextprotocol/client'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import { readSecrets } from '../registry/read.js'
import { CONNS, LEASES, connId, type ConnRec, type LeaseRec } from './model.js'
import { dropRegistration, tokenClient } from './client.js'
import { oauthFetch, storedEndpoint } from './fetch.js'
import { chargeVaultWrite } from '../quota/vault-writes.js'
import { needsAuth } from './needs-auth.js'
import { presetOf } from './presets.js'
import { TokenError, tokenRequest } from './token-request.js'
import type { FetchLike } from '../egress/fetch.js'
import { cached, decodeTokens, encodeTokens, forgetConnection, holding, loadLive, markConn, remember, SKEW_MS, unusable, type Live } from './tokens.js'

const LEASE_MS = 60_000
/** The token request is cut off well inside the lease, so a successful refresh always gets to write. */
const REFRESH_TIMEOUT_MS = 20_000
/** A refresh must finish with this much lease left, or it does not write (a safety net for stalls). */
const LEASE_MARGIN_MS = 5_000
const WAIT_STEP_MS = 100
const MAX_WAIT_MS = 20_000

const inflight = new Map<string, Promise<Live>>()
const instance = randomUUID()

/**
 * The access token to send to this MCP server for this caller, refreshed if it
 * is about to expire. Throws 409 authorization_required when there is none.
 */
export async function bearerFor(d: Deps, caller: Caller, rec: Rec<McpConfig>): Promise<{ token: string; generation: number }> {
  const id = connId(caller.sub, rec.id)
  let l = cached(id) ?? (await loadLive(d, id, rec.id))
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
export async function refreshAfter401(d: Deps, caller: Caller, rec: Rec<McpConfig>, generation: number): Promise<void> {
  forgetConnection(connId(caller.sub, rec.id))
  await refresh(d, caller.sub, rec, generation)
}

function refresh(d: Deps, sub: string, rec: Rec<McpConfig>, known: number): Promise<Live> {
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

async function refreshAcrossInstances(d: Deps, sub: string, rec: Rec<McpConfig>, known: number): Promise<Live> {
  const store = await d.store()
  const id = connId(sub, rec.id)
  const owner = `${instance}:${randomUUID()}`
  const deadline = Date.now() + MAX_WAIT_MS
  while (Date.now() < deadline) {
    const now = d.clock.now()
    const got = await store.transact(async (tx) => {
      const c = await tx.get<ConnRec>(CONNS, id)
      if (c?.data.status !== 'connected') return { kind: 'gone' as const, conn: c?.data ?? null }
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

async function refreshHoldingLease(d: Deps, rec: Rec<McpConfig>, id: string, conn: ConnRec, owner: string, leaseUntil: number): Promise<Live> {
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
    remember(d, id, l)
    return l
  } finally {
    await release()
  }
}

/** Tests: a refresh as a separate instance would run it (no in-process single flight). */
export const _refreshAsInstance = (d: Deps, sub: string, rec: Rec<McpConfig>, known: number) => refreshAcrossInstances(d, sub, rec, known)
