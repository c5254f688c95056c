/**
 * Server-sent events from a fetch Response body, parsed with eventsource-parser
 * (the WHATWG algorithm: multi-line data, comments, CRLF), one `{event, data}`
 * at a time with `data` parsed as JSON. Stopping the iteration (break, return,
 * an abort) cancels the body, which closes the request.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { clientError } from './errors.js'

export interface StreamEvent<E extends string = string> {
  event: E
  data: any
}

export async function* readEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
  const queue: EventSourceMessage[] = []
  const parser = createParser({ onEvent: (m) => queue.push(m) })
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const onAbort = () => void reader.cancel().catch(() => {})
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      while (queue.length) {
        const m = queue.shift()!
        let data: unknown
        try {
          data = m.data === '' ? null : JSON.parse(m.data)
        } catch {
          throw clientError('invalid_response', `The gateway sent an event whose data is not JSON (${m.event ?? 'message'}).`)
        }
        yield { event: m.event ?? 'message', data }
      }
      if (signal?.aborted) throw signal.reason ?? clientError('aborted', 'Aborted.')
      const { done, value } = await reader.read()
      if (done) {
        if (signal?.aborted) throw signal.reason ?? clientError('aborted', 'Aborted.')
        parser.feed(decoder.decode())
        if (!queue.length) return
        continue
      }
      parser.feed(decoder.decode(value, { stream: true }))
    }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    await reader.cancel().catch(() => {})
  }
}
