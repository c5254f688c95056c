/**
 * The fetch every upstream call goes through: the egress policy applied when a
 * connection is made (to the address actually dialled, so a second DNS answer
 * cannot differ from the checked one), keep-alive connection reuse, and a byte
 * cap on every response body. Redirects are not followed blindly. Answers
 * can be read whole, what comes before the response delivered as it arrives
 * (see `collect`, `deliver` and body.ts).
 */
import { AsyncResource } from 'node:async_hooks'
import { lookup } from 'node:dns/promises'
import { setMaxListeners } from 'node:events'
import { isIP } from 'node:net'
import { Agent, buildConnector, request } from './undici.js'
import { AppError } from '../errors.js'
import { addressAllowed, checkUrl, type EgressPolicy } from './policy.js'
import { collectEvents, readJson, TooLarge, webStream, type Cap } from './body.js'
import { SseGate, type MessageGate, type Passed } from './sse-gate.js'

export { TooLarge } from './body.js'

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>

export class EgressDenied extends AppError {
  constructor(what: string) {
    super('egress_denied', `The upstream ${what}; the egress policy does not allow it.`)
  }
}

/** Name resolution: every address a name has (the system resolver unless a test passes its own). */
export type Lookup = (host: string) => Promise<Array<{ address: string; family: number }>>
const systemLookup: Lookup = (host) => lookup(host, { all: true })

const agents = new Map<Lookup, Map<string, Agent>>()

/**
 * `connections`: sockets per origin, or null for as many as are asked for
 * (the pool of long-lived streams, whose number the warm connections bound).
 */
function agentFor(policy: EgressPolicy, resolve: Lookup, connections: number | null): Agent {
  const key = `${connections}|${JSON.stringify(policy)}`
  let byPolicy = agents.get(resolve)
  if (!byPolicy) agents.set(resolve, (byPolicy = new Map()))
  let agent = byPolicy.get(key)
  if (agent) return agent
  const base = buildConnector({ timeout: 10_000 })
  agent = new Agent({
    keepAliveTimeout: 30_000,
    connections,
    connect: (opts, cb) => {
      const host = opts.hostname.replace(/^\[|\]$/g, '')
      const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80)
      const pick = async (): Promise<string> => {
        // Node skips `lookup` for IP literals, so literals are checked here too.
        if (isIP(host)) {
          if (!addressAllowed(policy, host, host, port)) throw new EgressDenied('points at a private or reserved address')
          return host
        }
        const addrs = await resolve(host)
        const ok = addrs.find((a) => addressAllowed(policy, a.address, host, port))
        if (!ok) throw new EgressDenied('resolves to a private or reserved address')
        return ok.address
      }
      pick().then(
        (address) => base({ ...opts, hostname: address, servername: isIP(host) ? undefined : (opts.servername ?? host) } as any, cb),
        (err) => cb(err, null),
      )
    },
  })
  byPolicy.set(key, agent)
  return agent
}

export interface GuardOptions extends Cap {
  /**
   * Whether the answer to this POST (SSE or JSON) may be read whole before it
   * is handed over (the MCP sessions always do, with `deliver` for what
   * comes before the response); false hands an SSE answer over as it comes.
   */
  collect?: (init: RequestInit) => boolean
  /** Name resolution for the connect-time check (default: the system resolver). */
  lookup?: Lookup
  /** Sockets per upstream origin (EGRESS_CONNECTIONS_PER_ORIGIN, default 128); more requests queue. */
  connections?: number
  /**
   * The gate the JSON-RPC messages of this answer pass before the client
   * sees them (SSE answers and JSON batches); none means all pass. A GET
   * (a long-lived stream of many answers) is capped per answer.
   */
  gate?: (init: RequestInit) => MessageGate | undefined
  /**
   * Where each message of a collected SSE answer but the response goes, as it
   * arrives (progress, logs, a server's request), as the client would have
   * taken it off the stream; only the response is collected (see
   * `collectEvents`). None: a request from the server makes the answer a
   * stream handed over as it came.
   */
  deliver?: (m: Record<string, unknown>) => void
}

const NULL_BODY = new Set([101, 204, 205, 304])

// The SDK passes its transport's long-lived signal with every request, and
// undici listens on it while a request is in flight (and stops when it ends):
// one listener per concurrent call, up to a function instance's concurrency.
const IN_FLIGHT = 1000
const raised = new WeakSet<AbortSignal>()

