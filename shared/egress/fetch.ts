/**
 * The fetch every upstream call goes through: the egress policy applied when a
 * connection is made (to the address actually dialled, so a second DNS answer
 * cannot differ from the checked one), keep-alive connection reuse, and a byte
 * cap on every response body. Redirects are not followed blindly. SSE answers
 * that nobody needs live can be collected whole (see `collect`).
 */
import { lookup } from 'node:dns/promises'
import { setMaxListeners } from 'node:events'
import { isIP } from 'node:net'
import type { Readable } from 'node:stream'
import { Agent, buildConnector, request } from 'undici'
import { createParser } from 'eventsource-parser'
import { AppError } from '../errors.js'
import { addressAllowed, checkUrl, type EgressPolicy } from './policy.js'

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>

export class EgressDenied extends AppError {
  constructor(what: string) {
    super('egress_denied', `The upstream ${what}; the egress policy does not allow it.`)
  }
}

const agents = new Map<string, Agent>()

function agentFor(policy: EgressPolicy): Agent {
  const key = JSON.stringify(policy)
  let agent = agents.get(key)
  if (agent) return agent
  const base = buildConnector({ timeout: 10_000 })
  agent = new Agent({
    keepAliveTimeout: 30_000,
    connections: 128,
    connect: (opts, cb) => {
      const host = opts.hostname.replace(/^\[|\]$/g, '')
      const pick = async (): Promise<string> => {
        // Node skips `lookup` for IP literals, so literals are checked here too.
        if (isIP(host)) {
          if (!addressAllowed(policy, host, host)) throw new EgressDenied('points at a private or reserved address')
          return host
        }
        const addrs = await lookup(host, { all: true })
        const ok = addrs.find((a) => addressAllowed(policy, a.address, host))
        if (!ok) throw new EgressDenied('resolves to a private or reserved address')
        return ok.address
      }
      pick().then(
        (address) => base({ ...opts, hostname: address, servername: isIP(host) ? undefined : (opts.servername ?? host) } as any, cb),
        (err) => cb(err, null),
      )
    },
  })
  agents.set(key, agent)
  return agent
}

export interface GuardOptions {
  /** Cap on any one response body. */
  maxBytes: number
  /** Called when a body passes the cap, before the stream errors. */
  onTooLarge?: () => void
  /**
   * Whether an SSE answer to this POST may be read whole before it is handed
   * over: true when no one needs its events as they arrive (no progress asked
   * for, no live log stream).
   */
  collect?: (init: RequestInit) => boolean
}

export class TooLarge extends AppError {
  constructor(limit: number) {
    super('upstream_response_too_large', `The upstream response exceeded ${limit} bytes.`, { limit })
  }
}

const NULL_BODY = new Set([101, 204, 205, 304])

// The SDK passes its transport's long-lived signal with every request, and
// undici listens on it while a request is in flight (and stops when it ends):
// one listener per concurrent call, up to a function instance's concurrency.
const IN_FLIGHT = 1000
const raised = new WeakSet<AbortSignal>()

export function guardedFetch(policy: EgressPolicy, opts: GuardOptions): FetchLike {
  const dispatcher = agentFor(policy)
  return async function guarded(input, init = {}) {
    let url = String(input instanceof URL ? input.href : input)
    for (let hop = 0; ; hop++) {
      const v = checkUrl(policy, url)
      if (!v.ok) throw new EgressDenied(`URL ${v.reason}`)
      const res = await send(url, init, dispatcher, opts)
      const location = res.headers.get('location')
      // Follow only same-origin redirects that keep method and body (307/308), at most 3.
      if ((res.status === 307 || res.status === 308) && location && hop < 3) {
        const next = new URL(location, url)
        if (next.origin === new URL(url).origin && !(init.body instanceof ReadableStream)) {
          await res.body?.cancel()
          url = next.href
          continue
        }
      }
      return res
    }
  }
}

/**
 * One HTTP exchange with undici's `request` (far lighter than its WHATWG
 * fetch), handed back as a standard Response, with the byte cap counted on
 * the socket's stream.
 */
async function send(url: string, init: RequestInit, dispatcher: Agent, opts: GuardOptions): Promise<Response> {
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
    r = await request(url, { method: (init.method ?? 'GET') as any, headers, body, signal: init.signal ?? undefined, dispatcher })
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
  if (init.method === 'POST' && opts.collect?.(init)) {
    const type = h.get('content-type') ?? ''
    if (r.statusCode === 200 && /^text\/event-stream\b/i.test(type)) return collectEvents(r.body, r.statusCode, h, opts)
    if (/^application\/json\b/i.test(type)) return readJson(r.body, r.statusCode, h, opts)
  }
  return new Response(webStream(r.body, opts), { status: r.statusCode, headers: h })
}

/**
 * An answer read whole: its JSON text, or the messages an SSE answer carried.
 * The MCP SDK reads a JSON answer with one `json()` call, where an SSE answer
 * costs it a decoder, a parser and a reader stream (a third of the gateway's
 * CPU per warm call), and a streamed JSON body a reader. `body` is null.
 */
