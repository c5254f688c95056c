/**
 * The hot path: a plain `tools/call` (a 2025 session's, or a 2026-07-28
 * request's) answered without the SDK's transport and per-request server
 * (no zod parse of the message, no WHATWG Request/Response, no SSE unless
 * something has to be streamed before the result). The call itself is the
 * proxy's own (shared/agent/call.ts: rate limits, tool policy, audit), so
 * only the framing is done here, as the SDK does it. Anything this path
 * cannot answer exactly as the SDK would goes to the SDK: see
 * `plainToolCall` and `plainModernCall`. docs/decisions.md "Agent proxy fast path".
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import {
  CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, LOG_LEVEL_META_KEY, PROTOCOL_VERSION_META_KEY, SERVER_INFO_META_KEY,
  classifyInboundRequest, isInputRequiredResult, isJsonContentType, SUPPORTED_PROTOCOL_VERSIONS, type ServerContext,
} from '@modelcontextprotocol/server'
import { secretMasker } from '../log.js'
import { AppError } from '../errors.js'
import type { Ctx } from '../http.js'
import { GATEWAY_INFO } from '../mcp/info.js'
import { Lru } from '../cache.js'
import { toRpc } from './errors.js'

/** A `tools/call` handler of an endpoint: the one its SDK server registers. */
export type ToolCall = (params: Record<string, any>, ctx: ServerContext) => Promise<any>

export interface PlainCall { id: string | number; params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> } }

const plain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)
const only = (o: Record<string, unknown>, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k))

