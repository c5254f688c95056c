/**
 * Upstream MCP connections. A call borrows a warm client for its caller and
 * config (one upstream POST per call on a warm instance, reusing the legacy
 * `Mcp-Session-Id` or the stateless 2026-07-28 protocol), or opens a fresh
 * one that is closed afterwards. Everything goes through the egress-guarded,
 * byte-capped fetch. Warm clients are bounded, per caller, and expire idle.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Client as ClientT, PriorDiscovery } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { EgressDenied, guardedFetch, TooLarge, type FetchLike } from '../egress/fetch.js'
import { policyOf } from '../egress/policy.js'
import { netError, upstreamError } from './errors.js'
import { throwPoolProblem } from './pool-errors.js'
import { loadSdk, sdkIfLoaded } from './sdk.js'
import { outputValidators } from './args.js'
import { GATEWAY_INFO } from './info.js'
import { watchEndpoint } from './sse-endpoint.js'
import { CALL_LIMITS, NotificationGate, STREAM_LIMITS } from './notify.js'
import { logWithRequest } from '../log.js'
import { eraFresh, forgetState, loadState, saveState, type StateKey } from './state.js'


export interface Target {
  /** Partition of per-connection state: caller, config id and version. Never shared across callers. */
  key: string
  state: StateKey
  /** Set for OAuth configs: the token generation in use. */
  oauth?: { generation: number }
  type: 'http' | 'sse'
  /** The stdio pool (our own function): its problem answers are passed on as they are. */
  pool?: true
  endpoint: string
  headers: Record<string, string>
  timeoutMs: number
}

export interface Session {
  client: ClientT
  /** Pass to every request: aborted on client disconnect or a fatal stream fault. */
  opts: { signal: AbortSignal; timeout: number; maxTotalTimeout: number }
  era: 'modern' | 'legacy'
}


/** The request a fetch or a stream error belongs to, found through async context. */
interface CallCtx {
  fail(e: AppError): void
  /** The notification gates of this call's answers, for the count of what they dropped. */
  gates?: NotificationGate[]
}
const callCtx = new AsyncLocalStorage<CallCtx>()

interface Conn {
  /** Its place among the warm connections (see warmKey). */
  key: string
  client: ClientT
  transport: { close(): Promise<void>; sessionId?: string; terminateSession?(): Promise<void> }
  era: 'modern' | 'legacy'
  busy: number
  lastUsed: number
  dead: boolean
  /** Set once the conn has served a call: a session error then means "start again". */
  used: boolean
  /** Calls in flight, so a fault on a shared stream reaches them all. */
  calls: Set<CallCtx>
  served: number
}

const MAX_WARM = 256
const IDLE_MS = 5 * 60_000
// Warm connections are retired after this many calls: bounded per-connection
// state (the SDK and undici keep per-request listeners on long-lived signals).
const MAX_CALLS = 1000
/**
 * Warm connections by warmKey; `conn` is set once the connect has succeeded. A connect ends within the
 * config's timeout, or at once when `stop` aborts it (shutdown); one that failed leaves the map.
 */
interface Warm { p: Promise<Conn>; conn?: Conn; stop: AbortController; client?: string }
const warm = new Map<string, Warm>()
const warmKey = (t: Target, o: ConnectOptions = {}) => `${t.key}|${t.type}|${t.endpoint}${o.client ? `|${o.client.key}` : ''}`
let sweeper: NodeJS.Timeout | undefined

const DROPPED = /disconnected|terminated|closed|ECONNRESET|socket hang up/i

/** What the caller of an interactive execution declared it can answer (MCP client capabilities). */
export interface Declared {
  elicitation?: { form?: Record<string, never>; url?: Record<string, never> }
  sampling?: Record<string, never>
}

