/**
 * Serving the MCP endpoints over HTTP. A plain `tools/call` takes the fast
 * path (shared/agent/fast.ts); other 2026-07-28 requests go to the SDK's
 * `createMcpHandler` (a fresh proxy server per request, nothing kept), other
 * 2025 requests to their session (shared/agent/session.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ServerResponse } from 'node:http'
import { createMcpHandler, isLegacyRequest } from '@modelcontextprotocol/server'
import { AppError } from '../errors.js'
import { secretMasker } from '../log.js'
import type { Ctx } from '../http.js'
import { clientFor } from './relay.js'
import { cancelPlain, fastPath, plainModernCall, plainToolCall, servePlain } from './fast.js'
import { legacy, sessionOf, type Endpoint, type Session } from './session.js'


/** What one 2026-07-28 request is served with; `built`: its endpoint, already built for the fast path's check. */
type Built = Awaited<ReturnType<Endpoint['build']>>
const current = new AsyncLocalStorage<{ ep: Endpoint; signal: AbortSignal; caps: Record<string, unknown>; built?: Built }>()
let modern: ReturnType<typeof createMcpHandler> | undefined
const modernHandler = () =>
  (modern ??= createMcpHandler(async () => {
    const c = current.getStore()!
    // The upstream is told what this request's agent can answer (its envelope's capabilities).
    return (c.built ?? (await c.ep.build(clientFor(c.caps), false, c.signal))).server()
  }, { legacy: 'reject' }))

/**
 * A single request whose envelope names a protocol version (2026-07-28 and
 * later): the modern handler's, which answers any error in it. Saves
 * classifying it twice, here and in the handler.
 */
const claimsModern = (body: unknown): boolean => {
  const b = body as { method?: unknown; params?: { _meta?: Record<string, unknown> } } | undefined
  return !!b && typeof b === 'object' && !Array.isArray(b) && b.method !== 'initialize' && typeof b.params?._meta?.['io.modelcontextprotocol/protocolVersion'] === 'string'
}

/** 2026-07-28: a request's client capabilities are in its `_meta` envelope. */
const capsOf = (body: unknown): Record<string, unknown> => {
  const caps = (body as { params?: { _meta?: Record<string, unknown> } } | undefined)?.params?._meta?.['io.modelcontextprotocol/clientCapabilities']
  return caps && typeof caps === 'object' && !Array.isArray(caps) ? (caps as Record<string, unknown>) : {}
}

/** The upstream client of a fast-path 2026-07-28 call (the agent declared nothing a server could ask): one for all, not hashed per call. */
let anyAgent: ReturnType<typeof clientFor> | undefined

/** Serves one HTTP request of an MCP endpoint, writing the response itself. */
export async function serveEndpoint(c: Ctx, ep: Endpoint): Promise<null> {
  const method = c.req.method ?? 'GET'
  const body = method === 'POST' ? await c.body() : undefined
  const sid = c.req.headers['mcp-session-id']
  // A 2025 session, looked up once: the fast path's, else the SDK's.
  let session: Session | undefined
  if (method === 'POST' && typeof sid === 'string' && fastPath.on) {
    session = await sessionOf(c.deps, ep, sid, c.signal)
    const plain = session.call && session.transport.sessionId === sid ? plainToolCall(c.req.headers, body) : undefined
    if (plain) {
      await servePlain(c, { sessionId: sid, caps: session.caps }, plain, session.call!, session.inflight)
      return null
    }
    cancelPlain(session.inflight, body)
  }
  let built: Built | undefined
  const modernPlain = method === 'POST' && sid === undefined && fastPath.on ? plainModernCall(c.req.headers, body) : undefined
  if (modernPlain) {
    // Its envelope declares nothing a server could ask, so the SDK's client for it would be this one: built once, either way.
    built = await ep.build((anyAgent ??= clientFor({})), false, c.signal)
    if (built.call) {
      await servePlain(c, { caps: built.caps }, modernPlain, built.call)
      return null
    }
  }
  const headers = new Headers()
  for (const [k, v] of Object.entries(c.req.headers)) if (typeof v === 'string') headers.set(k, v)
  // The SDK takes the parsed body (`parsedBody`): the request carries none, instead of the JSON again.
  const request = new Request(`http://gateway${c.req.url ?? '/'}`, { method, headers, signal: c.signal })
  const isLegacy = method !== 'POST' || request.headers.has('mcp-session-id') || (!claimsModern(body) && (await isLegacyRequest(request, body)))
  let res: Response
  try {
    res = isLegacy
      ? await legacy(c.deps, ep, request, body, c.signal, session)
      : await current.run({ ep, signal: c.signal, caps: capsOf(body), ...(built ? { built } : {}) }, () => modernHandler().fetch(request, { parsedBody: body }))
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('internal', 'The MCP endpoint failed.', undefined, { cause: e })
  }
  await pipe(c.res, res, c.signal)
  return null
}

/**
 * Writes the SDK's answer to the agent, masking any secret value this
 * request has read (an upstream may echo one), as `send` does for JSON: a
 * JSON body whole, an SSE stream event by event (events end with a blank line).
 */
async function pipe(out: ServerResponse, res: Response, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' }
  res.headers.forEach((v, k) => { headers[k] = v })
  delete headers['content-length']
  out.writeHead(res.status, headers)
  if (!res.body) return void out.end()
  const mask = secretMasker()
  // A JSON answer (2026-07-28) is masked whole, without a stream reader.
  if (!headers['content-type']?.startsWith('text/event-stream')) {
    const text = await res.text().catch(() => '')
    return void out.end(mask(text))
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
  const stop = () => void reader.cancel().catch(() => {})
  signal.addEventListener('abort', stop, { once: true })
  let held = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      held += value
      const end = held.lastIndexOf('\n\n')
      if (end < 0) continue
      out.write(mask(held.slice(0, end + 2)))
      held = held.slice(end + 2)
    }
  } catch {
    // The agent went away, or the stream broke: nothing more to write.
  } finally {
    signal.removeEventListener('abort', stop)
    out.end(held ? mask(held) : undefined)
  }
}
