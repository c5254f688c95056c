/** Request schemas of the token API (compiled ahead of time by scripts/gen-validators.ts). */

/** 1 hour to 1 year, in seconds; default 90 days. */
export const MIN_EXPIRES_IN = 3600
export const MAX_EXPIRES_IN = 365 * 24 * 3600
export const DEFAULT_EXPIRES_IN = 90 * 24 * 3600

export const createTokenBody = {
  $id: 'tokens.create-body',
  type: 'object', additionalProperties: false, required: ['name'],
  description: '{"name", "expires_in" (seconds), "scopes": ["mcp"]}',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]+$' },
    expires_in: { type: 'integer', minimum: MIN_EXPIRES_IN, maximum: MAX_EXPIRES_IN },
    scopes: { type: 'array', minItems: 1, maxItems: 1, items: { const: 'mcp' } },
  },
} as const

export const listTokensQuery = {
  $id: 'tokens.list-query',
  type: 'object', additionalProperties: false,
  description: '"scope" (mine, the default, or org: every member\'s, for org admins), "cursor"',
  properties: {
    scope: { enum: ['mine', 'org'] },
    cursor: { type: 'string', minLength: 1, maxLength: 1000 },
  },
} as const