async function open(d: Deps, t: Target, signal: AbortSignal, o: ConnectOptions = {}): Promise<Conn> {
  const { probe } = o
  const { Client, StreamableHTTPClientTransport, SSEClientTransport, parseJSONRPCMessage } = await loadSdk()
  // A fault inside one call's own response fails that call; a fault on a stream
  // the calls share (legacy SSE, or a stream opened while connecting) fails them all.
  const fault = (e: AppError) => {
    const mine = callCtx.getStore()
    if (mine && conn.calls.has(mine)) return mine.fail(e)
    conn.dead = true
    for (const c of conn.calls) c.fail(e)
  }
  const policy = policyOf(d)
  const guarded = guardedFetch(policy, {
    maxBytes: d.config.maxResultBytes,
    connections: d.config.egressConnections,
    onTooLarge: () => fault(new TooLarge(d.config.maxResultBytes)),
    // Answers are read whole; what a server sends before its response (progress, logs, a 2025 server's
    // question on the open call) reaches the client as it arrives (`deliver`), with no stream to parse.
    collect: () => true,
    lookup: d.lookup,
    // As the transport would pass each message on from the stream (which it then needs not be).
    deliver: (m) => {
      try {
        transport.onmessage?.(parseJSONRPCMessage(m))
      } catch (e) {
        transport.onerror?.(e as Error)
      }
    },
    // Each answer gets its own gate (one call's notifications); long-lived GET
    // streams share the connection's, whose counts restart every window.
    gate: (init) => {
      if (init.method === 'GET') return streamGate
      const g = new NotificationGate(CALL_LIMITS)
      const mine = callCtx.getStore()
      if (mine) (mine.gates ??= []).push(g)
      return g
    },
  })
  const streamGate = new NotificationGate(STREAM_LIMITS)
  // The SSE transport's EventSource turns a refused GET into a bare error event, and the SDK
  // refuses an `endpoint` event elsewhere without saying why: the refusal is kept to answer with.
  let denied: EgressDenied | undefined
  const fetch: FetchLike = async (input, init) => {
    try {
      const res = await guarded(input, init)
      if (t.pool) await throwPoolProblem(res)
      if (t.type !== 'sse' || (init?.method ?? 'GET') !== 'GET') return res
      return watchEndpoint(res, String(input), policy, (e) => { denied ??= e })
    } catch (e) {
      if (e instanceof EgressDenied) denied ??= e
      throw e
    }
  }
  const url = new URL(t.endpoint)
  const requestInit = { headers: t.headers }
  const transport =
    t.type === 'sse'
      ? new SSEClientTransport(url, { fetch: fetch as any, requestInit })
      : new StreamableHTTPClientTransport(url, { fetch: fetch as any, requestInit })
  // Only what the caller of this call declared it can answer (an interactive execution, shared/executions/relay.ts),
  // or a proxied agent's own capabilities (shared/agent: then it answers what the server asks); otherwise
  // nothing: the gateway itself has no user to ask and no model to sample.
  // 2026-07-28 `input_required` results of an execution are handed back to us (manual mode), never auto-fulfilled.
  // Output schemas are checked with the gateway's validators (RE2 patterns, compiled off the event loop), not the SDK's own ajv.
  const client = new Client(GATEWAY_INFO, {
    capabilities: o.client?.capabilities ?? {},
    ...(o.client?.manual ? { inputRequired: { autoFulfill: false } } : {}),
    versionNegotiation: { mode: 'auto' }, listMaxPages: 64, jsonSchemaValidator: outputValidators,
  })
  const conn: Conn = { key: warmKey(t, o), client, transport, era: 'legacy', busy: 0, lastUsed: Date.now(), dead: false, used: false, calls: new Set(), served: 0 }
  client.onerror = (e) => {
    // The SDK reports a dropped stream here but would wait out the whole timeout: fail the calls now.
    if (!DROPPED.test(String((e as Error)?.message))) return
    const err = new AppError('upstream_error', 'The MCP server closed the connection mid-response.', { upstream: { reason: 'reset' } })
    const mine = callCtx.getStore()
    if (mine && conn.calls.has(mine)) mine.fail(err)
    else if (t.type === 'sse') fault(err)
  }
  client.onclose = () => { conn.dead = true }
  client.setNotificationHandler('notifications/tools/list_changed', () => forgetState(d, t.state, 'tools'))
  o.client?.setup(client, () => forgetState(d, t.state, 'tools'))
  const now = d.clock.now()
  const prior: PriorDiscovery | undefined = t.type === 'sse' ? { kind: 'legacy' } : probe ? undefined : eraFresh(await loadState(d, t.state), now)
  const opts = { signal, timeout: t.timeoutMs, maxTotalTimeout: t.timeoutMs }
  try {
    // The SDK bounds the handshake's requests but not its `notifications/initialized`, whose POST waits
    // as long as the upstream (or a connection pool full of its open streams) holds it: the connect as a
    // whole ends with `signal`, and closing the client aborts what it still has in flight.
    await until(client.connect(transport as any, { ...opts, ...(prior ? { prior } : {}) }), signal)
  } catch (e) {
    void client.close().catch(() => {})
    // A stale modern verdict fails loudly: forget it so the next call probes again.
    if (prior && t.type === 'http') forgetState(d, t.state, 'era')
    throw denied ?? (signal.aborted && e === signal.reason ? abortError(signal) : e)
  }
  conn.era = client.getProtocolEra?.() === 'modern' ? 'modern' : 'legacy'
  if (!prior && t.type === 'http') {
    const discover = client.getDiscoverResult?.()
    saveState(d, t.state, { era: conn.era === 'modern' && discover ? { kind: 'modern', discover } : { kind: 'legacy' }, era_at: now })
  }
  return conn
}

