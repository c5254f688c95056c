/**
 * Turns each route's description (./paths/*.ts) into OpenAPI 3.1 operations:
 * problem responses grouped by status from the route's codes (each status's
 * `code` is an enum of exactly those), the standard headers, and request
 * schemas taken as is from the objects the gateway validates with, moved
 * into `components.schemas` under their `$id` (one source, no copy).
 */
import { statusOf, titleOf, type Code } from '../errors.js'

type Json = Record<string, unknown>

/** Who may call: an ID token, an ID token or personal access token (agents), the pool's service token, Cloud Scheduler's, or anyone. */
export type Auth = 'user' | 'agent' | 'service' | 'scheduler' | 'none'

export interface Ok {
  description: string
  /** A component name, or an inline schema. Absent: no body. */
  schema?: string | Json
  /** Media type of the body (default application/json). Several: the same schema under each. */
  type?: string | string[]
  /** Response headers (components.headers names). */
  headers?: string[]
  /** Further media types of the same status, with their own schemas (e.g. text/event-stream beside JSON). */
  also?: Record<string, Json>
}

export interface Spec {
  summary: string
  description?: string
  tag: string
  auth?: Auth
  /** A request schema with `$id` whose properties are the query parameters (values are strings). */
  query?: { $id: string; properties: Record<string, object>; required?: readonly string[] }
  /** Other parameters: components.parameters names (headers such as If-Match, Prefer, Accept). */
  params?: string[]
  /** Request body: a validated schema (with `$id`), several (any of them), or an inline schema. */
  body?: { schema: object | object[]; required?: boolean; type?: string; description?: string }
  ok: Record<number, Ok>
  /** Every problem code the route can answer (the common ones are added: see `codesOf`). */
  codes: Code[]
  /** Path parameter descriptions. */
  path?: Record<string, string>
  /** Codes answered at another status than their own: an execution cancelled before its answer is `cancelled` at 409. */
  problems?: Record<number, string[]>
  /** Statuses at which the MCP SDK's transport answers a JSON-RPC error (application/json) instead of a problem. */
  rpcErrors?: number[]
}

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })

export class Builder {
  readonly schemas: Record<string, Json> = {}
  readonly paths: Record<string, Record<string, Json>> = {}

  /** A validated request schema as a component named by its `$id` (the object itself, without `$id`). */
  request(schema: object): Json {
    const { $id, ...rest } = schema as { $id?: string }
    if (!$id) return rest
    const had = this.schemas[$id]
    if (had && JSON.stringify(had) !== JSON.stringify(rest)) throw new Error(`two request schemas named ${$id}`)
    this.schemas[$id] = rest
    return ref('schemas', $id)
  }

  add(path: string, method: string, s: Spec): void {
    const op: Json = { operationId: operationId(method, path), summary: s.summary, tags: [s.tag] }
    if (s.description) op.description = s.description
    op.security = security(s.auth ?? 'user')
    const params: Json[] = []
    for (const name of path.match(/\{[^}]+\}/g) ?? []) {
      const n = name.slice(1, -1)
      params.push({ name: n, in: 'path', required: true, schema: { type: 'string', minLength: 1 }, ...(s.path?.[n] ? { description: s.path[n] } : {}) })
    }
    if (s.query) {
      // The validated query schema, one parameter per property (the gateway checks them together, as strings).
      for (const [name, schema] of Object.entries(s.query.properties)) {
        const { description, ...rest } = schema as { description?: string }
        params.push({ name, in: 'query', required: Boolean(s.query.required?.includes(name)), schema: rest, ...(description ? { description: `Must be ${description}.` } : {}) })
      }
    }
    for (const p of s.params ?? []) params.push(ref('parameters', p))
    if (params.length) op.parameters = params
    if (s.body) {
      const list = Array.isArray(s.body.schema) ? s.body.schema : [s.body.schema]
      const schemas = list.map((x) => this.request(x))
      op.requestBody = {
        required: s.body.required ?? true,
        ...(s.body.description ? { description: s.body.description } : {}),
        content: { [s.body.type ?? 'application/json']: { schema: schemas.length === 1 ? schemas[0] : { anyOf: schemas } } },
      }
    }
    const responses: Json = {}
    for (const [status, o] of Object.entries(s.ok)) responses[status] = okResponse(o)
    const codes = codesOf(s)
    op['x-problem-codes'] = [...new Set([...codes, ...Object.values(s.problems ?? {}).flat()])]
    const byStatus = new Map<number, string[]>()
    for (const c of codes) byStatus.set(statusOf(c), [...(byStatus.get(statusOf(c)) ?? []), c])
    for (const [status, cs] of Object.entries(s.problems ?? {})) byStatus.set(Number(status), [...(byStatus.get(Number(status)) ?? []), ...cs])
    for (const [status, cs] of [...byStatus].sort(([a], [b]) => a - b)) {
      if (responses[status]) throw new Error(`${method} ${path}: ${status} is both a success and a problem`)
      responses[status] = problemResponse(status, cs)
    }
    for (const status of s.rpcErrors ?? []) {
      const r = (responses[status] ??= { description: 'A JSON-RPC error from the MCP transport.', headers: headers(['X-Request-Id']), content: {} }) as { content: Json }
      r.content['application/json'] = { schema: ref('schemas', 'JsonRpc') }
    }
    op.responses = responses
    ;(this.paths[path] ??= {})[method.toLowerCase()] = op
  }
}

