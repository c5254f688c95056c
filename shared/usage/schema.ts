/** JSON Schemas of the audit and usage queries (docs/api.md mirrors them). */
import { ACTIONS } from '../audit.js'

// RFC 3339 §5.6 date-time; the calendar is checked after (shared/usage/audit-read.ts).
const dateTime = {
  type: 'string', maxLength: 40, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$',
  description: 'an RFC 3339 date-time, e.g. 2026-11-26T07:00:00Z',
}

/** `GET /api/v1/audit` query. */
export const auditQuerySchema = {
  $id: 'audit.query',
  type: 'object',
  additionalProperties: false,
  properties: {
    mcp_id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'an MCP config id' },
    action: { enum: [...ACTIONS] },
    since: dateTime,
    until: dateTime,
    cursor: { type: 'string', maxLength: 512, pattern: '^[A-Za-z0-9_-]+$', description: 'the next_cursor of the page before, unchanged' },
    limit: { type: 'string', pattern: '^(200|1[0-9]{2}|[1-9][0-9]?)$', description: 'a whole number from 1 to 200' },
  },
} as const

/** `GET /api/v1/mcps/{id}/usage` query. */
export const usageQuerySchema = {
  $id: 'usage.query',
  type: 'object',
  additionalProperties: false,
  properties: { window: { enum: ['1h', '24h', '7d'] } },
} as const
