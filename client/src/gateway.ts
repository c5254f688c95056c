/**
 * The gateway's HTTP API as methods. Bodies and answers are the API's own JSON
 * (snake_case, docs/api.md), never re-shaped; a response that is not 2xx
 * throws a GatewayError. Configs' ETags are remembered from every response
 * that carries one and sent back as If-Match on PATCH and DELETE, so a write
 * over someone else's newer one is refused (412) instead of lost.
 */
import { clientError, errorFrom, GatewayError } from './errors.js'
import { readEvents, type StreamEvent } from './sse.js'
import { connect, finishConnect, type ConnectOptions, type Connected, type Redirecting } from './connect.js'
import type * as T from './types.js'

export interface GatewayOptions {
  /** The origin serving /api/v1 (and the OAuth callback); '' (the default) is this page's origin. */
  baseUrl?: string
  /** The signed-in user's ID token, or a function that returns a fresh one for each request. */
  token: string | (() => string | Promise<string>)
  fetch?: typeof fetch
  /** API base for streaming execute: the execute function's own URL (Terraform output `execute_stream_url`), since Hosting buffers SSE. */
  streamBase?: string
}

export interface RequestOptions {
  signal?: AbortSignal
}
export interface WriteOptions extends RequestOptions {
  /** An explicit ETag for If-Match (`*` matches any version); default: the one remembered for this config. */
  etag?: string
}
export interface ExecuteOptions extends RequestOptions {
  /** `Prefer: respond-async`: 202 with the execution record at once; follow it with getExecution / waitExecution. */
  async?: boolean
}

type Query = { [k: string]: string | number | boolean | undefined | null } | object
interface Call extends RequestOptions {
  body?: unknown
  query?: Query
  headers?: Record<string, string>
  /** Remember the answer's ETag for this config id. */
  etagFor?: string
  base?: string
}

const enc = encodeURIComponent

export class Gateway {
  readonly baseUrl: string
  readonly #token: GatewayOptions['token']
  readonly #fetch: typeof fetch
  readonly #streamBase: string | undefined
  readonly #etags = new Map<string, string>()

  constructor(o: GatewayOptions) {
    this.baseUrl = (o.baseUrl ?? '').replace(/\/+$/, '')
    this.#token = o.token
    // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    const f = o.fetch ?? globalThis.fetch
    this.#fetch = (input, init) => f(input, init)
    this.#streamBase = o.streamBase?.replace(/\/+$/, '')
  }

  /** The API base, `${baseUrl}/api/v1`. */
  get apiBase(): string {
    return `${this.baseUrl}/api/v1`
  }

  /** The ETag remembered for a config (from its last GET, create, update or upgrade), if any. */
  etagOf(id: string): string | undefined {
    return this.#etags.get(id)
  }

  // ---- configs -------------------------------------------------------------------------------------

  /** Every config the caller can see (their own and their org's), page after page. */
  listMcps(q: { limit?: number } = {}, o: RequestOptions = {}): AsyncIterable<T.McpView> {
    return this.#paged((cursor) => this.mcpsPage({ ...q, cursor }, o))
  }
  mcpsPage(q: { limit?: number; cursor?: string | null } = {}, o: RequestOptions = {}): Promise<T.Page<T.McpView>> {
    return this.#json('GET', '/mcps', { ...o, query: q })
  }
  getMcp(id: string, o: RequestOptions = {}): Promise<T.McpView> {
    return this.#json('GET', `/mcps/${enc(id)}`, { ...o, etagFor: id })
  }
  createMcp(body: T.McpCreate, o: RequestOptions = {}): Promise<T.McpView> {
    return this.#json('POST', '/mcps', { ...o, body })
  }
  updateMcp(id: string, patch: T.McpPatch, o: WriteOptions = {}): Promise<T.McpView> {
    return this.#json('PATCH', `/mcps/${enc(id)}`, { ...o, body: patch, headers: this.#ifMatch(id, o), etagFor: id })
  }
  async deleteMcp(id: string, o: WriteOptions = {}): Promise<void> {
    await this.#json('DELETE', `/mcps/${enc(id)}`, { ...o, headers: this.#ifMatch(id, o) })
    this.#etags.delete(id)
  }
  /** Moves a registry-made config to its entry's latest version. */
  upgradeMcp(id: string, values?: Record<string, unknown>, o: RequestOptions = {}): Promise<T.McpView> {
    return this.#json('POST', `/mcps/${enc(id)}/upgrade`, { ...o, body: values ? { values } : {}, etagFor: id })
  }
  /** Connects and pings now with the caller's credentials; 200 whether the server is up or not (`ok`). */
  checkMcp(id: string, o: RequestOptions = {}): Promise<T.CheckResult> {
    return this.#json('POST', `/mcps/${enc(id)}/check`, o)
  }
  stdioCatalog(o: RequestOptions = {}): Promise<T.Catalog> {
    return this.#json('GET', '/stdio/catalog', o)
  }

