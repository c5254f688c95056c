/**
 * Structured logs as JSON lines in Cloud Logging's format. Secrets never reach
 * here: callers log ids, codes and durations, and `redact` scrubs known secret
 * shapes from free text as a last line of defence.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR'

interface LogContext {
  trace?: string
  requestId?: string
  fn?: string
  /** Fields for the request's own log line (e.g. its audit record), written once when it completes. */
  extra?: Record<string, unknown>
}
export const logContext = new AsyncLocalStorage<LogContext>()

type Sink = (line: string) => void

// stdout on a pipe is synchronous on Linux: batch the lines of one tick into one write.
let buffered: string[] = []
let scheduled = false
const flush = () => {
  scheduled = false
  if (!buffered.length) return
  const text = buffered.join('')
  buffered = []
  process.stdout.write(text)
}
process.once('exit', flush)
const stdoutSink: Sink = (line) => {
  buffered.push(line + '\n')
  if (!scheduled) {
    scheduled = true
    setImmediate(flush)
  }
}
let sink: Sink = stdoutSink
/** Tests capture lines to prove no secret is ever logged. */
export function setLogSink(s: Sink): Sink {
  const prev = sink
  sink = s
  return prev
}

const SECRETISH = /(bearer\s+)[A-Za-z0-9\-._~+/]+=*|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/gi
export const redact = (s: string) => s.replace(SECRETISH, (_m, p1) => (p1 ? `${p1}[redacted]` : '[redacted-jwt]'))

/** Adds fields to the current request's completion log line; outside a request, logs them now. */
export function logWithRequest(severity: Severity, message: string, fields: Record<string, unknown>): void {
  const ctx = logContext.getStore()
  if (ctx?.requestId) ctx.extra = { ...ctx.extra, ...fields }
  else log(severity, message, fields)
}

export function log(severity: Severity, message: string, fields: Record<string, unknown> = {}): void {
  const ctx = logContext.getStore()
  const entry: Record<string, unknown> = { severity, message: redact(message), ...fields, time: new Date().toISOString() }
  if (ctx?.trace) entry['logging.googleapis.com/trace'] = ctx.trace
  if (ctx?.requestId) entry.request_id = ctx.requestId
  if (ctx?.fn) entry.function = ctx.fn
  sink(JSON.stringify(entry))
}

/** `X-Cloud-Trace-Context: TRACE/SPAN;o=1` or W3C `traceparent` → `projects/P/traces/TRACE`. */
export function traceOf(headers: Record<string, string | string[] | undefined>, projectId?: string): string | undefined {
  const x = headers['x-cloud-trace-context']
  const tp = headers['traceparent']
  let id: string | undefined
  if (typeof x === 'string') id = /^([0-9a-f]{32})/i.exec(x)?.[1]
  if (!id && typeof tp === 'string') id = /^[0-9a-f]{2}-([0-9a-f]{32})-/i.exec(tp)?.[1]
  if (!id) return undefined
  return projectId ? `projects/${projectId}/traces/${id}` : id
}
