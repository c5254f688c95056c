/**
 * The one wrapper every function uses: routing within the function, CORS for
 * the app origins, caller verification, body limits, problem+json errors and
 * one structured log line per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { AppError, problem } from './errors.js'
import { log, logContext, maskSecrets, redact, traceOf } from './log.js'
import { deps as getDeps, type Deps } from './deps.js'
import type { Caller } from './auth/caller.js'

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface Ctx {
  req: IncomingMessage
  res: ServerResponse
  deps: Deps
  /** A named group of the route's path, percent-decoded. Asking for a group the pattern lacks is a bug (500). */
  param(name: string): string
  query: URLSearchParams
  /** Set when the route requires auth (the default). */
  caller: Caller
  /** The parsed JSON body (undefined when empty), enforcing size and media type. */
  body(): Promise<unknown>
  /** Aborted when the client goes away before the response is finished. */
  signal: AbortSignal
}

export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface Route {
  method: Method
  /** Matched against the path after `/api/v1`; named groups become params. */
  path: RegExp
  auth?: boolean
  /** Return a Reply, or null when the handler wrote the response itself (streaming). */
  run(ctx: Ctx): Promise<Reply | null>
}

const BASE = '/api/v1'

/** Every function's routes by function name, as `serve` got them (the fuzz suite checks that it covers each one). */
export const registeredRoutes = new Map<string, readonly Route[]>()

/** Builds the `(req, res)` handler for a function from its routes. */
export function serve(name: string, routes: Route[]) {
  registeredRoutes.set(name, routes)
  return (req: IncomingMessage, res: ServerResponse) =>
    handle(name, routes, req, res).catch((e) => {
      // Only reached if writing the error itself failed.
      log('ERROR', 'response failed', { error: redact(String(e?.stack ?? e)) })
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
}

async function handle(name: string, routes: Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const d = getDeps()
  const started = performance.now()
  const requestId = randomUUID()
  const trace = traceOf(req.headers, d.config.projectId)
  const url = new URL(req.url ?? '/', 'http://x')
  await logContext.run({ trace, requestId, fn: name }, async () => {
    let code: string | undefined
    // Why an upstream gave no answer (`upstream.reason`), on the request's log line as in the answer.
    let upstream: { reason: string } | undefined
    try {
      res.setHeader('X-Request-Id', requestId)
      res.setHeader('X-Content-Type-Options', 'nosniff')
      cors(d, req, res)
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end()
        return
      }
      const at = url.pathname.indexOf(BASE)
      const path = at < 0 ? null : url.pathname.slice(at + BASE.length) || '/'
      const matches = path === null ? [] : routes.filter((r) => r.path.test(path))
      if (!matches.length) throw new AppError('not_found', 'No such endpoint.')
      const route = matches.find((r) => r.method === req.method)
      if (!route) {
        res.setHeader('Allow', [...new Set(matches.map((r) => r.method))].join(', '))
        throw new AppError('method_not_allowed', `Use ${matches.map((r) => r.method).join(' or ')} here.`)
      }
      const params = decodeParams(route.path.exec(path!)!.groups ?? {})
      const caller = route.auth === false ? (undefined as unknown as Caller) : await d.verify(header(req, 'authorization'))
      const ac = new AbortController()
      res.on('close', () => { if (!res.writableFinished) ac.abort(new AppError('cancelled', 'The client closed the request.')) })
      let parsed: { v: unknown } | undefined
      const ctx: Ctx = {
        req, res, deps: d, query: url.searchParams, caller, signal: ac.signal,
        param: (n) => {
          const v = params[n]
          if (v === undefined) throw new Error(`route ${route.path} has no group ${n}`)
          return v
        },
        body: async () => (parsed ??= { v: await readJson(req, d.config.maxBodyBytes) }).v,
      }
      const reply = await route.run(ctx)
      if (reply) send(res, reply.status, reply.body, reply.headers)
    } catch (e) {
      const { status, body } = problem(e)
      code = String(body.code)
      const reason = (body.upstream as { reason?: unknown } | undefined)?.reason
      if (typeof reason === 'string') upstream = { reason }
      if (!(e instanceof AppError) || e.code === 'internal') {
        log('ERROR', `unhandled: ${redact(String((e as Error)?.stack ?? e))}`)
      } else if (status >= 500) {
        log('WARNING', `${e.code}: ${redact(e.message)}`, { cause: redact(String((e.cause as Error)?.message ?? '')) || undefined })
      }
      if (status === 413) res.setHeader('Connection', 'close')
      const retry: Record<string, string> = typeof body.retry_after === 'number' ? { 'Retry-After': String(body.retry_after) } : {}
      if (!res.headersSent) send(res, status, body, { ...(e instanceof AppError ? e.headers : undefined), 'Content-Type': 'application/problem+json', ...retry })
      else if (!res.writableEnded) res.end()
    } finally {
      const extra = logContext.getStore()?.extra
      log(res.statusCode >= 500 ? 'ERROR' : extra?.audit && (extra.audit as { outcome?: string }).outcome === 'error' ? 'WARNING' : 'INFO', `${req.method} ${url.pathname} ${res.statusCode}`, {
        ...extra,
        httpRequest: {
          requestMethod: req.method,
          requestUrl: url.pathname,
          status: res.statusCode,
          latency: `${((performance.now() - started) / 1000).toFixed(4)}s`,
          userAgent: header(req, 'user-agent'),
        },
        code,
        ...(upstream ? { upstream } : {}),
      })
    }
  })
}

function cors(d: Deps, req: IncomingMessage, res: ServerResponse) {
  const origin = header(req, 'origin')
  res.setHeader('Vary', 'Origin')
  if (!origin || !d.config.appOrigins.includes(origin)) return
  res.setHeader('Access-Control-Allow-Origin', origin)
  res.setHeader('Access-Control-Allow-Credentials', 'false')
  res.setHeader('Access-Control-Expose-Headers', 'ETag, X-Request-Id, Retry-After, RateLimit, RateLimit-Policy')
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS')
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Accept, If-Match')
    res.setHeader('Access-Control-Max-Age', '600')
  }
}