/** The route's codes plus those every route of its kind can answer. */
export function codesOf(s: Spec): Code[] {
  const codes = new Set<Code>(s.codes)
  const auth = s.auth ?? 'user'
  // A token that does not verify; the issuer's keys not reachable.
  if (auth !== 'none') {
    codes.add('unauthenticated')
    // The issuer's (or Google's) keys could not be fetched, or the store did not answer.
    codes.add('unavailable')
  }
  if (s.body) for (const c of ['invalid_request', 'payload_too_large', 'unsupported_media_type'] as const) codes.add(c)
  if (s.query) codes.add('invalid_request')
  // A path segment that is not valid percent-encoding.
  if (Object.keys(s.path ?? {}).length) codes.add('invalid_request')
  // `cancelled` (499) is only logged: the client that would read it is gone.
  codes.delete('cancelled')
  return [...codes].sort((a, b) => statusOf(a) - statusOf(b) || a.localeCompare(b))
}

const HEADERS_OF_STATUS: Record<number, string[]> = { 401: ['WWW-Authenticate'], 405: ['Allow'], 412: ['ETag'], 429: ['Retry-After'], 503: ['Retry-After'] }

function problemResponse(status: number, codes: string[]): Json {
  return {
    description: codes.map((c) => `\`${c}\` (${titleOf(c as Code)})`).join(', '),
    headers: headers(['X-Request-Id', ...(HEADERS_OF_STATUS[status] ?? [])]),
    content: { 'application/problem+json': { schema: { allOf: [ref('schemas', 'Problem'), { type: 'object', properties: { code: { enum: codes }, status: { const: status } } }] } } },
  }
}

function okResponse(o: Ok): Json {
  const r: Json = { description: o.description, headers: headers(['X-Request-Id', ...(o.headers ?? [])]) }
  const content: Json = {}
  if (o.schema !== undefined) {
    const schema = typeof o.schema === 'string' ? ref('schemas', o.schema) : o.schema
    for (const t of [o.type ?? 'application/json'].flat()) content[t] = { schema }
  }
  for (const [t, schema] of Object.entries(o.also ?? {})) content[t] = { schema }
  if (Object.keys(content).length) r.content = content
  return r
}

const headers = (names: string[]) => Object.fromEntries(names.map((n) => [n, ref('headers', n)]))

function security(auth: Auth): Json[] {
  switch (auth) {
    case 'none': return []
    case 'user': return [{ idToken: [] }]
    case 'agent': return [{ idToken: [] }, { accessToken: [] }]
    case 'service': return [{ serviceToken: [] }]
    case 'scheduler': return [{ schedulerToken: [] }]
  }
}

/** `GET /api/v1/mcps/{id}/tools` → `get_mcps_id_tools`. */
export const operationId = (method: string, path: string) =>
  `${method.toLowerCase()}_${path.replace(/^\/api\/v1\//, '').replace(/^\/\.well-known\//, 'well_known_').replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, '')}`