/** Why a connect was stopped: the call's own reason, or the connect's timeout. */
const abortError = (signal: AbortSignal) => (signal.reason instanceof AppError ? signal.reason : netError('timeout', signal.reason))

function close(conn: Conn): void {
  conn.dead = true
  const t = conn.transport
  const end = () => void conn.client.close().catch(() => {})
  // Release a legacy session upstream without making anyone wait for it.
  if (t.sessionId && t.terminateSession) void t.terminateSession().catch(() => {}).finally(end)
  else end()
}

/** Takes a connection out of the warm set; it closes now, or when its last call ends. */
function discard(conn: Conn): void {
  if (warm.get(conn.key)?.conn === conn) warm.delete(conn.key)
  if (conn.busy === 0) close(conn)
  else conn.dead = true
}

/** Closes idle connections past IDLE_MS, and the least recently used idle ones while over MAX_WARM. */
function sweep(now = Date.now()): void {
  const idle: Conn[] = []
  for (const [k, e] of warm) {
    if (!e.conn || e.conn.busy > 0) continue
    if (e.conn.dead) warm.delete(k)
    else idle.push(e.conn)
  }
  idle.sort((a, b) => a.lastUsed - b.lastUsed)
  let over = warm.size - MAX_WARM
  for (const c of idle) {
    if (now - c.lastUsed > IDLE_MS || over > 0) {
      warm.delete(c.key)
      close(c)
      over--
    }
  }
}

async function acquire(d: Deps, t: Target, o: ConnectOptions = {}): Promise<Conn> {
  const key = warmKey(t, o)
  const known = warm.get(key)
  if (known) {
    const c = known.conn ?? (await known.p.catch(() => undefined))
    if (c && !c.dead) return c
    if (warm.get(key) === known) warm.delete(key)
  }
  // The first caller's connect is shared by concurrent callers; it runs outside any one call's context.
  const stop = new AbortController()
  const signal = AbortSignal.any([AbortSignal.timeout(t.timeoutMs), stop.signal])
  const entry: Warm = { stop, ...(o.client ? { client: o.client.key } : {}), p: callCtx.exit(() => open(d, t, signal, o)) }
  warm.set(key, entry)
  entry.p.then((c) => { entry.conn = c }, () => { if (warm.get(key) === entry) warm.delete(key) })
  sweeper ??= setInterval(() => sweep(), 30_000).unref()
  if (warm.size > MAX_WARM) sweep()
  return entry.p
}

/** Waits for `p` unless `signal` aborts first (the shared connect goes on for others). */
function until<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason)
    signal.addEventListener('abort', stop, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop))
  })
}

/** The server forgot our session: HTTP 404 (or 400) to a request that carried it. */
const sessionGone = (e: unknown) => {
  const sdk = sdkIfLoaded()
  return Boolean(sdk && e instanceof sdk.SdkHttpError && (e.status === 404 || e.status === 400))
}

export interface ConnectOptions {
  /** A private connection, closed after the call (used when notifications must be attributed to this call). */
  fresh?: boolean
  /** With `fresh`: negotiate the protocol era anew instead of reusing the cached verdict (a health check). */
  probe?: boolean
  /** Added to the call's timeout: time spent waiting for the user's answers (2025 servers' open calls). */
  extraMs?: number
  /**
   * A client for a proxied agent (shared/agent): declares `capabilities`
   * upstream, `setup` installs its handlers on a new connection (`forgetTools`
   * is what a tools/list_changed must still do), and, when the agent declared
   * something the server may ask it mid-call, the SDK answers it as it
   * arrives (answers are collected, what comes before the response is
   * delivered as it comes: see `deliver` above). Warm connections are kept
   * apart by `key`.
   */
  client?: {
    key: string
    capabilities: Record<string, unknown>
    setup(client: ClientT, forgetTools: () => void): void
    /** 2026-07-28 `input_required` results are handed back to the caller, never fulfilled by the SDK (executions). */
    manual?: boolean
  }
}