  // ---- listing -------------------------------------------------------------------------------------

  /** `fresh: true` lists afresh instead of from the gateway's cache (`Cache-Control: no-cache`). */
  listTools(id: string, o: RequestOptions & { fresh?: boolean } = {}): Promise<T.ToolList> {
    return this.#json('GET', `/mcps/${enc(id)}/tools`, { ...o, headers: o.fresh ? { 'Cache-Control': 'no-cache' } : {} })
  }
  toolChanges(id: string, o: RequestOptions = {}): Promise<T.ToolChanges> {
    return this.#json('GET', `/mcps/${enc(id)}/tools/changes`, o)
  }
  approveTools(id: string, body: T.ApproveBody, o: RequestOptions = {}): Promise<T.Approved> {
    return this.#json('POST', `/mcps/${enc(id)}/tools/approve`, { ...o, body })
  }
  listResources(id: string, o: RequestOptions = {}): Promise<T.ResourceList> {
    return this.#json('GET', `/mcps/${enc(id)}/resources`, o)
  }
  listResourceTemplates(id: string, o: RequestOptions = {}): Promise<T.ResourceTemplates> {
    return this.#json('GET', `/mcps/${enc(id)}/resources/templates`, o)
  }
  /** `capabilities`: what the app can answer if the server asks first (`elicitation.form`, `elicitation.url`, `sampling`). */
  readResource(id: string, uri: string, o: RequestOptions & { capabilities?: string[] } = {}): Promise<T.ResourceContents | T.InputRequired> {
    return this.#json('GET', `/mcps/${enc(id)}/resources/read`, { ...o, query: { uri, capabilities: o.capabilities?.join(',') } })
  }
  listPrompts(id: string, o: RequestOptions = {}): Promise<T.PromptList> {
    return this.#json('GET', `/mcps/${enc(id)}/prompts`, o)
  }
  getPrompt(id: string, name: string, body: { arguments?: Record<string, string>; capabilities?: T.Capabilities } = {}, o: RequestOptions = {}): Promise<T.PromptResult | T.InputRequired> {
    return this.#json('POST', `/mcps/${enc(id)}/prompts/${enc(name)}/get`, { ...o, body })
  }
  complete(id: string, body: T.CompleteBody, o: RequestOptions = {}): Promise<T.Completion> {
    return this.#json('POST', `/mcps/${enc(id)}/complete`, { ...o, body })
  }

  // ---- execute and executions ----------------------------------------------------------------------

