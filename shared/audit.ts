/**
 * Audit trail: every create, change, delete and execute, to the store (kept 90
 * days) and to the structured log. Argument values are never recorded, only
 * their names.
 */
import type { Deps } from './deps.js'
import { newId } from './ids.js'
import { log, logWithRequest } from './log.js'
import { flushed, track } from './background.js'

export const AUDIT = 'audit'
const KEEP_MS = 90 * 24 * 3600 * 1000

export interface AuditEntry {
  actor: string
  org: string | null
  action: 'mcp.create' | 'mcp.update' | 'mcp.delete' | 'tool.execute' | 'oauth.connect' | 'oauth.disconnect'
  mcp_id: string
  outcome: 'ok' | 'error'
  code?: string
  duration_ms: number
  tool?: string
  argument_names?: string[]
}

/**
 * Writes the log line now and the store record in the background: the log is
 * the durable copy, and a tool call must not wait for an audit write.
 */
export function audit(d: Deps, e: AuditEntry): void {
  const at = d.clock.now()
  // Rides on the request's own log line (one write per request), or its own line outside a request.
  logWithRequest(e.outcome === 'ok' ? 'INFO' : 'WARNING', `audit ${e.action} ${e.outcome}`, { audit: e })
  const p = (async () => {
    try {
      const store = await d.store()
      await store.create(AUDIT, `${at.toString(36)}-${newId()}`, { ...e, at, expires_at: at + KEEP_MS })
    } catch (err) {
      // The log line above already holds the record; a store hiccup must not fail the user's call.
      log('ERROR', 'audit record not stored', { error: String((err as Error)?.message ?? err) })
    }
  })()
  track(p)
}

/** Resolves when every audit record started so far is stored (shutdown, tests). */
export const auditFlushed = flushed
