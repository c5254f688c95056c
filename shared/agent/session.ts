/**
 * 2025 agent sessions: held in memory by the instance that answered
 * `initialize` (one upstream connection each, so servers can ask the agent
 * for elicitation and sampling mid-call) and recorded in the store, so that
 * another instance takes a session up when the agent lands there.
 * docs/decisions.md "Agent sessions across instances".
 */
import { randomUUID } from 'node:crypto'
import { WebStandardStreamableHTTPServerTransport, type Server } from '@modelcontextprotocol/server'
import { AppError } from '../errors.js'
import type { Deps } from '../deps.js'
import { clientFor, sessionKey, type Downstream } from './relay.js'
import type { Inflight, ToolCall } from './fast.js'
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

export interface Session {
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
export async function sessionOf(d: Deps, ep: Endpoint, sid: string, signal: AbortSignal): Promise<Session> {
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

/**
 * A 2025 request: to its session (`held`: already looked up for the fast
 * path, not looked up again), or an `initialize` that opens one.
 */
export async function legacy(d: Deps, ep: Endpoint, request: Request, body: unknown, signal: AbortSignal, held?: Session): Promise<Response> {
  const sid = request.headers.get('mcp-session-id')
  if (sid) return (held ?? (await sessionOf(d, ep, sid, signal))).transport.handleRequest(request, { parsedBody: body })
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

/** Close every session (shutdown, tests). */
export function closeAgentSessions(): void {
  clearInterval(sweeper)
  sweeper = undefined
  for (const id of [...sessions.keys()]) drop(id)
}
