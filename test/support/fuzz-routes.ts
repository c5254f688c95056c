/**
 * The fuzz suite's route table: for every route the gateway serves, who may
 * call it and how a valid request looks (fast-check arbitraries), plus the
 * request helper every property goes through. test/fuzz.test.ts checks that
 * this table covers firebase.json and every route the functions register.
 */
import fc from 'fast-check'
import * as assert from 'uvu/assert'
import type { Gateway } from './gateway.js'
import type { LegacyServerHandle } from '../servers/legacy.js'
import type { RegistryHandle } from './registry-server.js'
import { raw, type RawRes } from './raw.js'
import { oddPrintable, oddString } from './hostile-input.js'

export const APP = 'https://app.example.test'

export type Who = 'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'ivan'
export const CLAIMS: Record<Who, { org?: string; admin?: boolean }> = {
  alice: {}, bob: {}, carol: { org: 'acme' }, dave: { org: 'acme', admin: true }, erin: { org: 'globex', admin: true }, ivan: { org: 'ACME', admin: true },
}

export interface Fx {
  gw: Gateway
  legacy: LegacyServerHandle
  /** The loopback MCP registry (REGISTRY_SOURCES) serving test/fixtures/registry. */
  registry: RegistryHandle
  cat: { dir: string; file: string }
  tokens: Record<Who, string>
  service: string
  spec: string
  /** alice's configs: listed http (bearer + secret header), never listed http, sse, stdio, oauth; dave's org config. */
  ids: { http: string; unlisted: string; sse: string; stdio: string; oauth: string; org: string }
  secrets: string[]
  /** Requests made so far. */
  requests: number
}

/** One request as a template's generator describes it. */
export interface Valid {
  vars?: Record<string, string>
  query?: string
  headers?: Record<string, string | undefined>
  body?: unknown
  as?: Who
}

export interface Template {
  /** `METHOD /path/{var}` after /api/v1. */
  route: string
  auth: 'user' | 'none' | 'service'
  /** Statuses that valid input may get. */
  ok: number[]
  /** Answers an HTML page (the OAuth callback), not JSON. */
  page?: boolean
  /** Body fields (JSON pointers into a valid body) where hostile values go. */
  fields?: string[]
  valid(fx: Fx): fc.Arbitrary<Valid>
  /** Per-run setup: vars that must be fresh (a config the run may change or delete). */
  prepare?(fx: Fx): Promise<Record<string, string>>
  /** Public and the same for any well-formed id (RFC 9728 metadata): another id is a 200 naming that id, never a leak of whether it exists. */
  anyId?: boolean
  /** The route does not exist on this branch yet (issue 10 finding 3): fuzzed, but not required to be routed. */
  upcoming?: number
}

// ---------------------------------------------------------------------------
// Valid input

const asciiPrintable = fc.string({ unit: fc.constantFrom(...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i))), minLength: 1, maxLength: 40 })
const headerValue = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '\t', '~', '"', '\u00e9', '\u00ff', '\u0080', ';', '='), maxLength: 30 })
const headerMap = (prefix: string) => fc.dictionary(fc.stringMatching(new RegExp(`^${prefix}[a-z0-9]{1,8}$`)), headerValue, { maxKeys: 3 })
const name = oddPrintable.map((s) => s.slice(0, 60))
const EV = 'io.github.gateway-tests/everything'
const scopes = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z:._-]{0,15}$/), { maxLength: 4 })

async function freshConfig(fx: Fx, body: Record<string, unknown> = { name: 'fresh', type: 'http', endpoint: fx.legacy.url }) {
  const r = await send(fx, 'POST', '/api/v1/mcps', { authorization: `Bearer ${fx.tokens.alice}`, 'content-type': 'application/json' }, JSON.stringify(body))
  assert.is(r.status, 201, r.text)
  return r.json.id as string
}

/** An execution of alice's (an async echo call): 202 and its id. */
async function freshExecution(fx: Fx) {
  const r = await send(fx, 'POST', `/api/v1/mcps/${fx.ids.http}/tools/echo/execute`, { authorization: `Bearer ${fx.tokens.alice}`, 'content-type': 'application/json', prefer: 'respond-async' }, JSON.stringify({ arguments: { message: 'hi' } }))
  assert.is(r.status, 202, r.text)
  return r.json.id as string
}

