/**
 * `execute`: run one tool. JSON by default; with `Accept: text/event-stream`
 * it streams `progress` and `log` events, then exactly one `result` or `error`.
 */
import { serve, header, type Route } from '../shared/http.js'
import { execute } from '../shared/mcp/execute.js'
import { problem } from '../shared/errors.js'
import { SseWriter } from '../shared/sse.js'
import { logWithRequest } from '../shared/log.js'

const routes: Route[] = [
  {
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/tools\/(?<tool>[^/]+)\/execute$/,
    run: async (c) => {
      const body = await c.body()
      const id = c.param('id')
      const tool = c.param('tool')
      const onRateLimit = (h: Record<string, string>) => { for (const [k, v] of Object.entries(h)) c.res.setHeader(k, v) }
      if (!(header(c.req, 'accept') ?? '').includes('text/event-stream')) {
        return { status: 200, body: await execute(c.deps, c.caller, id, tool, body, c.signal, { onRateLimit }) }
      }
      const sse = new SseWriter(c.res)
      try {
        const result = await execute(c.deps, c.caller, id, tool, body, c.signal, {
          onStart: () => sse.start(),
          onProgress: (p) => sse.send('progress', p),
          onLog: (l) => sse.send('log', l),
          onRateLimit,
        })
        sse.send('result', result)
      } catch (e) {
        // Failures before the stream opened are ordinary problem+json responses.
        if (!sse.started) throw e
        const p = problem(e).body
        // The request's log line says why, as for a failure answered before the stream opened.
        const reason = (p.upstream as { reason?: unknown } | undefined)?.reason
        if (typeof reason === 'string') logWithRequest('WARNING', 'upstream failed mid-stream', { upstream: { reason } })
        sse.send('error', p)
      }
      sse.end()
      return null
    },
  },
]

export const handler = serve('execute', routes)
