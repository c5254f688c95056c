/**
 * Structured logs as JSON lines in Cloud Logging's format. Secrets never reach
 * here: callers log ids, codes and durations, and `redact` scrubs known secret
 * shapes from free text as a last line of defence. A request that reads a
 * config's secrets registers their values (`registerSecrets`); from then on
 * its log lines and its responses (http.ts, sse.ts) have them masked, so an
 * upstream that echoes a credential back cannot pass it on.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR'

interface LogContext {
  trace?: string
  requestId?: string
  fn?: string
  /** Fields for the request's own log line (e.g. its audit record), written once when it completes. */
  extra?: Record<string, unknown>
  /** Secret values this request has read, longest first (see registerSecrets). */
  secrets?: string[]
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
/** Known secret shapes and the request's secret values, masked. */
export const redact = (s: string) => maskSecrets(s).replace(SECRETISH, (_m, p1) => (p1 ? `${p1}[redacted]` : '[redacted-jwt]'))

/**
 * Values shorter than this are not masked: a short token would mask ordinary
 * words and numbers everywhere (and is weak anyway).
 */
export const MIN_SECRET_LENGTH = 8
export const MASK = '[redacted]'

/** Registers secret values read by the current request: its log lines and responses mask them from now on. */
export function registerSecrets(values: Iterable<string | null | undefined>): void {
  const ctx = logContext.getStore()
  if (!ctx) return
  let added = false
  const list = (ctx.secrets ??= [])
  for (const v of values) {
    if (typeof v !== 'string' || v.length < MIN_SECRET_LENGTH) continue
    // Also as it appears inside a JSON string, and inside JSON text carried in a JSON string
    // (an upstream's JSON repeated in our JSON): quotes, backslashes and control characters escaped.
    const once = JSON.stringify(v).slice(1, -1)
    for (const form of new Set([v, once, JSON.stringify(once).slice(1, -1)])) {
      if (!list.includes(form)) {
        list.push(form)
        added = true
      }
    }
  }
  // Longest first, so a secret that contains another is masked whole.
  if (added) list.sort((a, b) => b.length - a.length)
}

/** `text` with every registered secret value of the request replaced by `[redacted]`; one scan per value. */
export function maskSecrets(text: string, secrets = logContext.getStore()?.secrets): string {
  if (!secrets?.length) return text
  // Every match is found in the original (flat) text first, then the result is built once:
  // searching a string already rebuilt is many times slower.
  let hits: [number, number][] | undefined
  for (const s of secrets) {
    for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + s.length)) (hits ??= []).push([at, at + s.length])
  }
  if (!hits) return text
  hits.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  let out = ''
  let from = 0
  for (const [a, b] of hits) {
    if (a < from) from = Math.max(from, b) // overlaps what is already masked
    else {
      out += text.slice(from, a) + MASK
      from = b
    }
  }
  return out + text.slice(from)
}

/** A masker bound to the current request's secrets, for output written from other async contexts (streams). */
export function secretMasker(): (text: string) => string {
  const ctx = logContext.getStore()
  return (text) => maskSecrets(text, ctx?.secrets)
}

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
  sink(maskSecrets(JSON.stringify(entry), ctx?.secrets))
}

/** `X-Cloud-Trace-Context: TRACE/SPAN;o=1` or W3C `traceparent` → `projects/P/traces/TRACE`. */
export function traceOf(headers: Record<string, string | string[] | undefined>, projectId?: string): string | undefined {
  const x = headers['x-cloud-trace-context']
  const tp = headers.traceparent
  let id: string | undefined
  if (typeof x === 'string') id = /^([0-9a-f]{32})/i.exec(x)?.[1]
  if (!id && typeof tp === 'string') id = /^[0-9a-f]{2}-([0-9a-f]{32})-/i.exec(tp)?.[1]
  if (!id) return undefined
  return projectId ? `projects/${projectId}/traces/${id}` : id
}