  /** Runs a tool: the completed body, or `input_required` (answer it with `answer`); with `async`, the execution record (202). */
  execute(id: string, tool: string, body: T.ExecuteBody, o: ExecuteOptions & { async: true }): Promise<T.Execution>
  execute(id: string, tool: string, body?: T.ExecuteBody, o?: ExecuteOptions): Promise<T.ExecuteResult>
  execute(id: string, tool: string, body: T.ExecuteBody = {}, o: ExecuteOptions = {}): Promise<T.ExecuteResult | T.Execution> {
    return this.#json('POST', `/mcps/${enc(id)}/tools/${enc(tool)}/execute`, { ...o, body, headers: o.async ? { Prefer: 'respond-async' } : {} })
  }
  /**
   * Runs a tool and yields its events as they come: `progress`, `log`, `input_required` (answer it with
   * `answer` while the stream stays open), then one `result` or `error`. A failure before the stream opens
   * throws a GatewayError. Abort with `signal`, or stop iterating, to close the request.
   */
  async *executeStream(id: string, tool: string, body: T.ExecuteBody = {}, o: RequestOptions = {}): AsyncGenerator<StreamEvent<T.StreamEventName>> {
    const res = await this.#send('POST', `/mcps/${enc(id)}/tools/${enc(tool)}/execute`, { ...o, body, headers: { Accept: 'text/event-stream' }, base: this.#streamBase })
    if (!res.headers.get('content-type')?.startsWith('text/event-stream') || !res.body) {
      // A JSON answer where a stream was asked for: hand it over as its one event.
      const data = await this.#parse(res)
      yield { event: 'result', data }
      return
    }
    yield* readEvents(res.body, o.signal) as AsyncGenerator<StreamEvent<T.StreamEventName>>
  }
  /**
   * Answers an execution's outstanding input requests: the completed body or the next round; the execution
   * record (202) with `async`, or when the call has not stopped again within the gateway's 50 s wait.
   */
  answer(executionId: string, responses: Record<string, unknown>, o: ExecuteOptions = {}): Promise<T.ExecuteResult | T.Execution> {
    return this.#json('POST', `/executions/${enc(executionId)}/input`, { ...o, body: { responses }, headers: o.async ? { Prefer: 'respond-async' } : {} })
  }
  getExecution(executionId: string, o: RequestOptions = {}): Promise<T.Execution> {
    return this.#json('GET', `/executions/${enc(executionId)}`, o)
  }
  async cancelExecution(executionId: string, o: RequestOptions = {}): Promise<void> {
    await this.#json('DELETE', `/executions/${enc(executionId)}`, o)
  }
  /** Polls an execution until it stops `working` (input_required, completed, failed, cancelled); `onProgress` sees each record. */
  async waitExecution(executionId: string, o: RequestOptions & { intervalMs?: number; timeoutMs?: number; onProgress?: (e: T.Execution) => void } = {}): Promise<T.Execution> {
    const every = o.intervalMs ?? 1000
    const until = Date.now() + (o.timeoutMs ?? 10 * 60_000)
    for (;;) {
      const e = await this.getExecution(executionId, o)
      if (e.status !== 'working') return e
      o.onProgress?.(e)
      if (Date.now() + every > until) throw clientError('timeout', `The execution was still working after ${o.timeoutMs ?? 600_000} ms.`)
      await sleep(every, o.signal)
    }
  }

  // ---- OAuth ---------------------------------------------------------------------------------------

