/** From a stored config to an upstream target: endpoint, headers and credentials. */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import type { Rec } from '../ports.js'
import type { McpDoc, Secrets } from '../registry/model.js'
import { readSecrets } from '../registry/service.js'
import type { Target } from './connect.js'

// Keyed by record id and version: any change to the config makes a new key,
// so a stale secret is never used. Bounded, and short-lived.
const secretCache = new Lru<Secrets>(1000)
const SECRET_TTL = 5 * 60_000

export async function targetFor(d: Deps, caller: Caller, rec: Rec<McpDoc>): Promise<Target> {
  const doc = rec.data
  if (doc.type === 'stdio') throw new AppError('invalid_request', 'stdio servers need the stdio pool')
  if (doc.auth_type === 'oauth') {
    throw new AppError('authorization_required', 'Connect this MCP server first.', { start_url: `/api/v1/mcps/${rec.id}/oauth/start` })
  }
  let secrets: Secrets = {}
  if (doc.secret_ref) {
    const key = `${rec.id}:${rec.version}`
    const hit = secretCache.get(key)
    secrets = hit ?? (await readSecrets(d, doc))
    if (!hit) secretCache.set(key, secrets, SECRET_TTL)
  }
  const headers: Record<string, string> = { ...(doc.config.headers ?? {}), ...(secrets.headers ?? {}) }
  if (doc.auth_type === 'bearer') {
    if (!secrets.token) throw new AppError('authorization_required', 'This MCP server has no token; set one.')
    headers.Authorization = `Bearer ${secrets.token}`
  }
  const cap = d.config.functionTimeoutMs - 1000
  return {
    // Org configs are shared, but upstream sessions and learned state are kept per caller.
    key: `${caller.sub}|${rec.id}|${rec.version}`,
    state: { sub: caller.sub, id: rec.id, version: rec.version },
    type: doc.type,
    endpoint: doc.endpoint,
    headers,
    timeoutMs: Math.min(doc.config.timeout_ms ?? d.config.defaultTimeoutMs, cap),
  }
}
