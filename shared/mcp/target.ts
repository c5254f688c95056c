/** From a stored config to an upstream target: endpoint, headers and credentials. */
import { createHash } from 'node:crypto'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import { registerSecrets } from '../log.js'
import { secretsOf } from '../registry/read.js'
import { withSession, type ConnectOptions, type Session, type Target } from './sessions.js'
import { encodeSpec, SPEC_HEADER } from '../stdio-pool/spec.js'
import { startUrl } from '../oauth/needs-auth.js'

/** The config's timeout, capped a second below the function's own. */
const timeoutOf = (d: Deps, doc: McpConfig) => Math.min(doc.config.timeout_ms ?? d.config.defaultTimeoutMs, d.config.functionTimeoutMs - 1000)

export async function targetFor(d: Deps, caller: Caller, rec: Rec<McpConfig>): Promise<Target> {
  const doc = rec.data
  if (doc.type === 'stdio') return stdioTarget(d, caller, rec)
  let oauth: { generation: number } | undefined
  let bearer: string | undefined
  if (doc.auth_type === 'oauth') {
    const { bearerFor } = await import('../oauth/refresh.js')
    const b = await bearerFor(d, caller, rec)
    oauth = { generation: b.generation }
    bearer = b.token
    registerSecrets([bearer])
  }
  const secrets = await secretsOf(d, rec)
  const headers: Record<string, string> = { ...(doc.config.headers ?? {}), ...(secrets.headers ?? {}) }
  if (doc.auth_type === 'bearer') {
    if (!secrets.token) throw new AppError('authorization_required', 'This MCP server has no token; set one.')
    headers.Authorization = `Bearer ${secrets.token}`
  }
  // The user's own access token, only in the Authorization header, only to the server it was issued for.
  if (bearer) headers.Authorization = `Bearer ${bearer}`
  return {
    // Org configs are shared, but upstream sessions and learned state are kept per caller.
    // The token generation is part of the key: a refreshed token gets a new warm connection.
    key: `${caller.sub}|${rec.id}|${rec.version}${oauth ? `|g${oauth.generation}` : ''}`,
    ...(oauth ? { oauth } : {}),
    state: { sub: caller.sub, id: rec.id, version: rec.version },
    type: doc.type,
    endpoint: doc.endpoint,
    headers,
    timeoutMs: timeoutOf(d, doc),
  }
}

/**
 * Runs `fn` on a connection to the config's upstream. With OAuth, an upstream
 * 401 refreshes the token once (unless another call already did) and tries
 * again; a second 401 is the user's to fix (409 authorization_required).
 */
export async function withTarget<T>(d: Deps, caller: Caller, rec: Rec<McpConfig>, signal: AbortSignal, fn: (s: Session, t: Target) => Promise<T>, o: ConnectOptions = {}): Promise<T> {
  let target = await targetFor(d, caller, rec)
  for (let attempt = 0; ; attempt++) {
    try {
      const t = target
      return await withSession(d, t, signal, (s) => fn(s, t), o)
    } catch (e) {
      const unauthorized = e instanceof AppError && e.code === 'authorization_required' && (e.extra as { upstream_status?: number } | undefined)?.upstream_status === 401
      if (!target.oauth || !unauthorized || attempt > 0) {
        if (e instanceof AppError && e.code === 'authorization_required' && rec.data.auth_type === 'oauth') {
          throw new AppError('authorization_required', e.message, { ...(e.extra ?? {}), start_url: startUrl(rec.id) })
        }
        throw e
      }
      const { refreshAfter401 } = await import('../oauth/refresh.js')
      await refreshAfter401(d, caller, rec, target.oauth.generation)
      target = await targetFor(d, caller, rec)
    }
  }
}

/**
 * stdio configs run in the pool function, which exposes each process as a
 * streamable-HTTP MCP endpoint: the same client path as every other server.
 * The pool re-checks the choice against its own catalog; the owner is the
 * caller, so one user's process never serves another.
 */
async function stdioTarget(d: Deps, caller: Caller, rec: Rec<McpConfig>): Promise<Target> {
  const { poolUrl, poolAudience } = d.config
  if (!poolUrl) throw new AppError('unavailable', 'The stdio pool is not configured (POOL_URL).')
  const doc = rec.data
  const secrets = await secretsOf(d, rec)
  const { serviceToken } = await import('../auth/service-token.js')
  const token = await serviceToken(d, poolAudience ?? poolUrl)
  registerSecrets([token])
  const spec = { owner: caller.sub, mcp_id: rec.id, choice: { catalog_id: doc.config.catalog_id!, params: doc.config.params ?? {}, env: secrets.env ?? {} } }
  return {
    // A new service token means new headers, so a new warm connection.
    key: `${caller.sub}|${rec.id}|${rec.version}|${createHash('sha256').update(token).digest('base64url').slice(0, 12)}`,
    state: { sub: caller.sub, id: rec.id, version: rec.version },
    type: 'http',
    endpoint: `${poolUrl}/api/v1/pool/mcp`,
    headers: { Authorization: `Bearer ${token}`, [SPEC_HEADER]: encodeSpec(spec) },
    timeoutMs: timeoutOf(d, doc),
  }
}
