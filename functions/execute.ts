/**
 * `execute`: run one tool, and the executions that interactive or async calls
 * become. JSON by default; with `Accept: text/event-stream` it streams
 * `progress` and `log` events (and `input_required` for an interactive
 * execution, then follows it whichever instance takes the answer), then
 * exactly one `result` or `error`. `Prefer: respond-async` answers 202.
 */
import { serve, header, type Ctx, type Route } from '../shared/http.js'
import { executeOrStart, loadExecutions } from '../shared/mcp/execute.js'
import { problem } from '../shared/errors.js'
import { SseWriter } from '../shared/sse.js'
import { logWithRequest } from '../shared/log.js'

const isAsync = (c: Ctx) => /(^|[\s,;])respond-async([\s,;]|$)/i.test(header(c.req, 'prefer') ?? '')
const streams = (c: Ctx) => (header(c.req, 'accept') ?? '').includes('text/event-stream')
/** An answer waits this long for a 2025 call to stop again, then answers 202 (below Hosting's 60 s). */
const ANSWER_WAIT_MS = 50_000

const routes: Route[] = [
  {
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/tools\/(?<tool>[^/]+)\/execute$/,
    run: async (c) => {
      const body = await c.body()
      const id = c.param('id')
      const tool = c.param('tool')
      const onRateLimit = (h: Record<string, string>) => { for (const [k, v] of Object.entries(h)) c.res.setHeader(k, v) }
      const how = { async: isAsync(c) }
      if (!streams(c)) {
        const r = await executeOrStart(c.deps, c.caller, id, tool, body, c.signal, { onRateLimit }, how)
        if (!('started' in r)) return { status: 200, body: { ...r, status: 'completed' } }
        const x = await loadExecutions()
        if (how.async) return x.accepted(r.started.id, r.started.e)
        return x.replyFor(c.deps, r.started.id, await r.started.stopped)
      }
      const sse = new SseWriter(c.res)
      try {
        const r = await executeOrStart(c.deps, c.caller, id, tool, body, c.signal, {
          onStart: () => sse.start(),
          onProgress: (p) => sse.send('progress', p),
          onLog: (l) => sse.send('log', l),
          onRateLimit,
        }, { async: false })
        if (!('started' in r)) sse.send('result', { ...r, status: 'completed' })
        else {
          const first = await r.started.stopped
          // A failure before the call got going (404, 409, upstream down) is a plain problem+json answer.
          if (!sse.started && (first.status === 'failed' || first.status === 'cancelled')) {
            const { replyFor } = await loadExecutions()
            return replyFor(c.deps, r.started.id, first)
          }
          const { follow } = await import('../shared/executions/stream.js')
          sse.start()
          await follow(c.deps, r.started, sse, c.signal)
        }
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
  // ---- executions (docs/api.md#executions) ----
  {
    method: 'GET', path: /^\/executions\/(?<id>[^/]+)$/,
    run: async (c) => {
      const { readExecution } = await loadExecutions()
      return { status: 200, body: await readExecution(c.deps, c.caller, c.param('id')) }
    },
  },
  {
    method: 'DELETE', path: /^\/executions\/(?<id>[^/]+)$/,
    run: async (c) => {
      const { cancelExecution } = await loadExecutions()
      await cancelExecution(c.deps, c.caller, c.param('id'))
      return { status: 204 }
    },
  },
  {
    method: 'POST', path: /^\/executions\/(?<id>[^/]+)\/input$/,
    run: async (c) => {
      const x = await loadExecutions()
      const id = c.param('id')
      const r = await x.answerExecution(c.deps, c.caller, id, await c.body(), { waitMs: isAsync(c) ? 0 : ANSWER_WAIT_MS })
      if (isAsync(c) && !['completed', 'failed', 'cancelled', 'input_required'].includes(r.e.status)) return x.accepted(id, r.e)
      return x.replyFor(c.deps, id, r.stopped ? await r.stopped : r.e)
    },
  },
]

export const handler = serve('execute', routes)
