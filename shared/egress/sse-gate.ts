/**
 * An upstream SSE answer parsed into events and put through a gate before the
 * MCP SDK sees it: the events the gate lets through come out as SSE text again
 * (the MCP SDK then parses only those), the others are dropped here, having
 * cost one parse each. The byte cap is counted on the socket, so dropped
 * events still count in it.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser'

export type Message = Record<string, unknown>

/** Decides which messages go on: calls `emit` for each (in order), for `m` or for messages it held back earlier. `m` is undefined for an event that is not a JSON-RPC message. */
export interface MessageGate {
  pass(m: Message | undefined, emit: (m: Message | undefined) => void): void
}

/** What went through: an event as it came, or a message the gate held and released later. */
export type Passed = { ev: EventSourceMessage; m: Message | undefined } | { ev?: undefined; m: Message }

const isObject = (m: unknown): m is Message => typeof m === 'object' && m !== null && !Array.isArray(m)

/** SSE text for what passed (`data` split on line breaks, as the format requires). */
export function frame(p: Passed): string {
  if (!p.ev) return `event: message\ndata: ${JSON.stringify(p.m)}\n\n`
  const { id, event, data } = p.ev
  return `${id !== undefined ? `id: ${id}\n` : ''}${event ? `event: ${event}\n` : ''}data: ${data.replace(/\r\n|\r|\n/g, '\ndata: ')}\n\n`
}

export class SseGate {
  private parser
  private decoder = new TextDecoder()
  private primed = false

  constructor(gate: MessageGate, out: (p: Passed) => void) {
    this.parser = createParser({
      onEvent: (ev) => {
        // Priming events carry only an id (the resumption point): the first one is enough.
        if (!ev.data) {
          if (!this.primed) out({ ev, m: undefined })
          this.primed = true
          return
        }
        let m: Message | undefined
        if (!ev.event || ev.event === 'message') {
          try {
            const v: unknown = JSON.parse(ev.data)
            if (isObject(v)) m = v
          } catch {}
        }
        gate.pass(m, (x) => out(x === m ? { ev, m } : { m: x! }))
      },
    })
  }

  feed(chunk: Uint8Array): void {
    this.parser.feed(this.decoder.decode(chunk, { stream: true }))
  }

  end(): void {
    this.parser.feed(this.decoder.decode())
  }
}