/** Writes a JSON response; secret values the request has read are masked (an upstream may have echoed them). */
export function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  const text = body === undefined ? '' : maskSecrets(JSON.stringify(body))
  res.writeHead(status, {
    'Cache-Control': 'no-store',
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) } : {}),
    ...headers,
  })
  res.end(text)
}

export const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function decodeParams(g: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(g)) {
    if (v === undefined) continue
    try {
      out[k] = decodeURIComponent(v)
    } catch {
      throw new AppError('invalid_request', `Path segment ${k} is not valid percent-encoding.`)
    }
  }
  return out
}

/**
 * Reads a JSON body. Under the Functions Framework the body was already read
 * into `req.rawBody`; in local mode we read the stream ourselves, stopping at
 * the limit.
 */
async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readRaw(req, limit)
  if (!raw.length) return undefined
  const type = (header(req, 'content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? ''
  if (type !== 'application/json' && !type.endsWith('+json'))
    throw new AppError('unsupported_media_type', 'Send the body as application/json.')
  let text: string
  try {
    // RFC 8259 §8.1: JSON is UTF-8. Bytes that are not would otherwise become U+FFFD, silently.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw)
  } catch {
    throw new AppError('invalid_request', 'The body is not valid UTF-8.')
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('invalid_request', 'The body is not valid JSON.')
  }
}

async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooBig = () => new AppError('payload_too_large', `The body exceeds ${limit} bytes.`, { limit })
  const pre = (req as IncomingMessage & { rawBody?: Buffer }).rawBody
  if (Buffer.isBuffer(pre)) {
    if (pre.length > limit) throw tooBig()
    return pre
  }
  if (Number(header(req, 'content-length') ?? 0) > limit) throw tooBig()
  if (req.readableEnded) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let n = 0
  try {
    for await (const c of req) {
      n += (c as Buffer).length
      if (n > limit) throw tooBig()
      chunks.push(c as Buffer)
    }
  } catch (e) {
    // The client went away mid-body (Node reports 'aborted', ECONNRESET): nobody to answer.
    if (!(e instanceof AppError) && (req.destroyed || req.socket?.destroyed)) throw new AppError('cancelled', 'The client closed the request.', undefined, { cause: e })
    throw e
  }
  return Buffer.concat(chunks)
}
