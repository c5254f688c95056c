/**
 * Serving the MCP endpoints over HTTP. 2026-07-28 requests go to the SDK's
 * `createMcpHandler` (a fresh proxy server per request, nothing kept); 2025
 * requests are served in sessions held in memory (one upstream connection
 * each, so servers can ask the agent for elicitation and sampling mid-call)
 * and recorded in the store, so that another instance takes a session up
 * when the agent lands there. docs/decisions.md "Agent sessions across instances".
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { createMcpHandler, isLegacyRequest, WebStandardStreamableHTTPServerTransport, type Server } from '@modelcontextprotocol/server'
import { AppError } from '../errors.js'
import { secretMasker } from '../log.js'
import type { Ctx } from '../http.js'
import type { Deps } from '../deps.js'
import { clientFor, sessionKey, type Downstream } from './relay.js'
import { cancelPlain, fastPath, plainModernCall, plainToolCall, servePlain, type Inflight, type ToolCall } from './fast.js'
import { closeClient } from '../mcp/sessions.js'

/** What one endpoint serves: a server for a request or session, given its upstream client. */
export interface Endpoint {
  /** Who owns sessions here: the caller and the endpoint. */
  owner: string
  /**
   * What serves a request or session: the server (built only when the SDK
   * serves), the capabilities it declares, and its `tools/call` handler for
   * the fast path (shared/agent/fast.ts) where it has tools.
   */
  build(client: ReturnType<typeof clientFor>, legacy: boolean, signal: AbortSignal): Promise<{ server(): Server; caps: Record<string, any>; call?: ToolCall }>
  /** What the endpoint serves now; a 2025 session is told its tools changed when this does. */
  version?(): Promise<string>
}

interface Session {
  owner: string; transport: WebStandardStreamableHTTPServerTransport; server: Server; lastUsed: number; checkedAt: number; watch?: NodeJS.Timeout
  /** Set when the agent declared nothing a server could ask it (elicitation, sampling, roots): plain calls take the fast path. */
  call?: ToolCall
  caps: Record<string, any>
  /** Fast-path calls in progress, by JSON-RPC id: notifications/cancelled reaches them here. */
  inflight: Inflight
}

const sessions = new Map<string, Session>()
/** Sessions per instance, and how long an idle one is kept. */
const MAX_SESSIONS = 1000
export const SESSION_IDLE_MS = 10 * 60_000
let sweeper: NodeJS.Timeout | undefined

function drop(id: string) {
  const s = sessions.get(id)
  if (!s) return
  sessions.delete(id)
  clearInterval(s.watch)
  void s.server.close().catch(() => {})
  // Its upstream sessions end with it (their streams hold sockets), not at the warm connections' idle sweep.
  closeClient(sessionKey(id))
}

/**
 * Over the caller's cap on this endpoint (AGENT_SESSIONS_PER_USER): their least recently used
 * session ends, everywhere (its record goes, so no instance takes it up); the agent gets 404 on
 * it and initializes again, as the protocol has it for a session that expired.
 */
function capOwner(d: Deps, owner: string): void {
  const mine = [...sessions.entries()].filter(([, s]) => s.owner === owner)
  const over = mine.length - d.config.agentSessionsPerUser
  if (over <= 0) return
  for (const [id] of mine.sort((a, b) => a[1].lastUsed - b[1].lastUsed).slice(0, over)) {
    drop(id)
    void d.store().then((st) => st.delete(AGENT_SESSIONS, id)).catch(() => {})
  }
}

function sweep(now = Date.now()) {
  for (const [id, s] of sessions) if (now - s.lastUsed > SESSION_IDLE_MS) drop(id)
  // Over the bound: the least recently used go first.
  const over = sessions.size - MAX_SESSIONS
  if (over > 0) for (const [id] of [...sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed).slice(0, over)) drop(id)
}

/**
 * `agent_sessions/{id}`: what a 2025 session was opened with, so that any
 * instance can take it up (docs/decisions.md "Agent sessions across instances").
 */