class Whole extends Response {
  readonly #text: string | undefined
  readonly #value: unknown
  constructor(status: number, headers: Headers, content: { text: string } | { value: unknown }) {
    super(null, { status, headers })
    this.#text = 'text' in content ? content.text : undefined
    this.#value = 'value' in content ? content.value : undefined
  }
  override async json(): Promise<any> {
    return this.#text === undefined ? this.#value : JSON.parse(this.#text)
  }
  override async text(): Promise<string> {
    return this.#text ?? JSON.stringify(this.#value)
  }
}

/** A JSON answer read to its end under the byte cap. */
function readJson(body: Readable, status: number, h: Headers, opts: GuardOptions): Promise<Response> {
  const read: Buffer[] = []
  let n = 0
  return new Promise<Response>((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      n += chunk.length
      if (n > opts.maxBytes) {
        reject(new TooLarge(opts.maxBytes))
        body.removeAllListeners('data').once('error', () => {}).destroy()
        opts.onTooLarge?.()
        return
      }
      read.push(chunk)
    })
    body.once('end', () => resolve(new Whole(status, h, { text: Buffer.concat(read, n).toString('utf8') })))
    // What fetch's body reading rejects with when the connection is cut.
    body.once('error', (e) => reject(new TypeError('terminated', { cause: e })))
  })
}

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null && !Array.isArray(m)

/**
 * Reads an SSE answer to the end, under the byte cap. When it held only
 * JSON-RPC message events and at least one response, the messages come back
 * as JSON, in order. Otherwise the stream is handed over as it came (what was
 * read, then the rest): at once when the server sends us a request (it may be
 * waiting for the answer), after the end when the answer is missing (a
 * server that closes early for the client to resume), or on a read error
 * (which the stream reports after what arrived).
 */
function collectEvents(body: Readable, status: number, h: Headers, opts: GuardOptions): Promise<Response> {
  const read: Buffer[] = []
  const messages: unknown[] = []
  let plain = true
  let answered = false
  let n = 0
  const parser = createParser({
    onEvent(ev) {
      if (ev.event && ev.event !== 'message') return void (plain = false)
      if (!ev.data) return // priming events carry only an id
      let m: unknown
      try { m = JSON.parse(ev.data) } catch { return void (plain = false) }
      if (!isObject(m)) return void (plain = false)
      if ('method' in m && m.id !== undefined) plain = false // a request to us: it needs an answer now
      else if (!('method' in m) && m.id !== undefined) answered = true
      messages.push(m)
    },
  })
  const decoder = new TextDecoder()
  const stream = (error?: unknown) => new Response(webStream(body, opts, read, n, error), { status, headers: h })
  return new Promise<Response>((resolve, reject) => {
    const done = (r: Response | Error) => {
      body.off('data', onData).off('end', onEnd).off('error', onError)
      if (r instanceof Error) reject(r)
      else resolve(r)
    }
    const onData = (chunk: Buffer) => {
      n += chunk.length
      if (n > opts.maxBytes) {
        done(new TooLarge(opts.maxBytes))
        body.once('error', () => {}).destroy()
        opts.onTooLarge?.()
        return
      }
      read.push(chunk)
      parser.feed(decoder.decode(chunk, { stream: true }))
      if (!plain) {
        body.pause()
        done(stream())
      }
    }
    const collected = () => {
      h.set('content-type', 'application/json')
      h.delete('content-length')
      return new Whole(status, h, { value: messages.length === 1 ? messages[0] : messages })
    }
    const onEnd = () => {
      parser.feed(decoder.decode())
      done(plain && answered ? collected() : stream())
    }
    // A cut after the response still answered the call.
    const onError = (e: Error) => done(plain && answered ? collected() : stream(e))
    body.on('data', onData).once('end', onEnd).once('error', onError)
  })
}

/**
 * The socket's body as a web stream, counting bytes against the cap. Built by
 * hand: Node 20's Readable.toWeb throws on data that arrives after a cancel.
 * `read` is what was already taken off the socket (`n` bytes), and `error`
 * how the socket ended, if it already has.
 */
function webStream(body: Readable, opts: GuardOptions, read: Buffer[] = [], n = 0, error?: unknown): ReadableStream<Uint8Array> {
  let open = true
  return new ReadableStream<Uint8Array>({
    start(ctl) {
      for (const chunk of read) ctl.enqueue(chunk)
      if (error !== undefined) return // reported by pull, once what arrived has been read
      if (body.readableEnded) {
        open = false
        ctl.close()
        return
      }
      body.on('data', (chunk: Buffer) => {
        if (!open) return
        n += chunk.length
        if (n > opts.maxBytes) {
          open = false
          opts.onTooLarge?.()
          ctl.error(new TooLarge(opts.maxBytes))
          body.destroy()
          return
        }
        ctl.enqueue(chunk)
        if ((ctl.desiredSize ?? 1) <= 0) body.pause()
      })
      body.once('end', () => { if (open) { open = false; ctl.close() } })
      body.once('error', (e) => { if (open) { open = false; ctl.error(e) } })
    },
    pull(ctl) {
      if (error === undefined) return void body.resume()
      open = false
      ctl.error(error)
    },
    cancel() {
      open = false
      body.destroy()
    },
  })
}