  /**
   * Connects the caller's account for an OAuth config. Call it from the click handler itself: the popup is
   * opened before anything is awaited, or browsers block it. Resolves once the gateway confirmed the
   * connection; rejects with a GatewayError: `popup_blocked`, `popup_closed`, `oauth_timeout`, the callback's
   * code (`access_denied`, `invalid_state`, ...) or the API's. `popup: false` sends the whole tab to the
   * provider instead, back to `returnTo`; call finishConnect() when that page loads.
   */
  connect(id: string, o: ConnectOptions = {}): Promise<Connected | Redirecting> {
    return connect(this, id, o)
  }
  /** On page load after a full-page connect: completes it (and strips its parameters from the address bar), or null. */
  finishConnect(): Promise<Connected | null> {
    return finishConnect(this)
  }
  oauthStart(id: string, body: { return_to?: string; scopes?: string[] } = {}, o: RequestOptions = {}): Promise<T.OAuthStart> {
    return this.#json('POST', `/mcps/${enc(id)}/oauth/start`, { ...o, body })
  }
  oauthComplete(id: string, completion: string, o: RequestOptions = {}): Promise<T.McpView> {
    return this.#json('POST', `/mcps/${enc(id)}/oauth/complete`, { ...o, body: { completion }, etagFor: id })
  }
  /** Disconnects the caller: null when the provider confirmed the revocation, else what it said (`revoked: false`). */
  async disconnect(id: string, o: RequestOptions = {}): Promise<T.NotRevoked | null> {
    return (await this.#json<T.NotRevoked | undefined>('DELETE', `/mcps/${enc(id)}/oauth`, o)) ?? null
  }

  // ---- discovery -----------------------------------------------------------------------------------

  registryServers(q: { search?: string; limit?: number } = {}, o: RequestOptions = {}): AsyncIterable<T.RegistryServer> {
    return this.#paged((cursor) => this.registryPage({ ...q, cursor }, o))
  }
  registryPage(q: { search?: string; limit?: number; cursor?: string | null } = {}, o: RequestOptions = {}): Promise<T.Page<T.RegistryServer>> {
    return this.#json('GET', '/registry/servers', { ...o, query: q })
  }
  /** One entry with its versions and forms; `name` keeps its slash (`io.github.user/weather`). */
  registryServer(name: string, q: { version?: string } = {}, o: RequestOptions = {}): Promise<T.RegistryServer> {
    return this.#json('GET', `/registry/servers/${name.split('/').map(enc).join('/')}`, { ...o, query: q })
  }
  createProposal(body: { name: string; version: string; package?: number; note?: string }, o: RequestOptions = {}): Promise<T.Proposal> {
    return this.#json('POST', '/registry/proposals', { ...o, body })
  }
  listProposals(o: RequestOptions = {}): Promise<{ items: T.Proposal[] }> {
    return this.#json('GET', '/registry/proposals', o)
  }
  /** For Cloud Scheduler's service account (a Google-signed token), not for users. */
  refreshRegistry(o: RequestOptions = {}): Promise<T.Refreshed> {
    return this.#json('POST', '/registry/refresh', { ...o, body: {} })
  }

  // ---- personal access tokens ----------------------------------------------------------------------

  /** `token` (`mgw_...`) is in this answer only. */
  createToken(body: { name: string; expires_in?: number; scopes?: string[] }, o: RequestOptions = {}): Promise<T.NewToken> {
    return this.#json('POST', '/tokens', { ...o, body })
  }
  listTokens(q: { scope?: 'org' } = {}, o: RequestOptions = {}): AsyncIterable<T.Token> {
    return this.#paged((cursor) => this.tokensPage({ ...q, cursor }, o))
  }
  tokensPage(q: { scope?: 'org'; cursor?: string | null } = {}, o: RequestOptions = {}): Promise<T.Page<T.Token>> {
    return this.#json('GET', '/tokens', { ...o, query: q })
  }
  async deleteToken(id: string, o: RequestOptions = {}): Promise<void> {
    await this.#json('DELETE', `/tokens/${enc(id)}`, o)
  }

  // ---- audit and usage -----------------------------------------------------------------------------

  /** The caller's audit records (an org admin's: the org's), newest first, page after page. */
  audit(q: T.AuditQuery = {}, o: RequestOptions = {}): AsyncIterable<T.AuditRecord> {
    return this.#paged((cursor) => this.auditPage({ ...q, cursor }, o))
  }
  auditPage(q: T.AuditQuery & { cursor?: string | null } = {}, o: RequestOptions = {}): Promise<T.Page<T.AuditRecord>> {
    return this.#json('GET', '/audit', { ...o, query: q })
  }
  usage(id: string, window?: '1h' | '24h' | '7d', o: RequestOptions = {}): Promise<T.Usage> {
    return this.#json('GET', `/mcps/${enc(id)}/usage`, { ...o, query: { window } })
  }

  // ---- no auth -------------------------------------------------------------------------------------

  /** `GET /health` (200, or 503 `degraded`, which is returned, not thrown). */
  async health(o: RequestOptions = {}): Promise<T.GatewayHealth> {
    const res = await this.#fetch(`${this.apiBase}/health`, { signal: o.signal, headers: { Accept: 'application/json' } }).catch(netError)
    if (res.status === 503) return res.json()
    if (!res.ok) throw await errorFrom(res)
    return this.#parse(res)
  }
  /** The OpenAPI document the gateway serves. */
  async openapi(o: RequestOptions = {}): Promise<T.Json> {
    return this.#public('/openapi.json', o)
  }

  /** The gateway's OAuth Client ID Metadata Document (what providers read when its URL is the client_id). */
  async clientMetadata(o: RequestOptions = {}): Promise<T.Json> {
    return this.#public('/oauth/client-metadata.json', o)
  }

  // ---- plumbing ------------------------------------------------------------------------------------

  /** A route without auth: no token is asked for or sent. */
  async #public(path: string, o: RequestOptions): Promise<any> {
    const res = await this.#fetch(`${this.apiBase}${path}`, { signal: o.signal, headers: { Accept: 'application/json' } }).catch(netError)
    if (!res.ok) throw await errorFrom(res)
    return this.#parse(res)
  }

