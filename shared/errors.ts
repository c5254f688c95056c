/** The one error type of the domain: a stable `code` that knows its HTTP status. */
export type Code =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'egress_denied'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'authorization_required'
  | 'tool_not_approved'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_acceptable'
  | 'quota_exceeded'
  | 'rate_limited'
  | 'internal'
  | 'upstream_error'
  | 'upstream_response_too_large'
  | 'unavailable'
  | 'upstream_timeout'
  | 'cancelled'
  | 'not_waiting'
  | 'expired'
  | 'input_timeout'

const STATUS: Record<Code, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  egress_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  authorization_required: 409,
  tool_not_approved: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  quota_exceeded: 429,
  rate_limited: 429,
  internal: 500,
  upstream_error: 502,
  upstream_response_too_large: 502,
  unavailable: 503,
  upstream_timeout: 504,
  // Nobody reads it (the client is gone); the request log and the audit record say what happened.
  // A cancelled execution read afterwards is answered 409 `cancelled` instead (shared/executions/model.ts).
  cancelled: 499,
  not_waiting: 409,
  expired: 410,
  // The user did not answer in time: the execution failed, the gateway is not at fault.
  input_timeout: 408,
}

const TITLE: Record<Code, string> = {
  invalid_request: 'Invalid request',
  unauthenticated: 'Unauthenticated',
  forbidden: 'Forbidden',
  egress_denied: 'Egress denied',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  not_acceptable: 'Not acceptable',
  conflict: 'Conflict',
  authorization_required: 'Authorization required',
  tool_not_approved: 'Tool not approved',
  precondition_failed: 'Precondition failed',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  quota_exceeded: 'Quota exceeded',
  rate_limited: 'Too many requests',
  internal: 'Internal server error',
  upstream_error: 'Upstream error',
  upstream_response_too_large: 'Upstream response too large',
  unavailable: 'Service unavailable',
  upstream_timeout: 'Upstream timeout',
  cancelled: 'Client closed request',
  not_waiting: 'Not waiting for input',
  expired: 'Expired',
  input_timeout: 'Input timeout',
}

export class AppError extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** Extra members for the problem+json body. Must never hold secrets. */
    readonly extra?: Record<string, unknown>,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options)
    this.name = 'AppError'
    this.headers = options?.headers
  }
  /** Response headers that belong to this answer (e.g. the current ETag of a 412). */
  readonly headers?: Record<string, string>
  get status(): number {
    return STATUS[this.code]
  }
  /** 4xx details are shown to the client; 5xx details only when the code is ours to explain (upstream_*, unavailable). */
  get expose(): boolean {
    return this.status < 500 || this.code !== 'internal'
  }
}

export const statusOf = (code: Code) => STATUS[code]
export const titleOf = (code: Code) => TITLE[code]

/** RFC 9457 problem details for an error; unknown errors become a generic 500. */
export function problem(err: unknown, instance?: string): { status: number; body: Record<string, unknown> } {
  const e = err instanceof AppError ? err : new AppError('internal', 'An unexpected error occurred.')
  const detail = e.expose ? e.message : 'An unexpected error occurred.'
  const body: Record<string, unknown> = {
    type: `https://mcp-gateway.dev/problems/${e.code}`,
    title: TITLE[e.code],
    status: e.status,
    detail,
    code: e.code,
    ...(e.expose ? e.extra : undefined),
  }
  if (instance) body.instance = instance
  return { status: e.status, body }
}
