/**
 * Turns what the MCP SDK and fetch throw into the gateway's error codes, by
 * the SDK's own error classes and codes (`SdkHttpError`, `SdkError` with
 * `SdkErrorCode`, `ProtocolError`, `SseError`, `UnauthorizedError`,
 * `InsufficientScopeError`) and Node's system error codes, never by
 * constructor names or messages.
 */
import { AppError } from '../errors.js'
import { log, redact } from '../log.js'
import { sdkIfLoaded } from './sdk.js'

// Secrets are masked before the cut, so a cut cannot leave part of one behind.
const clip = (s: unknown, n = 500) => redact(String(s ?? '')).slice(0, n)

function* chain(e: unknown): Generator<any> {
  for (let i = 0, c: any = e; c && i < 8; i++, c = c.cause) yield c
}

/** Node's and undici's codes for a server that cannot be reached, and for a connection that broke. */
const UNREACHABLE = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']
const BROKEN = ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']

function httpStatus(status: number, e: unknown): AppError {
  if (status === 401) return new AppError('authorization_required', 'The MCP server needs you to (re)connect.', { upstream_status: 401 }, { cause: e })
  if (status === 403) return new AppError('authorization_required', 'The MCP server refused the stored credentials.', { upstream_status: 403 }, { cause: e })
  return new AppError('upstream_error', `The MCP server answered HTTP ${status}.`, { upstream: { http_status: status } }, { cause: e })
}

const closed = (e: unknown) => new AppError('upstream_error', 'The MCP server closed the connection.', { upstream: { reason: 'connection_closed' } }, { cause: e })

export function upstreamError(e: unknown): AppError {
  for (const c of chain(e)) if (c instanceof AppError) return c
  // An error can only be one of the SDK's classes once the SDK is loaded.
  const sdk = sdkIfLoaded()
  if (sdk) {
    if (e instanceof sdk.InsufficientScopeError) {
      // Step-up (MCP spec): the user must grant more; answered, never retried in a loop.
      const scopes = typeof e.requiredScope === 'string' ? e.requiredScope.split(' ').filter(Boolean) : []
      return new AppError('authorization_required', 'The MCP server needs more permissions; connect again to grant them.', { required_scopes: scopes, upstream_status: 403 }, { cause: e })
    }
    if (e instanceof sdk.UnauthorizedError) return httpStatus(401, e)
    // The server answered HTTP, not JSON-RPC (streamable HTTP), or refused the SSE stream (its HTTP status).
    if (e instanceof sdk.SdkHttpError) return httpStatus(e.status, e)
    if (e instanceof sdk.SseError && typeof e.code === 'number') return httpStatus(e.code, e)
    if (e instanceof sdk.ProtocolError) {
      const message = clip(e.message).replace(/^MCP error -?\d+: /, '')
      return new AppError('upstream_error', `The MCP server returned an error: ${redact(message)}`, { upstream: { code: e.code, message: redact(message) } }, { cause: e })
    }
    if (e instanceof sdk.SdkError && e.code === sdk.SdkErrorCode.RequestTimeout) return new AppError('upstream_timeout', 'The MCP server did not answer in time.', undefined, { cause: e })
  }
  for (const c of chain(e)) {
    if (UNREACHABLE.includes(c?.code)) return new AppError('upstream_error', 'The MCP server could not be reached.', { upstream: { reason: 'unreachable' } }, { cause: e })
    if (BROKEN.includes(c?.code) || (sdk && c instanceof sdk.SdkError && c.code === sdk.SdkErrorCode.ConnectionClosed)) return closed(e)
  }
  const err = e as any
  log('WARNING', 'unclassified upstream failure', { error: redact(clip(err?.stack ?? err, 2000)), kind: err?.constructor?.name, code: err?.code })
  return new AppError('upstream_error', 'The MCP server failed to answer.', undefined, { cause: e })
}