  async *#paged<I>(page: (cursor: string | null) => Promise<T.Page<I>>): AsyncGenerator<I> {
    let cursor: string | null = null
    // Bounded: a server that kept answering the same cursor would otherwise loop forever.
    for (let i = 0; i < 100_000; i++) {
      const p: T.Page<I> = await page(cursor)
      yield* p.items
      if (!p.next_cursor || p.next_cursor === cursor) return
      cursor = p.next_cursor
    }
  }

  #ifMatch(id: string, o: WriteOptions): Record<string, string> {
    const tag = o.etag ?? this.#etags.get(id)
    return tag ? { 'If-Match': tag } : {}
  }

  async #authorization(): Promise<string> {
    const t = typeof this.#token === 'function' ? await this.#token() : this.#token
    return `Bearer ${t}`
  }

  async #send(method: string, path: string, c: Call): Promise<Response> {
    const url = new URL(`${c.base ?? this.apiBase}${path}`, baseHref())
    for (const [k, v] of Object.entries(c.query ?? {}) as [string, unknown][]) if (v !== undefined && v !== null) url.searchParams.set(k, String(v))
    const headers: Record<string, string> = { Accept: 'application/json', ...c.headers, Authorization: await this.#authorization() }
    let body: string | undefined
    if (c.body !== undefined) {
      body = JSON.stringify(c.body)
      headers['Content-Type'] = 'application/json'
    }
    const res = await this.#fetch(url.href, { method, headers, body, signal: c.signal }).catch(netError)
    if (!res.ok) throw await errorFrom(res)
    const tag = res.headers.get('etag')
    if (tag && c.etagFor) this.#etags.set(c.etagFor, tag)
    return res
  }

  async #json<R>(method: string, path: string, c: Call = {}): Promise<R> {
    const res = await this.#send(method, path, c)
    const v = await this.#parse(res)
    // A created config: remember its ETag under the new id.
    if (method === 'POST' && path === '/mcps' && v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') {
      const tag = res.headers.get('etag')
      if (tag) this.#etags.set((v as { id: string }).id, tag)
    }
    return v as R
  }

  async #parse(res: Response): Promise<any> {
    if (res.status === 204) return undefined
    const text = await res.text()
    if (!text) return undefined
    try {
      return JSON.parse(text)
    } catch {
      throw new GatewayError(res.status, 'invalid_response', 'The gateway answered something that is not JSON.', {})
    }
  }
}

function baseHref(): string {
  const l = (globalThis as { location?: { href?: string } }).location
  return l?.href ?? 'http://localhost/'
}

function netError(e: unknown): never {
  if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) throw e
  throw clientError('network_error', `The gateway could not be reached: ${e instanceof Error ? e.message : String(e)}`)
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