export const AGENT_SESSIONS = 'agent_sessions'
export interface AgentSessionDoc {
  owner: string
  /** The agent's initialize params: protocol version, capabilities, client info. */
  init: { protocolVersion: string; capabilities: Record<string, unknown>; clientInfo: Record<string, unknown> }
  created_at: number
  expires_at: number
}
/** How long a session may be taken up on another instance after it was opened. */
export const SESSION_MAX_MS = 24 * 3600_000
/** How often an instance holding a session checks that it was not closed elsewhere. */
export const SESSION_CHECK_MS = 5_000

/** The 2025 session `sid` names, for this owner: held here, or taken up from the store. */
async function sessionOf(d: Deps, ep: Endpoint, sid: string, signal: AbortSignal): Promise<Session> {
  let s = sessions.get(sid)
  // Closed on another instance: seen here within SESSION_CHECK_MS (a store read at most that often per session).
  if (s && s.owner === ep.owner && Date.now() - s.checkedAt > SESSION_CHECK_MS) {
    s.checkedAt = Date.now()
    if (!(await (await d.store()).get(AGENT_SESSIONS, sid).catch(() => true))) {
      drop(sid)
      s = undefined
    }
  }
  s ??= await revive(d, ep, sid, signal)
  // Another caller's session is as unknown as an expired one.
  if (!s || s.owner !== ep.owner) throw new AppError('not_found', 'No such MCP session (it expired, or was closed): start a new one with initialize.')
  s.lastUsed = Date.now()
  return s
}

async function legacy(d: Deps, ep: Endpoint, request: Request, body: unknown, signal: AbortSignal): Promise<Response> {
  const sid = request.headers.get('mcp-session-id')
  if (sid) return (await sessionOf(d, ep, sid, signal)).transport.handleRequest(request, { parsedBody: body })
  const init = body as { method?: string; params?: AgentSessionDoc['init'] } | undefined
  if (request.method !== 'POST' || init?.method !== 'initialize') throw new AppError('invalid_request', 'Send Mcp-Session-Id from initialize (2025 protocol), or the 2026-07-28 envelope.')
  const id = randomUUID()
  const session = await open(d, ep, id, init.params?.capabilities ?? {}, signal)
  const res = await session.transport.handleRequest(request, { parsedBody: body })
  // Recorded once the session is open, for another instance to take up.
  if (res.ok) {
    const p = init.params ?? ({} as Partial<AgentSessionDoc['init']>)
    const doc: AgentSessionDoc = {
      owner: ep.owner, created_at: Date.now(), expires_at: Date.now() + SESSION_MAX_MS,
      init: { protocolVersion: String(p.protocolVersion ?? ''), capabilities: (p.capabilities ?? {}) as Record<string, unknown>, clientInfo: (p.clientInfo ?? {}) as Record<string, unknown> },
    }
    await (await d.store()).create(AGENT_SESSIONS, id, doc).catch(() => {})
  }
  return res
}

async function open(d: Deps, ep: Endpoint, id: string, caps: Record<string, unknown>, signal: AbortSignal): Promise<Session> {
  let server: Server | undefined
  // Outside any request (the upstream's own stream): list changes and log messages go to the session.
  const downstream: Downstream = { notify: async (n) => server?.notification(n as never) }
  const client = clientFor(caps, { id, downstream })
  const built = await ep.build(client, true, signal)
  server = built.server()
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => id,
    onsessionclosed: () => {
      drop(id)
      void d.store().then((st) => st.delete(AGENT_SESSIONS, id)).catch(() => {})
    },
  })
  await server.connect(transport)
  const session: Session = {
    owner: ep.owner, transport, server, lastUsed: Date.now(), checkedAt: Date.now(), inflight: new Map(), caps: built.caps,
    // A server may ask an agent that declared elicitation, sampling or roots mid-call: such calls need the SDK's stream.
    ...(built.call && !Object.keys(client.capabilities).length ? { call: built.call } : {}),
  }
  sessions.set(id, session)
  capOwner(d, ep.owner)
  if (ep.version) session.watch = watch(ep, session)
  sweeper ??= setInterval(() => sweep(), 60_000).unref()
  if (sessions.size > MAX_SESSIONS) sweep()
  return session
}