export const TEMPLATES: Template[] = [
  { route: 'GET /health', auth: 'none', ok: [200], valid: () => fc.constant({}) },
  // ---- the OpenAPI document and its reference page (issue 17, health function) ----
  { route: 'GET /openapi.json', auth: 'none', ok: [200], valid: () => fc.constant({}) },
  { route: 'GET /docs', auth: 'none', ok: [200], page: true, valid: () => fc.constant({}) },
  { route: 'GET /docs/{asset}', auth: 'none', ok: [200], valid: () => fc.constantFrom('swagger-ui.css', 'init.js', 'favicon-32x32.png').map((asset) => ({ vars: { asset } })) },
  { route: 'GET /stdio/catalog', auth: 'user', ok: [200], valid: () => fc.constant({}) },
  {
    route: 'POST /mcps', auth: 'user', ok: [201], fields: ['/name', '/endpoint', '/config', '/config/headers', '/config/secret_headers', '/config/token', '/config/timeout_ms'],
    valid: (fx) => fc.oneof(
      fc.record({ name, type: fc.constantFrom('http', 'sse'), bearer: fc.option(asciiPrintable), headers: headerMap('X-P-'), secret: headerMap('X-S-'), timeout: fc.option(fc.integer({ min: 1000, max: 60_000 })) }).map((v) => ({
        body: {
          name: v.name, type: v.type, endpoint: v.type === 'sse' ? fx.legacy.sseUrl : fx.legacy.url, auth_type: v.bearer ? 'bearer' : 'none',
          config: { headers: v.headers, secret_headers: v.secret, ...(v.bearer ? { token: v.bearer } : {}), ...(v.timeout ? { timeout_ms: v.timeout } : {}) },
        },
      })),
      fc.record({ name, token: asciiPrintable }).map((v) => ({ body: { name: v.name, type: 'stdio', config: { catalog_id: 'echo', env: { ECHO_TOKEN: v.token } } } })),
      fc.record({ name, scopes }).map((v) => ({
        body: { name: v.name, type: 'http', endpoint: fx.legacy.url, auth_type: 'oauth', config: { oauth: { client_id: 'c1', auth_url: 'http://127.0.0.1:9/authorize', token_url: 'http://127.0.0.1:9/token', scopes: v.scopes } } },
      })),
      name.map((n) => ({ as: 'dave' as Who, body: { name: n, type: 'http', endpoint: fx.legacy.url, scope: 'org' } })),
      // From a registry entry (test/fixtures/registry): the URL variable and the secret header filled from values.
      fc.record({ name, key: asciiPrintable, team: fc.constantFrom(undefined, 'blue', 'green') }).map((v) => ({
        body: { name: v.name, from_registry: { name: EV, values: { host: new URL(fx.legacy.url).host, 'X-Api-Key': v.key, ...(v.team ? { 'X-Team': v.team } : {}) } } },
      })),
    ),
  },
  {
    route: 'GET /mcps', auth: 'user', ok: [200],
    // A cursor is valid only as a page handed it out: random ones are in the hostile query property.
    valid: () => fc.option(fc.integer({ min: 1, max: 100 })).map((limit) => ({ query: limit ? `limit=${limit}` : undefined })),
  },
  { route: 'GET /mcps/{id}', auth: 'user', ok: [200], valid: (fx) => fc.constantFrom(fx.ids.http, fx.ids.stdio, fx.ids.oauth).map((id) => ({ vars: { id } })) },
  {
    route: 'PATCH /mcps/{id}', auth: 'user', ok: [200, 412], fields: ['/name', '/config', '/config/headers', '/config/secret_headers', '/config/timeout_ms'],
    prepare: async (fx) => ({ id: await freshConfig(fx) }),
    // Each config member is left out, set, or (where the API allows it) null.
    valid: () => fc.record({
      name, ifMatch: fc.constantFrom(undefined, '"v1"', '"v2"'),
      config: fc.record({ headers: fc.oneof(headerMap('X-P-'), fc.constant(null)), secret_headers: headerMap('X-S-'), timeout_ms: fc.oneof(fc.integer({ min: 100, max: 60_000 }), fc.constant(null)) }, { requiredKeys: [] }),
    }).map((v) => ({ headers: v.ifMatch ? { 'if-match': v.ifMatch } : {}, body: { name: v.name, ...(Object.keys(v.config).length ? { config: v.config } : {}) } })),
  },
  {
    route: 'DELETE /mcps/{id}', auth: 'user', ok: [204, 412],
    prepare: async (fx) => ({ id: await freshConfig(fx) }),
    valid: () => fc.constantFrom(undefined, '"v1"', '"v2"').map((m) => ({ headers: m ? { 'if-match': m } : {} })),
  },
  {
    route: 'GET /mcps/{id}/tools', auth: 'user', ok: [200],
    valid: (fx) => fc.record({ id: fc.constantFrom(fx.ids.http, fx.ids.sse, fx.ids.stdio, fx.ids.unlisted), fresh: fc.boolean() }).map((v) => ({ vars: { id: v.id }, headers: v.fresh ? { 'cache-control': 'no-cache' } : {} })),
  },
  { route: 'GET /mcps/{id}/tools/changes', auth: 'user', ok: [200], valid: (fx) => fc.constantFrom(fx.ids.http, fx.ids.stdio).map((id) => ({ vars: { id } })) },
  {
    // A fingerprint that is not the current one is a 409 conflict; an unknown name too: nothing is approved.
    route: 'POST /mcps/{id}/tools/approve', auth: 'user', ok: [200, 409], fields: ['/tools', '/tools/echo', '/acknowledge_findings'],
    valid: (fx) => fc.record({ fp: fc.stringMatching(/^[0-9a-f]{64}$/), ack: fc.boolean() }).map((v) => ({ vars: { id: fx.ids.http }, body: { tools: { echo: `sha256:${v.fp}` }, acknowledge_findings: v.ack } })),
  },
  { route: 'GET /mcps/{id}/resources', auth: 'user', ok: [200], valid: (fx) => fc.constantFrom(fx.ids.http, fx.ids.stdio).map((id) => ({ vars: { id } })) },
  {
    route: 'GET /mcps/{id}/resources/read', auth: 'user', ok: [200],
    valid: (fx) => fc.constantFrom('test://hello', 'test://goodbye').map((uri) => ({ vars: { id: fx.ids.http }, query: `uri=${encodeURIComponent(uri)}` })),
  },
  { route: 'GET /mcps/{id}/resources/templates', auth: 'user', ok: [200], valid: (fx) => fc.constantFrom(fx.ids.http, fx.ids.stdio).map((id) => ({ vars: { id } })) },
  {
    // The http server completes greet's name (it has no resource templates: a template ref is its 404); the stdio one offers no completions (200, empty, with a warning).
    route: 'POST /mcps/{id}/complete', auth: 'user', ok: [200], fields: ['/ref', '/ref/name', '/argument', '/argument/value', '/context/arguments'],
    valid: (fx) => fc.record({ http: fc.boolean(), value: oddPrintable, prompt: fc.boolean() }).map((v) => ({
      vars: { id: v.http ? fx.ids.http : fx.ids.stdio },
      body: {
        ref: v.http || v.prompt ? { type: 'ref/prompt', name: 'greet' } : { type: 'ref/resource', uri: 'test://{name}' },
        argument: { name: 'name', value: v.value },
        context: { arguments: { other: 'x' } },
      },
    })),
  },
  { route: 'GET /mcps/{id}/prompts', auth: 'user', ok: [200], valid: (fx) => fc.constantFrom(fx.ids.http, fx.ids.stdio).map((id) => ({ vars: { id } })) },
  {
    route: 'POST /mcps/{id}/prompts/{prompt}/get', auth: 'user', ok: [200], fields: ['/arguments', '/arguments/name'],
    valid: (fx) => oddPrintable.map((n) => ({ vars: { id: fx.ids.http, prompt: 'greet' }, body: { arguments: { name: n } } })),
  },
  {
    route: 'POST /mcps/{id}/tools/{tool}/execute', auth: 'user', ok: [200], fields: ['/arguments', '/arguments/message', '/arguments/text', '/arguments/a'],
    valid: (fx) => fc.record({
      target: fc.constantFrom('http', 'sse', 'unlisted', 'stdio'), text: oddString, a: fc.double({ noNaN: true, noDefaultInfinity: true }), b: fc.integer(),
      tool: fc.constantFrom('echo', 'add'), stream: fc.boolean(),
    }).map((v) => {
      const id = fx.ids[v.target as 'http']
      const accept = v.stream ? { accept: 'text/event-stream' } : {}
      if (v.target === 'stdio') return { vars: { id, tool: 'echo' }, headers: accept, body: { arguments: { text: v.text } } }
      return v.tool === 'echo'
        ? { vars: { id, tool: 'echo' }, headers: accept, body: { arguments: { message: v.text } } }
        : { vars: { id, tool: 'add' }, headers: accept, body: { arguments: { a: v.a, b: v.b } } }
    }),
  },
  // A health check answers 200 whether or not the server is up (ok: false says why).
  { route: 'POST /mcps/{id}/check', auth: 'user', ok: [200], valid: (fx) => fc.constantFrom(fx.ids.http, fx.ids.sse, fx.ids.stdio).map((id) => ({ vars: { id } })) },
  // ---- executions (docs/api.md#executions): one started async per run, on an echo call ----
  { route: 'GET /executions/{id}', auth: 'user', ok: [200], prepare: async (fx) => ({ id: await freshExecution(fx) }), valid: () => fc.constant({}) },
  { route: 'DELETE /executions/{id}', auth: 'user', ok: [204], prepare: async (fx) => ({ id: await freshExecution(fx) }), valid: () => fc.constant({}) },
  {
    // The execution has finished (or is running), so a well-formed answer is 409 not_waiting.
    route: 'POST /executions/{id}/input', auth: 'user', ok: [409], fields: ['/responses', '/responses/elicitation', '/responses/elicitation/content'],
    prepare: async (fx) => ({ id: await freshExecution(fx) }),
    valid: () => fc.record({ name: oddPrintable.map((s) => s.slice(0, 40)), action: fc.constantFrom('accept', 'decline', 'cancel') })
      .map((v) => ({ body: { responses: { elicitation: v.action === 'accept' ? { action: 'accept', content: { name: v.name } } : { action: v.action } } } })),
  },
  {
    route: 'POST /mcps/{id}/oauth/start', auth: 'user', ok: [200], fields: ['/return_to', '/scopes'],
    valid: (fx) => fc.record({ path: fc.webPath(), scopes }).map((v) => ({ vars: { id: fx.ids.oauth }, body: { return_to: APP + (v.path.startsWith('/') ? v.path : `/${v.path}`), scopes: v.scopes } })),
  },
  { route: 'DELETE /mcps/{id}/oauth', auth: 'user', ok: [204], valid: (fx) => fc.constant({ vars: { id: fx.ids.oauth } }) },
  {
    // A random completion is unknown: 404 (the initiator's real one is tested in oauth-flow.test.ts).
    route: 'POST /mcps/{id}/oauth/complete', auth: 'user', ok: [200, 400, 404], upcoming: 3, fields: ['/completion'],
    valid: (fx) => fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((c) => ({ vars: { id: fx.ids.oauth }, body: { completion: c } })),
  },
  {
    route: 'GET /oauth/callback', auth: 'none', ok: [200], page: true,
    valid: () => fc.record({ state: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), code: asciiPrintable, iss: fc.option(fc.webUrl()), error: fc.option(fc.constantFrom('access_denied', 'server_error')) }).map((v) => ({
      query: new URLSearchParams({ state: v.state, code: v.code, ...(v.iss ? { iss: v.iss } : {}), ...(v.error ? { error: v.error } : {}) }).toString(),
    })),
  },
  { route: 'GET /oauth/client-metadata.json', auth: 'none', ok: [200], valid: () => fc.constant({}) },
  {
    route: 'POST /pool/mcp', auth: 'service', ok: [200, 202], fields: ['/params', '/params/arguments', '/params/arguments/text', '/id'],
    valid: (fx) => fc.record({ kind: fc.constantFrom('initialize', 'tools/list', 'tools/call', 'ping', 'notifications/initialized'), id: fc.oneof(fc.integer(), fc.stringMatching(/^[a-z0-9-]{1,12}$/)), text: oddString }).map((v) => ({
      headers: { 'x-stdio-spec': fx.spec, accept: 'application/json, text/event-stream' },
      body: v.kind === 'notifications/initialized'
        ? { jsonrpc: '2.0', method: v.kind }
        : { jsonrpc: '2.0', id: v.id, method: v.kind, params: v.kind === 'initialize' ? { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } : v.kind === 'tools/call' ? { name: 'echo', arguments: { text: v.text } } : {} },
    })),
  },
  { route: 'GET /pool/mcp', auth: 'service', ok: [405], valid: () => fc.constant({}) },
  { route: 'DELETE /pool/mcp', auth: 'service', ok: [405], valid: () => fc.constant({}) },
  { route: 'GET /pool/health', auth: 'service', ok: [200], valid: () => fc.constant({}) },
  // ---- discovery (shared/discovery) ----
  {
    route: 'GET /registry/servers', auth: 'user', ok: [200],
    valid: () => fc.record({ search: fc.option(fc.stringMatching(/^[a-z./-]{0,12}$/)), limit: fc.option(fc.integer({ min: 1, max: 100 })) })
      .map((v) => ({ query: [v.search !== null ? `search=${encodeURIComponent(v.search)}` : '', v.limit ? `limit=${v.limit}` : ''].filter(Boolean).join('&') || undefined })),
  },
  {
    // The name with its slash percent-encoded, as the registry API writes it (the raw slash is tested in test/discovery.test.ts).
    route: 'GET /registry/servers/{name}', auth: 'user', ok: [200, 404],
    valid: () => fc.record({ name: fc.constantFrom(EV, 'io.github.user/weather', 'io.github.user/remote-weather', 'io.github.user/absent'), version: fc.constantFrom(undefined, 'latest', '1.0.0') })
      .map((v) => ({ vars: { name: v.name }, query: v.version ? `version=${v.version}` : undefined })),
  },
  {
    route: 'POST /mcps/{id}/upgrade', auth: 'user', ok: [200], fields: ['/values', '/values/X-Team'],
    prepare: async (fx) => ({ id: await freshConfig(fx, { from_registry: { name: EV, values: { host: new URL(fx.legacy.url).host, 'X-Api-Key': fx.secrets[1] } } }) }),
    valid: () => fc.option(fc.constantFrom('blue', 'green')).map((team) => ({ body: team ? { values: { 'X-Team': team } } : {} })),
  },
  { route: 'POST /registry/refresh', auth: 'service', ok: [200], valid: () => fc.constant({}) },
  {
    // The catalog runs server-everything already (409); local-weather is a fresh proposal each time.
    route: 'POST /registry/proposals', auth: 'user', ok: [201, 409], fields: ['/name', '/version', '/note'],
    valid: () => fc.record({ pkg: fc.constantFrom('io.github.user/local-weather', 'io.github.gateway-tests/server-everything'), note: fc.option(oddPrintable.map((s) => s.slice(0, 200))) })
      .map((v) => ({ as: 'dave' as Who, body: { name: v.pkg, version: v.pkg.endsWith('local-weather') ? '1.0.0' : '2026.8.31', ...(v.note !== null ? { note: v.note } : {}) } })),
  },
  { route: 'GET /registry/proposals', auth: 'user', ok: [200], valid: () => fc.constant({ as: 'dave' as Who }) },
  // The MCP endpoints for agents (issue 16). A 2025 initialize opens a session; GET and DELETE
  // without one are the caller's 400 (a real session's are exercised in test/agent.test.ts).
  ...(['/mcps/{id}/mcp', '/mcp'] as const).flatMap((p): Template[] => [
    {
      route: `POST ${p}`, auth: 'user', ok: [200],
      // The aggregate as carol (acme's one config): alice holds the hundreds of configs the fuzzer makes, each an upstream to connect.
      valid: (fx) => fc.record({ id: fc.integer({ min: 1, max: 1e6 }), version: fc.constantFrom('2025-06-18', '2025-11-25'), name: oddPrintable }).map((v) => ({
        vars: { id: fx.ids.http }, headers: { accept: 'application/json, text/event-stream' }, ...(p === '/mcp' ? { as: 'carol' as Who } : {}),
        body: { jsonrpc: '2.0', id: v.id, method: 'initialize', params: { protocolVersion: v.version, capabilities: {}, clientInfo: { name: v.name.slice(0, 30) || 'fuzz', version: '1' } } },
      })),
    },
    { route: `GET ${p}`, auth: 'user', ok: [400], valid: (fx) => fc.constant({ vars: { id: fx.ids.http }, headers: { accept: 'text/event-stream' } }) },
    { route: `DELETE ${p}`, auth: 'user', ok: [400], valid: (fx) => fc.constant({ vars: { id: fx.ids.http } }) },
  ]),
  { route: 'GET /.well-known/oauth-protected-resource/api/v1/mcps/{id}/mcp', auth: 'none', ok: [200], anyId: true, valid: (fx) => fc.constant({ vars: { id: fx.ids.http } }) },
  { route: 'GET /.well-known/oauth-protected-resource/api/v1/mcp', auth: 'none', ok: [200], valid: () => fc.constant({}) },
  {
    // Past 50 live tokens a user is refused (quota_exceeded).
    route: 'POST /tokens', auth: 'user', ok: [201, 429], fields: ['/name', '/expires_in', '/scopes'],
    valid: () => fc.record({ name, expires: fc.option(fc.integer({ min: 3600, max: 365 * 24 * 3600 })) }).map((v) => ({
      body: { name: v.name.trim() || 'agent', ...(v.expires ? { expires_in: v.expires } : {}), scopes: ['mcp'] },
    })),
  },
  { route: 'GET /tokens', auth: 'user', ok: [200], valid: () => fc.constantFrom({ query: undefined }, { query: 'scope=mine' }, { as: 'dave' as Who, query: 'scope=org' }) },
  {
    // carol's tokens: alice's fill up under POST /tokens. Runs whose request does not revoke leave theirs behind, so
    // past 40 they are cleared first (the quota is 50).
    route: 'DELETE /tokens/{id}', auth: 'user', ok: [204],
    prepare: async (fx) => {
      const auth = { authorization: `Bearer ${fx.tokens.carol}` }
      const held = await send(fx, 'GET', '/api/v1/tokens', auth)
      if (held.json.items.length >= 40) for (const x of held.json.items) await send(fx, 'DELETE', `/api/v1/tokens/${x.id}`, auth)
      const r = await send(fx, 'POST', '/api/v1/tokens', { ...auth, 'content-type': 'application/json' }, '{"name":"fuzz"}')
      assert.is(r.status, 201, r.text)
      return { id: r.json.id as string }
    },
    valid: () => fc.constant({ as: 'carol' as Who }),
  },
]

