/**
 * The OpenAPI 3.1 document of every route in firebase.json, built from code:
 * request schemas are the gateway's own (shared/*\/schema.ts), response
 * schemas are ./schemas.ts, and each route's problem codes come from
 * ./paths/*.ts. Built on first use: the health function loads this only
 * when /api/v1/openapi.json or /api/v1/docs is asked for.
 */
import { Builder } from './build.js'
import { SCHEMAS } from './schemas.js'
import { registryPaths } from './paths/registry.js'
import { listingPaths } from './paths/listing.js'
import { executePaths } from './paths/execute.js'
import { oauthPaths } from './paths/oauth.js'
import { agentPaths } from './paths/agent.js'
import { metaPaths } from './paths/meta.js'
import { VERSION } from '../version.js'

const header = (description: string, schema: object = { type: 'string' }) => ({ description, schema })
const param = (name: string, where: 'header' | 'query', description: string, schema: object = { type: 'string' }) => ({ name, in: where, required: false, description, schema })

const PARAMETERS = {
  'If-Match': param('If-Match', 'header', 'RFC 9110 §13.1.1: an `ETag` from an earlier answer (`"v3"`), a list of them, or `*`; a stale one is 412 with the current `ETag`.'),
  'If-None-Match': param('If-None-Match', 'header', 'The `ETag` of a copy the client holds: 304 when it is current.'),
  Prefer: param('Prefer', 'header', '`respond-async`: answer 202 with `Location` at once and go on without the connection.'),
  Accept: param('Accept', 'header', '`text/event-stream` streams `progress` and `log` events, then one `result` or `error`.'),
  McpAccept: param('Accept', 'header', 'MCP streamable HTTP: `application/json, text/event-stream`.'),
  'Cache-Control': param('Cache-Control', 'header', '`no-cache` lists afresh instead of answering from the cached listing.'),
  'Mcp-Session-Id': param('Mcp-Session-Id', 'header', 'A 2025 session, from the `initialize` answer.'),
  'Mcp-Protocol-Version': param('Mcp-Protocol-Version', 'header', 'The negotiated MCP protocol version.'),
  'Last-Event-ID': param('Last-Event-ID', 'header', 'Resume a session\'s stream after this event.'),
  'X-Stdio-Spec': param('X-Stdio-Spec', 'header', 'The signed stdio server spec (the gateway sets it).'),
  code: param('code', 'query', 'The authorization code.'),
  state: param('state', 'query', 'The single-use state from `oauth/start`.'),
  iss: param('iss', 'query', 'RFC 9207: the issuer.'),
  error: param('error', 'query', 'The provider\'s error code.'),
  error_description: param('error_description', 'query', 'The provider\'s words (not shown).'),
}

const HEADERS = {
  'X-Request-Id': header('This request\'s id, also in the log.'),
  ETag: header('The config\'s version (`"v<n>"`) or the document\'s digest; send it back in `If-Match` (`If-None-Match`).'),
  Location: header('Where the created resource (or the running execution) is.'),
  'Retry-After': header('Seconds to wait before trying again.', { type: 'string', pattern: '^[0-9]+$' }),
  'WWW-Authenticate': header('`Bearer`, with `resource_metadata` on the MCP endpoints (RFC 9728).'),
  Allow: header('The methods this path serves.'),
  RateLimit: header('draft-ietf-httpapi-ratelimit-headers: tokens left per limit.'),
  'RateLimit-Policy': header('draft-ietf-httpapi-ratelimit-headers: the limits that apply.'),
  'Mcp-Session-Id': header('A 2025 session opened by `initialize`.'),
  'Cache-Control': header('How long the answer may be kept.'),
  'Content-Security-Policy': header('Scripts, styles and connections from the gateway only.'),
}

const SECURITY = {
  idToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An ID token from AUTH_ISSUER for AUTH_AUDIENCE (README, "Who can see what").' },
  accessToken: { type: 'http', scheme: 'bearer', description: 'A personal access token (`mgw_...`) from POST /api/v1/tokens.' },
  serviceToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Google-signed service token for the pool\'s audience (the gateway\'s own account).' },
  schedulerToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Google-signed service token for REGISTRY_REFRESH_AUDIENCE from an account in REGISTRY_REFRESH_INVOKERS.' },
}

const TAGS = [
  ['configs', 'MCP server configs (docs/api.md, "POST /mcps")'],
  ['listing', 'Tools, resources, prompts, completions, tool governance and checks'],
  ['execute', 'Tool calls and executions'],
  ['oauth', 'Connecting configs with OAuth, per user'],
  ['agents', 'MCP endpoints for agents and personal access tokens'],
  ['discovery', 'MCP registries and the stdio catalog'],
  ['audit', 'Audit records and usage'],
  ['meta', 'Health and this reference'],
  ['pool', 'The stdio pool (called by the gateway only)'],
].map(([name, description]) => ({ name, description }))

/** Builds the document (pure: the same object for the same code). */
export function buildDocument(): Record<string, unknown> {
  const b = new Builder()
  registryPaths(b)
  listingPaths(b)
  executePaths(b)
  oauthPaths(b)
  agentPaths(b)
  metaPaths(b)
  const paths = Object.fromEntries(Object.entries(b.paths).sort(([a], [c]) => a.localeCompare(c)))
  return {
    openapi: '3.1.0',
    info: {
      title: 'MCP gateway API',
      version: VERSION,
      description: 'Register MCP servers, connect them with OAuth per user, list and call their tools, and use them as MCP endpoints. Errors are `application/problem+json` with a stable `code`; each operation lists its codes in `x-problem-codes`. docs/api.md has the details.',
    },
    servers: [{ url: '/', description: 'The gateway (Firebase Hosting, or local mode)' }],
    tags: TAGS,
    paths,
    components: {
      schemas: { ...SCHEMAS, ...b.schemas },
      parameters: PARAMETERS,
      headers: HEADERS,
      securitySchemes: SECURITY,
    },
  }
}

let cached: { doc: Record<string, unknown>; text: string } | undefined
/** The document and its JSON text, built once per instance. */
export function openapiDocument(): { doc: Record<string, unknown>; text: string } {
  if (!cached) {
    const doc = buildDocument()
    cached = { doc, text: JSON.stringify(doc) }
  }
  return cached
}