/**
 * A session another instance opened (or this one before a restart): the
 * record says who owns it and how the agent initialized it; the server is
 * built again and initialized as the agent did, on a new upstream
 * connection. What lived only on the first instance is gone: its upstream
 * session and a call in progress there (docs/decisions.md).
 */
async function revive(d: Deps, ep: Endpoint, id: string, signal: AbortSignal): Promise<Session | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined
  const rec = await (await d.store()).get<AgentSessionDoc>(AGENT_SESSIONS, id)
  if (!rec || rec.data.owner !== ep.owner) return undefined
  const s = await open(d, ep, id, rec.data.init.capabilities, signal)
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
  const post = async (msg: unknown) => {
    const r = await s.transport.handleRequest(new Request('http://gateway/', { method: 'POST', headers: { ...headers, ...(s.transport.sessionId ? { 'mcp-session-id': id } : {}) } }), { parsedBody: msg })
    await r.text().catch(() => '')
    return r.ok
  }
  const ok = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: rec.data.init }) && (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }))
  if (!ok) {
    drop(id)
    return undefined
  }
  return s
}

/** How often a 2025 session of the aggregate looks for added, removed or reconnected configs. */
/** Read when a session starts watching (not at import), so that it is the setting of that moment. */
const watchMs = () => Number(process.env.AGENT_WATCH_MS ?? 15_000)

function watch(ep: Endpoint, s: Session): NodeJS.Timeout {
  let seen: string | undefined
  const look = async () => {
    const v = await ep.version!().catch(() => seen)
    if (seen !== undefined && v !== seen) {
      for (const m of ['notifications/tools/list_changed', 'notifications/prompts/list_changed', 'notifications/resources/list_changed'])
        void s.server.notification({ method: m } as never).catch(() => {})
    }
    seen = v
  }
  void look()
  return setInterval(() => void look(), watchMs()).unref()
}

const current = new AsyncLocalStorage<{ ep: Endpoint; signal: AbortSignal; caps: Record<string, unknown> }>()
let modern: ReturnType<typeof createMcpHandler> | undefined
const modernHandler = () =>
  (modern ??= createMcpHandler(async () => {
    const c = current.getStore()!
    // The upstream is told what this request's agent can answer (its envelope's capabilities).
    return (await c.ep.build(clientFor(c.caps), false, c.signal)).server()
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
  if (method === 'POST' && typeof sid === 'string' && fastPath.on) {
    const s = await sessionOf(c.deps, ep, sid, c.signal)
    const plain = s.call && s.transport.sessionId === sid ? plainToolCall(c.req.headers, body) : undefined
    if (plain) {
      await servePlain(c, { sessionId: sid, caps: s.caps }, plain, s.call!, s.inflight)
      return null
    }
    cancelPlain(s.inflight, body)
  }
  const modernPlain = method === 'POST' && sid === undefined && fastPath.on ? plainModernCall(c.req.headers, body) : undefined
  if (modernPlain) {
    const built = await ep.build((anyAgent ??= clientFor({})), false, c.signal)
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
    res = isLegacy ? await legacy(c.deps, ep, request, body, c.signal) : await current.run({ ep, signal: c.signal, caps: capsOf(body) }, () => modernHandler().fetch(request, { parsedBody: body }))
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

/** Tests: the sessions this instance keeps. */
export const _sessionCount = () => sessions.size

/** Close every session (shutdown, tests). */
export function closeAgentSessions(): void {
  clearInterval(sweeper)
  sweeper = undefined
  for (const id of [...sessions.keys()]) drop(id)
}
