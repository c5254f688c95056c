/**
 * BENCH ONLY, NEVER SHIPPED: the "bound" experiment of issue #19 (docs/performance.md,
 * fifth round). A stand-in for shared/mcp/client-sdk.ts that `bench/bound-build.ts`
 * swaps into a separate bundle, so a cold listing or execute does its upstream exchange
 * with plain JSON-RPC over the gateway's own egress-guarded fetch, loading no SDK and no
 * zod. It speaks only what the bench's upstream (test/servers/modern.ts) needs:
 * 2026-07-28 `server/discover` (or a cached discover result), `tools/list` with paging,
 * `tools/call`; JSON answers only, no SSE, no notifications, no validation of results.
 * It measures what the SDK costs on the cold path; it is not a client anyone should use.
 */
type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>
type Json = Record<string, any>

const VERSION = '2026-07-28'

class Base extends Error {}
export class ProtocolError extends Base {
  constructor(readonly code: number, message: string, readonly data?: unknown) { super(message) }
}
export class SdkError extends Base {
  constructor(readonly code: string, message: string) { super(message) }
}
export const SdkErrorCode = { RequestTimeout: 'REQUEST_TIMEOUT', ConnectionClosed: 'CONNECTION_CLOSED' } as const
export class SdkHttpError extends Base {
  constructor(readonly status: number, message: string) { super(message) }
}
export class SseError extends Base { readonly code?: number }
export class UnauthorizedError extends Base {}
export class InsufficientScopeError extends Base {}
const unsupported = () => { throw new Error('bench/bound-client.ts: OAuth is not part of the bound experiment') }
export const registerClient = unsupported
export const startAuthorization = unsupported
export const validateAuthorizationResponseIssuer = unsupported
export const discoverAuthorizationServerMetadata = unsupported
export const discoverOAuthProtectedResourceMetadata = unsupported
export const resourceUrlFromServerUrl = unsupported
export const extractWWWAuthenticateParams = unsupported
export const checkResourceAllowed = unsupported

export class StreamableHTTPClientTransport {
  constructor(readonly url: URL, readonly o: { fetch: Fetch; requestInit?: { headers?: Record<string, string> } }) {}
  async close() {}
}
export const SSEClientTransport = StreamableHTTPClientTransport

export class Client {
  private t?: StreamableHTTPClientTransport
  private discover?: Json
  private id = 0
  onerror?: (e: unknown) => void
  onclose?: () => void
  constructor(private readonly info: { name: string; version: string }, _o?: unknown) {}

  private async rpc(method: string, params: Json, signal?: AbortSignal): Promise<Json> {
    const t = this.t!
    const meta = { 'io.modelcontextprotocol/protocolVersion': VERSION, 'io.modelcontextprotocol/clientInfo': this.info, 'io.modelcontextprotocol/clientCapabilities': {} }
    const res = await t.o.fetch(t.url, {
      method: 'POST',
      headers: { ...t.o.requestInit?.headers, accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-method': method, 'mcp-protocol-version': VERSION, ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : {}) },
      body: JSON.stringify({ jsonrpc: '2.0', id: this.id++, method, params: { ...params, _meta: meta } }),
      ...(signal ? { signal } : {}),
    })
    const text = await res.text()
    if (!res.ok) throw new SdkHttpError(res.status, `HTTP ${res.status}`)
    const msg = JSON.parse(text) as Json
    if (msg.error) throw new ProtocolError(msg.error.code, msg.error.message, msg.error.data)
    return msg.result as Json
  }

  async connect(t: StreamableHTTPClientTransport, o: { signal?: AbortSignal; prior?: { kind: string; discover?: Json } } = {}) {
    this.t = t
    this.discover = o.prior?.kind === 'modern' && o.prior.discover ? o.prior.discover : await this.rpc('server/discover', {}, o.signal)
  }
  getProtocolEra = () => 'modern' as const
  getDiscoverResult = () => this.discover
  getServerCapabilities = () => this.discover?.capabilities as Json | undefined
  setNotificationHandler(_m: string, _h: unknown) {}
  async close() { this.onclose?.() }

  async listTools(_p?: unknown, o: { signal?: AbortSignal } = {}) {
    // The last page as the server sent it (its `ttlMs` cache hint included: the gateway honours it), with every page's tools.
    const tools: Json[] = []
    let r: Json = {}
    for (let page = 0; page < 64; page++) {
      r = await this.rpc('tools/list', r.nextCursor ? { cursor: r.nextCursor } : {}, o.signal)
      tools.push(...(r.tools as Json[]))
      if (!r.nextCursor) break
    }
    const { nextCursor: _n, ...last } = r
    return { ...last, tools }
  }
  callTool(p: { name: string; arguments?: Json }, o: { signal?: AbortSignal } = {}) {
    return this.rpc('tools/call', { name: p.name, arguments: p.arguments ?? {} }, o.signal)
  }
  async setLoggingLevel() {}
}
