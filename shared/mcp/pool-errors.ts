/**
 * The stdio pool answers its own failures as problem+json (a process that
 * exited, a crash backoff, a choice its catalog refuses). The pool is the
 * gateway's own function, reached with a service token, so these are passed
 * on as they are, with their `upstream` details, instead of "the MCP server
 * answered HTTP 502".
 */
import { AppError, type Code } from '../errors.js'

const PASSED: readonly Code[] = ['upstream_error', 'upstream_timeout', 'upstream_response_too_large', 'unavailable', 'invalid_request']

/** Throws the pool's error when `res` is one of its problem answers; otherwise returns and `res` is read as usual. */
export async function throwPoolProblem(res: Response): Promise<void> {
  if (res.ok || !/^application\/problem\+json/i.test(res.headers.get('content-type') ?? '')) return
  let body: Record<string, unknown>
  try {
    body = (await res.clone().json()) as Record<string, unknown>
  } catch {
    return
  }
  const code = body?.code as Code
  if (!PASSED.includes(code)) return
  await res.body?.cancel().catch(() => {})
  const extra: Record<string, unknown> = {}
  if (body.upstream && typeof body.upstream === 'object') extra.upstream = body.upstream
  if (typeof body.retry_after === 'number') extra.retry_after = body.retry_after
  if (Array.isArray(body.errors)) extra.errors = body.errors
  throw new AppError(code, String(body.detail ?? 'The stdio pool failed.').slice(0, 2000), Object.keys(extra).length ? extra : undefined)
}
