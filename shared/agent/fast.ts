/**
 * The hot path of a 2025 session: a plain `tools/call` answered without the
 * SDK's transport and server (no zod parse of the message, no WHATWG
 * Request/Response, no SSE unless something has to be streamed). The call
 * itself is the proxy's own (shared/agent/call.ts: rate limits, tool policy,
 * audit), so only the framing is done here. Anything this path cannot honour
 * exactly as the SDK would is left to the SDK: see `plainToolCall`.
 * docs/decisions.md "Agent proxy fast path".
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import { isJsonContentType, SUPPORTED_PROTOCOL_VERSIONS, type ServerContext } from '@modelcontextprotocol/server'
import { secretMasker } from '../log.js'
import { toRpc } from './errors.js'

/** A `tools/call` handler of an endpoint: the one its SDK server registers. */
export type ToolCall = (params: Record<string, any>, ctx: ServerContext) => Promise<any>

export interface PlainCall { id: string | number; params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> } }

const plain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)
const only = (o: Record<string, unknown>, keys: readonly string[]) => Object.keys(o).every((k) => keys.includes(k))

/**
 * A request the fast path serves exactly as the SDK would, or undefined.
 * Checked here what the SDK's transport checks (Accept, Content-Type,
 * MCP-Protocol-Version) and a shape its schemas accept unchanged: any other
 * member, a progress token (progress is streamed), a task, or a reserved
 * `io.modelcontextprotocol/` key (the SDK lifts those out) goes to the SDK.
 */
export function plainToolCall(headers: IncomingHttpHeaders, body: unknown): PlainCall | undefined {
  if (!plain(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call' || !only(body, ['jsonrpc', 'id', 'method', 'params'])) return undefined
  const id = body.id
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined
  const p = body.params
  if (!plain(p) || typeof p.name !== 'string' || !only(p, ['name', 'arguments', '_meta'])) return undefined
  if (p.arguments !== undefined && !plain(p.arguments)) return undefined
  if (p._meta !== undefined && (!plain(p._meta) || Object.keys(p._meta).some((k) => k === 'progressToken' || k.startsWith('io.modelcontextprotocol/')))) return undefined
  const accept = headers.accept
  if (typeof accept !== 'string' || !accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined
  const type = headers['content-type']
  if (typeof type !== 'string' || !isJsonContentType(type)) return undefined
  const version = headers['mcp-protocol-version']
  if (version !== undefined && (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return undefined
  return { id, params: p as PlainCall['params'] }
}

/** 2025 codec: the SDK answers -32002 as -32602. */
const wireCode = (code: number) => (code === -32002 ? -32602 : code)

/**
 * Runs `call` and answers the agent: JSON when nothing came before the
 * result, else an SSE stream (notifications, then the result) as the SDK
 * does; secrets this request read are masked either way.
 */
export async function answerPlain(out: ServerResponse, sessionId: string, req: PlainCall, call: ToolCall, signal: AbortSignal): Promise<void> {
  const mask = secretMasker()
  let streaming = false
  const frame = (msg: unknown) => mask(`event: message\ndata: ${JSON.stringify(msg)}\n\n`)
  const notify = async (n: unknown) => {
    if (out.writableEnded || signal.aborted) return
    if (!streaming) {
      streaming = true
      out.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no', 'mcp-session-id': sessionId })
    }
    out.write(frame({ jsonrpc: '2.0', ...(n as object) }))
  }
  const ctx = {
    sessionId,
    mcpReq: {
      id: req.id, method: 'tools/call', _meta: req.params._meta, signal, notify,
      // The session's client declared nothing the server could ask (else the SDK path serves it).
      send: async () => { throw new Error('The agent cannot be asked on this request.') },
      requestState: () => undefined,
    },
  } as unknown as ServerContext
  let msg: Record<string, unknown>
  try {
    msg = { result: await call(req.params, ctx), jsonrpc: '2.0', id: req.id }
  } catch (e) {
    const r = toRpc(e)
    msg = { jsonrpc: '2.0', id: req.id, error: { code: wireCode(r.code), message: r.message, ...(r.data !== undefined ? { data: r.data } : {}) } }
  }
  if (out.writableEnded || signal.aborted) {
    // Cancelled by the agent (notifications/cancelled): no answer, as the SDK sends none.
    if (!out.writableEnded && !out.headersSent) out.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', 'mcp-session-id': sessionId })
    return void (out.writableEnded || out.end())
  }
  if (streaming) return void out.end(frame(msg))
  out.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'mcp-session-id': sessionId })
  out.end(mask(JSON.stringify(msg)))
}
