/**
 * Upstream answer bodies under the byte cap: as a web stream (counted on the
 * socket's stream), or read whole and handed over without a body stream.
 */
import type { Readable } from 'node:stream'
import { createParser } from 'eventsource-parser'
import { AppError } from '../errors.js'

export interface Cap {
  /** Cap on any one response body. */
  maxBytes: number
  /** Called when a body passes the cap, before the stream errors. */
  onTooLarge?: () => void
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

/** A JSON answer read to its end under the byte cap. */
export function readJson(body: Readable, status: number, h: Headers, opts: Cap): Promise<Response> {
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
export function collectEvents(body: Readable, status: number, h: Headers, opts: Cap): Promise<Response> {
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
export function webStream(body: Readable, opts: Cap, read: Buffer[] = [], n = 0, error?: unknown): ReadableStream<Uint8Array> {
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