// ---------------------------------------------------------------------------
// Requests and checks

export const methodOf = (t: Template) => t.route.split(' ')[0]!
export const patternOf = (t: Template) => t.route.split(' ')[1]!
export const varsOf = (t: Template) => [...patternOf(t).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)

/** The path as sent: each var percent-encoded, unless `encoded` gives its text as sent. */
export function pathOf(t: Template, vars: Record<string, string>, encoded: Record<string, string> = {}, suffix = '', query?: string) {
  const p = patternOf(t).replace(/\{(\w+)\}/g, (_m, k: string) => encoded[k] ?? encodeURIComponent(vars[k] ?? ''))
  // RFC 9728 metadata lives at the root's well-known path, not under /api/v1.
  return `${p.startsWith('/.well-known/') ? '' : '/api/v1'}${p}${suffix}${query ? `?${query}` : ''}`
}

export function authHeader(fx: Fx, t: Template, who: Who = 'alice'): Record<string, string> {
  if (t.auth === 'user') return { authorization: `Bearer ${fx.tokens[who]}` }
  if (t.auth === 'service') return { authorization: `Bearer ${fx.service}` }
  return {}
}

const protoNames = Object.getOwnPropertyNames(Object.prototype).sort().join()

export async function send(fx: Fx, method: string, path: string, headers: Record<string, string | string[]>, body?: string | Buffer): Promise<RawRes> {
  fx.requests++
  const r = await raw(fx.gw.url, { method, path, headers, body })
  // Whatever came in, nothing reached Object.prototype, and no stored secret came out.
  assert.is(Object.getOwnPropertyNames(Object.prototype).sort().join(), protoNames, `${method} ${path.slice(0, 120)} polluted Object.prototype`)
  assert.is(({} as Record<string, unknown>).polluted, undefined)
  for (const s of fx.secrets) assert.not.ok(r.text.includes(s), `${method} ${path.slice(0, 120)}: a stored secret in the answer`)
  return r
}

export function request(fx: Fx, t: Template, v: Valid, vars: Record<string, string>, o: { headers?: Record<string, string | string[]>; body?: string | Buffer; path?: string; method?: string } = {}) {
  const headers: Record<string, string | string[]> = { ...authHeader(fx, t, v.as), ...(v.body !== undefined ? { 'content-type': 'application/json' } : {}), ...v.headers, ...o.headers }
  for (const [k, x] of Object.entries(headers)) if (x === undefined) delete headers[k]
  const body = 'body' in o ? o.body : v.body === undefined ? undefined : JSON.stringify(v.body)
  return send(fx, o.method ?? methodOf(t), o.path ?? pathOf(t, vars, {}, '', v.query), headers, body)
}