export function guardedFetch(policy: EgressPolicy, opts: GuardOptions): FetchLike {
  const resolve = opts.lookup ?? systemLookup
  // Requests and long-lived streams never share a pool: a stream holds its socket for as long as the
  // server keeps it open, and streams held to one origin (one per 2025 upstream session) would
  // otherwise take every socket its requests need, anyone's (docs/decisions.md "Streams apart").
  const pools: Pools = { calls: agentFor(policy, resolve, opts.connections ?? 128), streams: agentFor(policy, resolve, null) }
  return async function guarded(input, init = {}) {
    let url = String(input instanceof URL ? input.href : input)
    for (let hop = 0; ; hop++) {
      const v = checkUrl(policy, url)
      if (!v.ok) throw new EgressDenied(`${hop ? 'redirect target' : 'URL'} ${v.reason}`)
      const res = await send(url, init, pools, opts)
      const location = res.headers.get('location')
      if (res.status >= 300 && res.status < 400 && location) {
        let next: URL | undefined
        try { next = new URL(location, url) } catch { /* not a URL: handed over as it came */ }
        // A redirect somewhere the policy refuses is refused as such, followed or not.
        const target = next && checkUrl(policy, next.href)
        if (target && !target.ok) {
          await res.body?.cancel()
          throw new EgressDenied(`redirects to a URL that ${target.reason}`)
        }
        // Follow only same-origin redirects that keep method and body (307/308), at most 3.
        if ((res.status === 307 || res.status === 308) && next && hop < 3 && next.origin === new URL(url).origin && !(init.body instanceof ReadableStream)) {
          await res.body?.cancel()
          url = next.href
          continue
        }
      }
      return res
    }
  }
}

interface Pools { calls: Agent; streams: Agent }

/** A GET that asks for an event stream: a 2025 server's standalone stream, or the old SSE transport's. */
const isStream = (method: string, headers: Record<string, string>) => method === 'GET' && /\btext\/event-stream\b/i.test(headers.accept ?? '')

/**
 * One HTTP exchange with undici's `request` (far lighter than its WHATWG
 * fetch), handed back as a standard Response, with the byte cap counted on
 * the socket's stream.
 */
async function send(url: string, init: RequestInit, pools: Pools, opts: GuardOptions): Promise<Response> {
  let body = (init.body ?? undefined) as string | Uint8Array | undefined
  const headers: Record<string, string> = {}
  new Headers(init.headers).forEach((v, k) => { headers[k] = v })
  if (body != null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    // Form data, blobs, streams: serialised the way fetch would, with fetch's content type.
    const r = new Response(body as BodyInit)
    const type = r.headers.get('content-type')
    if (type) headers['content-type'] ??= type
    body = new Uint8Array(await r.arrayBuffer())
  }
  if (init.signal && !raised.has(init.signal)) {
    raised.add(init.signal)
    setMaxListeners(IN_FLIGHT, init.signal)
  }
  let r: Awaited<ReturnType<typeof request>>
  try {
    const method = init.method ?? 'GET'
    const dispatcher = isStream(method, headers) ? pools.streams : pools.calls
    r = await request(url, { method: method as any, headers, body, signal: init.signal ?? undefined, dispatcher })
  } catch (e: any) {
    if (e instanceof AppError || init.signal?.aborted || e?.name === 'AbortError') throw e
    // What fetch throws for a network failure, with the reason as its cause.
    throw new TypeError('fetch failed', { cause: e })
  }
  const h = new Headers()
  for (const [k, v] of Object.entries(r.headers)) {
    if (Array.isArray(v)) for (const x of v) h.append(k, x)
    else if (v !== undefined) h.set(k, v)
  }
  const declared = Number(h.get('content-length') ?? NaN)
  if (declared > opts.maxBytes) {
    r.body.destroy()
    opts.onTooLarge?.()
    throw new TooLarge(opts.maxBytes)
  }
  if (NULL_BODY.has(r.statusCode) || init.method === 'HEAD') {
    await r.body.dump().catch(() => {})
    return new Response(null, { status: r.statusCode, headers: h })
  }
  const type = h.get('content-type') ?? ''
  const sse = r.statusCode === 200 && /^text\/event-stream\b/i.test(type)
  const gate = opts.gate?.(init)
  if (init.method === 'POST') {
    // Accepted (a notification's or a response's POST): the SDK reads its body as text and drops it;
    // read whole, as text, without a web stream.
    if (r.statusCode === 202) return readJson(r.body, r.statusCode, h, opts)
    const collect = opts.collect?.(init)
    // Delivered in this request's async context (the call's, which the client's handlers find it by), not the socket's.
    if (collect && sse) return collectEvents(r.body, r.statusCode, h, opts, gate, gate && opts.deliver && AsyncResource.bind(opts.deliver))
    if ((collect || gate) && /^application\/json\b/i.test(type)) return readJson(r.body, r.statusCode, h, opts, gate)
  }
  if (gate && sse) {
    const passed: Passed[] = []
    const cap = init.method === 'GET' ? { ...opts, perAnswer: true } : opts
    return new Response(webStream(r.body, cap, [], 0, undefined, new SseGate(gate, (p) => passed.push(p)), passed), { status: r.statusCode, headers: h })
  }
  return new Response(webStream(r.body, opts), { status: r.statusCode, headers: h })
}
