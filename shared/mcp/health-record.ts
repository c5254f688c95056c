/**
 * The last health result of one MCP server for one caller (`mcp_health`):
 * what `POST /mcps/{id}/check` found with the caller's credentials, and what
 * the caller's own calls found since (a failure to reach it, or its recovery).
 * Shown on the config view as `health`. Light on purpose: the registry
 * function reads it without loading the MCP SDK.
 */
import { createHash } from 'node:crypto'
import type { Deps } from '../deps.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import { Lru } from '../cache.js'
import { log } from '../log.js'

export const MCP_HEALTH = 'mcp_health'
/** Results older than this read as unknown (`health: null`). */
const KEEP = 30 * 24 * 3600_000

export interface HealthError { code: string; reason: string | null }

export interface HealthRec {
  sub: string
  mcp_id: string
  /** The server it was found for (type, endpoint, stdio entry): another one reads as unknown. */
  upstream: string
  ok: boolean
  checked_at: number
  /** `check` (an explicit check) or `call` (a listing or execute that failed to reach it, or reached it again). */
  source: 'check' | 'call'
  latency_ms: number | null
  error: HealthError | null
  expires_at: number
}

/** As the config view shows it. */
export interface HealthView { ok: boolean; checked_at: string; source: 'check' | 'call'; error: HealthError | null }

export const healthId = (sub: string, mcpId: string) => createHash('sha256').update(`${sub}\u0000${mcpId}`).digest('hex').slice(0, 40)
export const upstreamKey = (doc: McpConfig) =>
  createHash('sha256').update(`${doc.type}\u0000${doc.endpoint}\u0000${doc.config.catalog_id ?? ''}`).digest('base64url').slice(0, 22)

// What this instance last wrote or read, so calls record only a change (and at most once a minute the same failure).
const known = new Lru<HealthRec | null>(5000)
const memKey = (sub: string, mcpId: string) => `${sub}|${mcpId}`

export async function readHealth(d: Deps, sub: string, rec: Rec<McpConfig>): Promise<HealthView | null> {
  let h: HealthRec | null = null
  try {
    h = (await (await d.store()).get<HealthRec>(MCP_HEALTH, healthId(sub, rec.id)))?.data ?? null
  } catch (e) {
    log('WARNING', 'health record unreadable', { error: String((e as Error)?.message ?? e) })
    return null
  }
  known.set(memKey(sub, rec.id), h, 60_000)
  if (!h || h.upstream !== upstreamKey(rec.data)) return null
  return { ok: h.ok, checked_at: new Date(h.checked_at).toISOString(), source: h.source, error: h.error }
}

export async function writeHealth(d: Deps, sub: string, rec: Rec<McpConfig>, r: Pick<HealthRec, 'ok' | 'source' | 'latency_ms' | 'error'>, now = d.clock.now()): Promise<void> {
  const h: HealthRec = { sub, mcp_id: rec.id, upstream: upstreamKey(rec.data), checked_at: now, expires_at: now + KEEP, ...r }
  known.set(memKey(sub, rec.id), h, 60_000)
  await (await d.store()).transact(async (tx) => tx.set(MCP_HEALTH, healthId(sub, rec.id), h))
}

/** The reasons a call records as the server being unhealthy: it could not be reached, or answered HTTP instead of MCP, or its process exited. */
const UNHEALTHY = new Set(['connection_refused', 'dns_failure', 'tls_error', 'reset', 'unreachable', 'http_status', 'process_exited'])

/**
 * A listing's or execute's outcome, for the view's `health`: a failure to
 * reach the server is recorded (the same one at most once a minute per
 * instance); a success only when the last record this instance knows of was
 * a failure. At most one store read per caller and config a minute; nothing
 * is awaited by the call.
 */
export async function observe(d: Deps, sub: string, rec: Rec<McpConfig>, failure: HealthError | null): Promise<void> {
  if (failure && !UNHEALTHY.has(failure.reason ?? '')) return
  const key = memKey(sub, rec.id)
  let last = known.get(key)
  if (last === undefined) {
    await readHealth(d, sub, rec)
    last = known.get(key) ?? null
  }
  const same = last && last.upstream === upstreamKey(rec.data) ? last : null
  if (!failure) {
    if (!same || same.ok) return
    return writeHealth(d, sub, rec, { ok: true, source: 'call', latency_ms: null, error: null })
  }
  if (same && !same.ok && same.error?.code === failure.code && same.error?.reason === failure.reason && d.clock.now() - same.checked_at < 60_000) return
  return writeHealth(d, sub, rec, { ok: false, source: 'call', latency_ms: null, error: failure })
}
