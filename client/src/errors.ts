/**
 * The one error the client throws: the gateway's problem+json (RFC 9457) with
 * its stable `code`, or a code of the client's own for what happens in the
 * browser (`popup_blocked`, `popup_closed`, `oauth_timeout`) or on the way
 * (`network_error`, `invalid_response`). Classify by `code`, never by message.
 */

/** A problem+json body as the gateway sends it; other members ride along. */
export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
  code?: string
  errors?: { path: string; message: string }[]
  required_scopes?: string[]
  start_url?: string
  retry_after?: number
  [member: string]: unknown
}

export class GatewayError extends Error {
  override readonly name = 'GatewayError'
  /** The HTTP status; 0 for errors raised in the client (no response). */
  readonly status: number
  readonly code: string
  /** 400 `invalid_request`: each field (a JSON pointer) and what it must be. */
  readonly errors?: { path: string; message: string }[]
  /** 409 `authorization_required` after an upstream 403 insufficient_scope: pass them to connect({scopes}). */
  readonly required_scopes?: string[]
  /** 409 `authorization_required` of an OAuth config: where connecting starts. */
  readonly start_url?: string
  /** Seconds to wait, from `Retry-After` (429, 503). */
  readonly retry_after?: number
  /** The whole problem body (e.g. `upstream`, `quota`, `diff`, `conflicts`). */
  readonly problem: Problem

  constructor(status: number, code: string, message: string, problem: Problem = {}, retryAfter?: number) {
    super(message)
    this.status = status
    this.code = code
    this.problem = problem
    if (Array.isArray(problem.errors)) this.errors = problem.errors
    if (Array.isArray(problem.required_scopes)) this.required_scopes = problem.required_scopes
    if (typeof problem.start_url === 'string') this.start_url = problem.start_url
    const ra = retryAfter ?? (typeof problem.retry_after === 'number' ? problem.retry_after : undefined)
    if (ra !== undefined) this.retry_after = ra
  }
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; seconds from now, or undefined. */
export function parseRetryAfter(v: string | null, now = Date.now()): number | undefined {
  if (!v) return undefined
  if (/^\d+$/.test(v.trim())) return Number(v.trim())
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

/** The error for a response that is not 2xx: its problem body when it has one, else the status alone. */
export async function errorFrom(res: Response): Promise<GatewayError> {
  const text = await res.text().catch(() => '')
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  const p: Problem = body && typeof body === 'object' && !Array.isArray(body) ? (body as Problem) : {}
  const code = typeof p.code === 'string' ? p.code : `http_${res.status}`
  const message = typeof p.detail === 'string' ? p.detail : typeof p.title === 'string' ? p.title : `HTTP ${res.status}`
  return new GatewayError(res.status, code, message, p, parseRetryAfter(res.headers.get('retry-after')))
}

/** An error raised in the client itself (status 0). */
export const clientError = (code: string, message: string, extra: Problem = {}) => new GatewayError(0, code, message, { code, detail: message, ...extra })
