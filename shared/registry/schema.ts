/** JSON Schemas of the registry API bodies (docs/api.md mirrors them). */
import { SPEC_HEADER } from '../stdio-pool/spec.js'
import { POLICY_PATTERN } from '../ratelimit/policy.js'

// RFC 9110 §5.1 token characters for header names.
const headerName = { type: 'string', pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$" }
// RFC 9110 §5.5: HTAB, SP, visible ASCII and obs-text only. No CR/LF (header injection), and no
// other control or non-Latin-1 character, which fetch refuses to send (every call would fail).
const headerValue = { type: 'string', maxLength: 8192, pattern: '^[\\t\\x20-\\x7e\\x80-\\xff]*$' }
const name = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }
// Parsed and checked against the egress policy in ./rules.ts (a WHATWG URL, not RFC 3986's grammar).
const endpoint = { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[^\\s\\u0000-\\u001f\\u007f]+$' }
const token = { type: 'string', minLength: 1, maxLength: 16384, pattern: '^[\\x21-\\x7e]+$' }
const timeout = { type: 'integer', minimum: 100, maximum: 3_600_000, description: 'a whole number of milliseconds from 100 to 3600000' }
// RFC 6749 §3.3 scope-token characters.
const scopes = { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,200}$' } }
const clientId = { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[\\x21-\\x7e]+$' }
// stdio: a catalog entry and the values its parameters and env vars take (checked against the catalog).
const catalogId = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }
const stdioParams = { type: 'object', maxProperties: 32, propertyNames: { pattern: '^[a-z][a-z0-9_]{0,63}$' }, additionalProperties: { anyOf: [{ type: 'string', maxLength: 4096 }, { type: 'number' }, { type: 'boolean' }] } }
const envName = { pattern: '^[A-Z][A-Z0-9_]{0,63}$' }
const stdioEnv = { type: 'object', maxProperties: 32, propertyNames: envName, additionalProperties: { type: 'string', maxLength: 8192 } }
// A token bucket for this MCP, per user: `<count>/<s|m|h>[,burst=<n>]` (shared/ratelimit/policy.ts); it may only lower RATE_LIMIT_USER_MCP.
const rateLimit = { type: 'string', maxLength: 40, pattern: POLICY_PATTERN }

// OAuth: how the client authenticates, a provider preset and its parameters (shared/oauth/presets.ts).
const authMethod = { enum: ['client_secret_basic', 'client_secret_post', 'none'] }
const provider = { enum: ['github', 'google', 'microsoft', 'auth0', 'atlassian', 'slack'] }
// An Entra ID tenant: common, organizations, consumers, a tenant id or a domain (one path segment).
const tenant = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$' }
// A DNS name with at least two labels, e.g. example.eu.auth0.com.
const domain = { type: 'string', maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$' }
const audience = { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[\\x21-\\x7e]+$' }

// config.tool_policy: tool names or globs (`*`, `?`), matched by shared/governance/glob.ts, never as RegExps.
const toolGlobs = { type: 'array', maxItems: 100, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' } }
const toolPolicy = {
  type: 'object',
  additionalProperties: false,
  properties: { mode: { enum: ['pin', 'open'] }, allow: toolGlobs, deny: toolGlobs },
}

/** A pre-registered OAuth client, a provider preset, and endpoints for providers without metadata. */
const oauth = {
  type: 'object',
  additionalProperties: false,
  properties: {
    client_id: clientId,
    client_secret: token,
    token_endpoint_auth_method: authMethod,
    provider,
    tenant,
    domain,
    audience,
    auth_url: endpoint,
    token_url: endpoint,
    revocation_url: endpoint,
    scopes,
  },
}

export const createSchema = {
  $id: 'mcp.create',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type'],
  properties: {
    name,
    type: { enum: ['http', 'sse', 'stdio'] },
    endpoint,
    auth_type: { enum: ['none', 'bearer', 'oauth'], default: 'none' },
    scope: { enum: ['user', 'org'], default: 'user' },
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeout_ms: timeout,
        headers: { type: 'object', maxProperties: 32, propertyNames: headerName, additionalProperties: headerValue },
        secret_headers: { type: 'object', maxProperties: 32, propertyNames: headerName, additionalProperties: headerValue },
        token,
        oauth,
        catalog_id: catalogId,
        params: stdioParams,
        env: stdioEnv,
        rate_limit: rateLimit,
        tool_policy: toolPolicy,
      },
    },
  },
  if: { required: ['type'], properties: { type: { enum: ['http', 'sse'] } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
  then: { properties: { endpoint }, required: ['endpoint'] },
} as const

export const patchSchema = {
  $id: 'mcp.patch',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name,
    type: { enum: ['http', 'sse', 'stdio'] },
    endpoint,
    auth_type: { enum: ['none', 'bearer', 'oauth'] },
    scope: { enum: ['user', 'org'] },
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeout_ms: { anyOf: [timeout, { type: 'null' }], description: 'a whole number of milliseconds from 100 to 3600000, or null to unset it' },
        headers: { anyOf: [{ type: 'object', maxProperties: 32, propertyNames: headerName, additionalProperties: headerValue }, { type: 'null' }] },
        secret_headers: {
          anyOf: [
            { type: 'object', maxProperties: 32, propertyNames: headerName, additionalProperties: { anyOf: [headerValue, { type: 'null' }] } },
            { type: 'null' },
          ],
        },
        token: { anyOf: [token, { type: 'null' }] },
        rate_limit: { anyOf: [rateLimit, { type: 'null' }] },
        params: stdioParams,
        tool_policy: { anyOf: [toolPolicy, { type: 'null' }] },
        env: { type: 'object', maxProperties: 32, propertyNames: envName, additionalProperties: { anyOf: [{ type: 'string', maxLength: 8192 }, { type: 'null' }] } },
        oauth: {
          anyOf: [
            {
              type: 'object',
              additionalProperties: false,
              properties: {
                client_id: { anyOf: [clientId, { type: 'null' }] },
                client_secret: { anyOf: [token, { type: 'null' }] },
                token_endpoint_auth_method: { anyOf: [authMethod, { type: 'null' }] },
                provider: { anyOf: [provider, { type: 'null' }] },
                tenant: { anyOf: [tenant, { type: 'null' }] },
                domain: { anyOf: [domain, { type: 'null' }] },
                audience: { anyOf: [audience, { type: 'null' }] },
                auth_url: { anyOf: [endpoint, { type: 'null' }] },
                token_url: { anyOf: [endpoint, { type: 'null' }] },
                revocation_url: { anyOf: [endpoint, { type: 'null' }] },
                scopes: { anyOf: [scopes, { type: 'null' }] },
              },
            },
            { type: 'null' },
          ],
        },
      },
    },
  },
} as const

export const listQuerySchema = {
  $id: 'mcp.list-query',
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$', description: 'a whole number from 1 to 100' },
    cursor: { type: 'string', maxLength: 512, pattern: '^[A-Za-z0-9_-]+$', description: 'the next_cursor of the page before, unchanged' },
  },
} as const

/** Headers the gateway owns: a config may not set them. */
export const RESERVED_HEADERS = new Set([
  'authorization', 'host', 'content-length', 'content-type', 'accept', 'connection', 'transfer-encoding', 'te', 'upgrade',
  'keep-alive', 'proxy-authorization', 'proxy-connection', 'expect', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id',
  'forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'cookie2', SPEC_HEADER,
])
