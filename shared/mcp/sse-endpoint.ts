/**
 * The legacy SSE transport's `endpoint` event names where the client POSTs.
 * The SDK refuses an endpoint on another origin, but only with a generic
 * error; this watches the stream for that event so a URL the egress policy
 * refuses is reported as such (403 egress_denied), before the SDK sees it.
 */
import { createParser } from 'eventsource-parser'
import { EgressDenied } from '../egress/fetch.js'
import { checkUrl, type EgressPolicy } from '../egress/policy.js'

/** `res` unchanged, or with its body passed through a watch for the first `endpoint` event. */
export function watchEndpoint(res: Response, base: string, policy: EgressPolicy, onDenied: (e: EgressDenied) => void): Response {
  if (!res.ok || !res.body || !/^text\/event-stream\b/i.test(res.headers.get('content-type') ?? '')) return res
  let seen = false
  const parser = createParser({
    onEvent(ev) {
      if (seen || ev.event !== 'endpoint') return
      seen = true
      let url: URL
      try {
        url = new URL(ev.data, base)
      } catch {
        return // the SDK reports it
      }
      const v = checkUrl(policy, url.href)
      if (!v.ok) onDenied(new EgressDenied(`SSE endpoint event names a URL that ${v.reason}`))
    },
  })
  const decoder = new TextDecoder()
  const watched = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      // Checked before the chunk goes on, so the verdict is in before the SDK acts on the event.
      transform(chunk, ctl) {
        if (!seen) parser.feed(decoder.decode(chunk, { stream: true }))
        ctl.enqueue(chunk)
      },
    }),
  )
  return new Response(watched, { status: res.status, statusText: res.statusText, headers: res.headers })
}
