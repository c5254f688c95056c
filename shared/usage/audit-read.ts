/**
 * `GET /api/v1/audit`: the caller's audit records, newest first; an org
 * admin's are the org's. Records hold no argument values or results (shared/audit.ts
 * never stores them), so they are shown as stored, less the TTL field.
 */
import type { Caller } from '../auth/caller.js'
import { AUDIT, type AuditEntry } from '../audit.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { Rec } from '../ports.js'
import { check } from '../validate.js'
import { auditQuerySchema } from './schema.js'

type Stored = AuditEntry & { at: number; expires_at: number }
export type AuditRecord = AuditEntry & { id: string; at: string }

interface Query { mcp_id?: string; action?: AuditEntry['action']; since?: string; until?: string; cursor?: string; limit?: string }

/** Whose records the caller sees: an org admin's org, else their own. */
export const auditScope = (c: Caller): { org: string } | { actor: string } => (c.admin && c.org ? { org: c.org } : { actor: c.sub })

export async function auditPage(d: Deps, caller: Caller, query: URLSearchParams): Promise<{ items: AuditRecord[]; next_cursor: string | null }> {
  const q = check<Query>(auditQuerySchema, Object.fromEntries(query), 'query')
  const since = q.since === undefined ? undefined : instant(q.since, '/since')
  const until = q.until === undefined ? undefined : instant(q.until, '/until')
  const eq: Record<string, string> = { ...auditScope(caller) }
  if (q.mcp_id) eq.mcp_id = q.mcp_id
  if (q.action) eq.action = q.action
  const page = await (await d.store()).find<Stored>(AUDIT, { eq, order: { field: 'at', dir: 'desc' }, gte: since, lt: until, limit: Number(q.limit ?? 50), cursor: q.cursor })
  return { items: page.items.map(view), next_cursor: page.next }
}

function view(r: Rec<Stored>): AuditRecord {
  const { at, expires_at: _, ...rest } = r.data
  return { id: r.id, at: new Date(at).toISOString(), ...rest }
}

/** Epoch ms of an RFC 3339 date-time the schema's pattern admitted, or 400 (e.g. month 13). */
function instant(s: string, path: string): number {
  const t = Date.parse(s)
  const [y, mo, da, h, mi, se] = s.split(/[-Tt:.Zz+]/).map(Number)
  const ok = Number.isFinite(t) && mo! >= 1 && mo! <= 12 && da! >= 1 && da! <= new Date(Date.UTC(y!, mo!, 0)).getUTCDate() && h! <= 23 && mi! <= 59 && se! <= 60
  if (!ok) throw new AppError('invalid_request', `The query is invalid: ${path} is not a valid date-time`, { errors: [{ path, message: 'must be an RFC 3339 date-time, e.g. 2026-11-26T07:00:00Z' }] })
  return t
}
