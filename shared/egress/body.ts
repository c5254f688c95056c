/**
 * Upstream answer bodies under the byte cap: as a web stream (counted on the
 * socket's stream), or read whole and handed over without a body stream.
 */
import type { Readable } from 'node:stream'
import { AppError } from '../errors.js'
import { frame, SseGate, type Message, type MessageGate, type Passed } from './sse-gate.js'

export interface Cap {
  /** Cap on any one response body. */
  maxBytes: number
  /** Called when a body passes the cap, before the stream errors. */
  onTooLarge?: () => void
  /**
   * For a long-lived stream that carries many answers (the HTTP+SSE
   * transport's, or a GET stream): the cap applies to what arrives between
   * two responses, not to the stream's whole life.
   */
  perAnswer?: boolean
}

export class TooLarge extends AppError {
  constructor(limit: number) {
    super('upstream_response_too_large', `The upstream response exceeded ${limit} bytes.`, { limit })
  }
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

/**
 * A JSON answer (or an accepted one's body, 202) read to its end under the byte cap. With a `gate`, a batch
 * (an array of messages) keeps only what the gate lets through.
 */
export function readJson(body: Readable, status: number, h: Headers, opts: Cap, gate?: MessageGate): Promise<Response> {
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
    body.once('end', () => {
      const text = Buffer.concat(read, n).toString('utf8')
      resolve(new Whole(status, h, gate && text.trimStart().startsWith('[') ? gated(text, gate) : { text }))
    })
    // What fetch's body reading rejects with when the connection is cut.
    body.once('error', (e) => reject(new TypeError('terminated', { cause: e })))
  })
}

function gated(text: string, gate: MessageGate): { text: string } | { value: unknown } {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return { text }
  }
  if (!Array.isArray(v)) return { value: v }
  const kept: unknown[] = []
  for (const m of v) {
    const obj = typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined
    gate.pass(obj, (x) => kept.push(x === obj ? m : x))
  }
  return { value: kept }
}

/**
 * Reads an SSE answer to the end, under the byte cap. When it held only
 * JSON-RPC message events and at least one response, the messages come back
 * as JSON, in order. Otherwise the stream is handed over as it came (what was
 * read, then the rest): after the end when the answer is missing (a server
 * that closes early for the client to resume), on a read error (which the
 * stream reports after what arrived), or, without `deliver`, at once when the
 * server sends us a request (it may be waiting for the answer).
 *
 * With `deliver` (and a `gate`), every message but a response goes to it as
 * it arrives (after any collected before it), as the client would have taken
 * it off the stream: progress, logs, and a 2025 server's question on the open
 * call, which the client answers while this answer is still being read. Only
 * the response is collected, so a call costs the client no stream.
 *
 * With a `gate`, only the events it lets through are kept and handed over (as
 * SSE text again when the stream is handed over, less what was delivered,
 * whose last event id still reaches the client for resuming); every byte read
 * counts in the cap.
 */
export function collectEvents(body: Readable, status: number, h: Headers, opts: Cap, gate?: MessageGate, deliver?: (m: Message) => void): Promise<Response> {
  const read: Buffer[] = []
  const passed: Passed[] = []
  const messages: unknown[] = []
  let plain = true
  let answered = false
  let n = 0
  const live = gate && deliver
  const onPassed = (p: Passed) => {
    if (p.ev?.event && p.ev.event !== 'message') return void (plain = false)
    if (p.ev && !p.ev.data) return // priming events carry only an id
    const m = p.m
    if (!m) return void (plain = false)
    const response = !('method' in m) && m.id !== undefined
    if (response) answered = true
    if (live && !response) {
      // Handed over later, the stream starts after it: its id (or the last one before) says where.
      let id: string | undefined
      for (const x of passed) if (x.ev?.id !== undefined) id = x.ev.id
      passed.length = 0
      if (id !== undefined) passed.push({ ev: { id, data: '' }, m: undefined })
      for (const x of messages.splice(0)) live(x as Message)
      return live(m)
    }
    if ('method' in m && m.id !== undefined) plain = false // a request to us: it needs an answer now
    messages.push(m)
  }
  let collecting = true
  const sse = new SseGate(gate ?? PASS_ALL, (p) => {
    if (gate) passed.push(p)
    if (collecting) onPassed(p)
  })
  const stream = (error?: unknown) => {
    collecting = false
    const head = gate ? [Buffer.from(passed.map(frame).join(''))] : read
    return new Response(webStream(body, opts, head, n, error, gate ? sse : undefined, passed), { status, headers: h })
  }
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
      if (!gate) read.push(chunk)
      sse.feed(chunk)
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
      sse.end()
      done(plain && answered ? collected() : stream())
    }
    // A cut after the response still answered the call.
    const onError = (e: Error) => done(plain && answered ? collected() : stream(e))
    body.on('data', onData).once('end', onEnd).once('error', onError)
  })
}

const PASS_ALL: MessageGate = { pass: (m, emit) => emit(m) }

/**
 * The socket's body as a web stream, counting bytes against the cap. Built by
 * hand: Node 20's Readable.toWeb throws on data that arrives after a cancel.
 * `read` is what was already taken off the socket (`n` bytes), and `error`
 * how the socket ended, if it already has. With `sse` (an SSE answer behind a
 * gate), what follows goes through it, and `passed` is where it puts what it
 * lets through (drained into the stream as it fills).
 */
export function webStream(body: Readable, opts: Cap, read: Buffer[] = [], n = 0, error?: unknown, sse?: SseGate, passed: Passed[] = []): ReadableStream<Uint8Array> {
  let open = true
  passed.length = 0
  return new ReadableStream<Uint8Array>({
    start(ctl) {
      for (const chunk of read) ctl.enqueue(chunk)
      if (error !== undefined) return // reported by pull, once what arrived has been read
      if (body.readableEnded) {
        open = false
        ctl.close()
        return
      }
      const drain = () => {
        if (!passed.length) return
        ctl.enqueue(Buffer.from(passed.map(frame).join('')))
        for (const p of passed) if (p.m && !('method' in p.m) && opts.perAnswer) n = 0
        passed.length = 0
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
        if (sse) {
          sse.feed(chunk)
          drain()
        } else ctl.enqueue(chunk)
        if ((ctl.desiredSize ?? 1) <= 0) body.pause()
      })
      body.once('end', () => {
        if (!open) return
        open = false
        sse?.end()
        drain()
        ctl.close()
      })
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