/** The JSON-RPC `tools/call` shape both eras share: a safe id, a string name, object arguments, nothing else but `_meta`. */
function callShape(body: unknown): { id: string | number; p: Record<string, unknown> & { name: string } } | undefined {
  if (!plain(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call' || !only(body, ['jsonrpc', 'id', 'method', 'params'])) return undefined
  const id = body.id
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined
  const p = body.params
  if (!plain(p) || typeof p.name !== 'string' || !only(p, ['name', 'arguments', '_meta'])) return undefined
  if (p.arguments !== undefined && !plain(p.arguments)) return undefined
  return { id, p: p as Record<string, unknown> & { name: string } }
}

/**
 * A request the fast path serves exactly as the SDK would, or undefined.
 * Checked here what the SDK's transport checks (Accept, Content-Type,
 * MCP-Protocol-Version) and a shape its schemas accept unchanged: any other
 * member, a progress token (progress is streamed), a task, or a reserved
 * `io.modelcontextprotocol/` key (the SDK lifts those out) goes to the SDK.
 */
export function plainToolCall(headers: IncomingHttpHeaders, body: unknown): PlainCall | undefined {
  const call = callShape(body)
  if (!call) return undefined
  const { id, p } = call
  if (p._meta !== undefined && (!plain(p._meta) || Object.keys(p._meta).some((k) => k === 'progressToken' || k.startsWith('io.modelcontextprotocol/')))) return undefined
  const accept = headers.accept
  if (typeof accept !== 'string' || !accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined
  const type = headers['content-type']
  if (typeof type !== 'string' || !isJsonContentType(type)) return undefined
  const version = headers['mcp-protocol-version']
  if (version !== undefined && (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return undefined
  return { id, params: p as PlainCall['params'] }
}

const MODERN = '2026-07-28'
const ENVELOPE = [PROTOCOL_VERSION_META_KEY, CLIENT_INFO_META_KEY, CLIENT_CAPABILITIES_META_KEY, LOG_LEVEL_META_KEY]
const header = (h: string | string[] | undefined) => (typeof h === 'string' ? h.trim() : undefined)

/**
 * A 2026-07-28 request the fast path serves exactly as the SDK would, or
 * undefined. The SDK's own classifier checks the envelope and the header/body
 * cross-checks; here, also what its entry checks after it (the standard
 * headers present, Mcp-Name without an encoded form), and the same plain
 * shape as above, with only the envelope in `_meta`. An agent that declared
 * elicitation, sampling or roots goes to the SDK (questions come back as
 * `input_required` rounds there).
 */
export function plainModernCall(headers: IncomingHttpHeaders, body: unknown): PlainCall | undefined {
  const call = callShape(body)
  if (!call) return undefined
  const { id, p } = call
  const meta = p._meta
  if (!plain(meta) || !only(meta, ENVELOPE) || meta[PROTOCOL_VERSION_META_KEY] !== MODERN) return undefined
  const caps = meta[CLIENT_CAPABILITIES_META_KEY]
  if (!plain(caps) || 'elicitation' in caps || 'sampling' in caps || 'roots' in caps) return undefined
  const type = headers['content-type']
  if (typeof type !== 'string' || !isJsonContentType(type)) return undefined
  const [version, method, name] = [header(headers['mcp-protocol-version']), header(headers['mcp-method']), header(headers['mcp-name'])]
  if (version !== MODERN || method !== 'tools/call' || name !== p.name || name.startsWith('=?')) return undefined
  if (!modernRoute(meta, () => classifyInboundRequest({ httpMethod: 'POST', protocolVersionHeader: version, mcpMethodHeader: method, mcpNameHeader: name, body }))) return undefined
  // The SDK lifts the envelope out of `_meta` before the handler sees the params.
  return { id, params: { name: p.name, ...(p.arguments !== undefined ? { arguments: p.arguments as Record<string, unknown> } : {}) } }
}

/**
 * The classifier's verdict on a body that passed the checks above: its zod
 * parses (the JSON-RPC shapes, the envelope) were a fifth of the gateway's
 * own CPU per call, for the same answer on every call of an agent. Given
 * those checks (a plain request with these headers, `_meta` only the
 * envelope) the verdict depends on the envelope alone, so it is cached by the
 * envelope's JSON (an agent sends the same one each time); a large one is
 * classified each time, uncached.
 */
const verdicts = new Lru<boolean>(500)
const VERDICT_MS = 10 * 60_000
const MAX_ENVELOPE = 4096

function modernRoute(meta: Record<string, unknown>, classify: () => ReturnType<typeof classifyInboundRequest>): boolean {
  const key = JSON.stringify(meta)
  const hit = key.length <= MAX_ENVELOPE ? verdicts.get(key) : undefined
  if (hit !== undefined) return hit
  fastPath.classified++
  const route = classify()
  const ok = route.kind === 'modern' && route.messageKind === 'request' && route.classification.revision === MODERN
  if (key.length <= MAX_ENVELOPE) verdicts.set(key, ok, VERDICT_MS)
  return ok
}

/** Both codecs answer -32002 as -32602. */
const wireCode = (code: number) => (code === -32002 ? -32602 : code)
/** -32021 (a client capability missing) is HTTP 400 on a 2026-07-28 JSON answer, every other handler error 200. */
const MISSING_CAPABILITY = -32021

/** Notifications the SDK's server would send for a request: those its capabilities allow, and that the era has. */
function sendable(method: string, caps: Record<string, any>, modern: boolean): boolean {
  switch (method) {
    case 'notifications/message': return !!caps.logging
    case 'notifications/resources/updated': case 'notifications/resources/list_changed': return !!caps.resources
    case 'notifications/tools/list_changed': return !!caps.tools
    case 'notifications/prompts/list_changed': return !!caps.prompts
    // Needs a client that declared URL elicitation (such agents are served by the SDK); not in the 2026 era.
    case 'notifications/elicitation/complete': return false
    default: return !modern || ['notifications/cancelled', 'notifications/progress'].includes(method)
  }
}

/** The SDK server's `tools/call` wrapper, both eras: a contentless result gets `content: []`. */
const withContent = (r: Record<string, any>) =>
  isInputRequiredResult(r) || r.content !== undefined || ['task', 'inputRequests', 'requestState'].some((k) => k in r) ? r : { ...r, content: [] }

/** The 2026-07-28 codec's result encoding for `tools/call`: a result type, the server's identity. */
function encodeModern(result: Record<string, any>): Record<string, any> {
  let r = result
  if (!isInputRequiredResult(r) && r.resultType === undefined) r = { ...r, resultType: 'complete' }
  if (plain(r.capabilities) && 'tasks' in r.capabilities) {
    const { tasks: _t, ...rest } = r.capabilities
    r = { ...r, capabilities: rest }
  }
  const meta = r._meta
  if (meta === undefined) return { ...r, _meta: { [SERVER_INFO_META_KEY]: GATEWAY_INFO } }
  if (!plain(meta) || meta[SERVER_INFO_META_KEY] !== undefined) return r
  return { ...r, _meta: { ...meta, [SERVER_INFO_META_KEY]: GATEWAY_INFO } }
}

/** Fast-path calls in progress, by JSON-RPC id: a 2025 session's notifications/cancelled reaches them here. */
export type Inflight = Map<string | number, AbortController>

/** How one answer is framed: a 2025 session's (its id on every answer) or a 2026-07-28 request's. */
export interface Framing { sessionId?: string; caps: Record<string, any> }

/**
 * Runs `call` and answers the agent: JSON when nothing came before the
 * result, else an SSE stream (notifications, then the result) as the SDK
 * does; secrets this request read are masked either way.
 */
export async function answerPlain(out: ServerResponse, f: Framing, req: PlainCall, call: ToolCall, signal: AbortSignal): Promise<void> {
  const mask = secretMasker()
  const modern = f.sessionId === undefined
  const session = f.sessionId !== undefined ? { 'mcp-session-id': f.sessionId } : {}
  const sse = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no', ...session }
  let streaming = false
  const frame = (msg: unknown) => mask(`event: message\ndata: ${JSON.stringify(msg)}\n\n`)
  const notify = async (n: { method: string }) => {
    if (out.writableEnded || signal.aborted || !sendable(n.method, f.caps, modern)) return
    if (!streaming) {
      streaming = true
      out.writeHead(200, sse)
    }
    out.write(frame({ jsonrpc: '2.0', ...n }))
  }
  const ctx = {
    ...(f.sessionId !== undefined ? { sessionId: f.sessionId } : {}),
    mcpReq: {
      id: req.id, method: 'tools/call', _meta: req.params._meta, signal, notify,
      // The agent declared nothing a server could ask it (else the SDK path serves it).
      send: async () => { throw new Error('The agent cannot be asked on this request.') },
      requestState: () => undefined,
    },
  } as unknown as ServerContext
  let msg: Record<string, unknown>
  let status = 200
  try {
    const result = await call(req.params, ctx)
    msg = { result: modern ? encodeModern(withContent(result)) : withContent(result), jsonrpc: '2.0', id: req.id }
  } catch (e) {
    const r = toRpc(e)
    const code = wireCode(r.code)
    if (modern && code === MISSING_CAPABILITY) status = 400
    msg = { jsonrpc: '2.0', id: req.id, error: { code, message: r.message, ...(r.data !== undefined ? { data: r.data } : {}) } }
  }
  if (out.writableEnded || signal.aborted) {
    // Cancelled by the agent, or it went away: no answer, as the SDK sends none.
    if (!out.writableEnded && !out.headersSent) out.writeHead(200, sse)
    return void (out.writableEnded || out.end())
  }
  if (streaming) return void out.end(frame(msg))
  out.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...session })
  out.end(mask(JSON.stringify(msg)))
}

/**
 * Tests: `on = false` sends every request through the SDK (to compare both paths' answers); `served` counts
 * fast answers, `classified` the 2026-07-28 envelopes the SDK's classifier was asked about (the rest were cached).
 */
export const fastPath = { on: true, served: 0, classified: 0 }

/** Serves one plain call on the agent's request, writing the answer itself. */
export async function servePlain(c: Ctx, f: Framing, plain: PlainCall, call: ToolCall, inflight?: Inflight): Promise<void> {
  fastPath.served++
  // A 2026-07-28 call ends only with its request (the protocol has no cancellation of it on another): no controller of its own.
  if (!inflight) return answered(answerPlain(c.res, f, plain, call, c.signal))
  // A 2025 session's: the agent's notifications/cancelled (below) or its going away ends the call.
  const ac = new AbortController()
  const gone = () => ac.abort(c.signal.reason)
  c.signal.addEventListener('abort', gone, { once: true })
  inflight.set(plain.id, ac)
  try {
    await answered(answerPlain(c.res, f, plain, call, ac.signal))
  } finally {
    c.signal.removeEventListener('abort', gone)
    if (inflight.get(plain.id) === ac) inflight.delete(plain.id)
  }
}

const answered = (p: Promise<void>) => p.catch((e) => { throw new AppError('internal', 'The MCP endpoint failed.', undefined, { cause: e }) })

/** `notifications/cancelled` for a fast-path call: the SDK does not know it, so it is aborted here (the SDK still answers 202). */
export function cancelPlain(inflight: Inflight, body: unknown): void {
  const b = body as { method?: unknown; params?: { requestId?: unknown; reason?: unknown } } | undefined
  if (b?.method !== 'notifications/cancelled') return
  const id = b.params?.requestId
  if (typeof id === 'string' || typeof id === 'number') inflight.get(id)?.abort(new Error(String(b.params?.reason ?? 'cancelled')))
}