export async function withSession<T>(d: Deps, t: Target, outer: AbortSignal, fn: (s: Session) => Promise<T>, o: ConnectOptions = {}): Promise<T> {
  const ac = new AbortController()
  let failure: AppError | undefined
  const fail = (e: AppError) => {
    failure ??= e
    if (!ac.signal.aborted) ac.abort(e)
  }
  let gone: AppError | undefined
  const onOuter = () => fail((gone = new AppError('cancelled', 'The client closed the request.')))
  if (outer.aborted) onOuter()
  outer.addEventListener('abort', onOuter, { once: true })
  const timeoutMs = t.timeoutMs + (o.extraMs ?? 0)
  const fresh = Boolean(o.fresh)
  const opts = { signal: ac.signal, timeout: timeoutMs, maxTotalTimeout: timeoutMs }
  // The call's timeout holds whatever the SDK's own timer does (progress resets
  // it; a busy stream delays it): a little later than the SDK's, which
  // normally answers first and keeps the warm connection.
  const deadline = setTimeout(() => fail(netError('timeout')), timeoutMs + DEADLINE_GRACE_MS)
  const me: CallCtx = { fail }
  try {
    return await callCtx.run(me, async () => {
      for (let attempt = 0; ; attempt++) {
        let conn: Conn
        try {
          conn = fresh ? await open(d, t, ac.signal, o) : await until(acquire(d, t, o), ac.signal)
        } catch (e) {
          throw failure ?? upstreamError(e)
        }
        conn.busy++
        conn.calls.add(me)
        try {
          const out = await fn({ client: conn.client, opts, era: conn.era })
          conn.used = true
          if (++conn.served >= MAX_CALLS && !fresh) discard(conn)
          return out
        } catch (e) {
          const err = failure ?? upstreamError(e)
          // The server forgot our session (404) or the warm connection broke: start again, once.
          const retry = !fresh && conn.used && attempt === 0 && !failure && (sessionGone(e) || conn.dead)
          // A caller leaving aborts only its own request; the warm connection stays.
          if (retry || conn.dead || (failure && failure !== gone) || ['authorization_required', 'egress_denied', 'upstream_response_too_large'].includes(err.code)) {
            discard(conn)
          }
          if (retry) continue
          throw err
        } finally {
          conn.calls.delete(me)
          conn.busy--
          conn.lastUsed = Date.now()
          if (fresh) close(conn)
          else if (conn.dead && conn.busy === 0) close(conn)
        }
      }
    })
  } finally {
    clearTimeout(deadline)
    outer.removeEventListener('abort', onOuter)
    if (me.gates) noteDropped(me.gates)
  }
}

/** Past the call's timeout, the call ends even if the SDK's timer has not fired. */
const DEADLINE_GRACE_MS = 250

/** What a call's gates dropped, on the request's log line. */
function noteDropped(gates: NotificationGate[]): void {
  const dropped = { list_changed: 0, progress: 0, other: 0 }
  for (const g of gates) {
    dropped.list_changed += g.dropped.list_changed
    dropped.progress += g.dropped.progress
    dropped.other += g.dropped.other
  }
  if (dropped.list_changed + dropped.progress + dropped.other > 0) logWithRequest('NOTICE', 'upstream notifications dropped', { notifications_dropped: dropped })
}

/** Tests: run the idle sweep as if it were `now`. */
export const _sweep = (now: number) => sweep(now)

/**
 * Ends a warm entry: a connection closes now if idle (or `now` in any case), else when its last call ends;
 * a connect still in flight is aborted with `reason` (it would otherwise run to the config's timeout)
 * and closed once it settles, which the returned promise waits for.
 */
function end(e: Warm, reason: AppError, now = false): Promise<void> {
  if (e.conn) {
    if (now) close(e.conn)
    else discard(e.conn)
    return Promise.resolve()
  }
  e.stop.abort(reason)
  return e.p.then(close, () => {})
}

/**
 * Closes the warm connections made for one client (`ConnectOptions.client.key`): a 2025 agent
 * session's own upstream sessions, when that session ends. A call still on one finishes first.
 */
export function closeClient(key: string): void {
  for (const e of [...warm.values()]) if (e.client === key) void end(e, new AppError('cancelled', 'The session that needed this connection ended.'))
}

/** Close every warm connection (shutdown, tests). */
export async function closeSessions(): Promise<void> {
  clearInterval(sweeper)
  sweeper = undefined
  const all = [...warm.values()]
  warm.clear()
  const reason = new AppError('unavailable', 'The gateway is shutting down.')
  await Promise.all(all.map((e) => end(e, reason, true)))
}
