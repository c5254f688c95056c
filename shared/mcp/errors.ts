/** Turns what the MCP SDK and fetch throw into the gateway's error codes. */
import { AppError } from '../errors.js'
import { log, redact } from '../log.js'

// Secrets are masked before the cut, so a cut cannot leave part of one behind.
const clip = (s: unknown, n = 500) => redact(String(s ?? '')).slice(0, n)

function* chain(e: unknown): Generator<any> {
  for (let i = 0, c: any = e; c && i < 8; i++, c = c.cause) yield c
}

export function upstreamError(e: unknown): AppError {
  for (const c of chain(e)) if (c instanceof AppError) return c
  const err = e as any
  const name = err?.constructor?.name
  if (err?.constructor?.mcpBrand === 'mcp.InsufficientScopeError' || (name === 'InsufficientScopeError' && 'requiredScope' in err)) {
    // Step-up (MCP spec): the user must grant more; answered, never retried in a loop.
    const scopes = typeof err.requiredScope === 'string' ? err.requiredScope.split(' ').filter(Boolean) : []
    return new AppError('authorization_required', 'The MCP server needs more permissions; connect again to grant them.', { required_scopes: scopes, upstream_status: 403 }, { cause: e })
  }
  // SdkHttpError: the server answered HTTP, not JSON-RPC.
  if (typeof err?.status === 'number' || typeof err?.data?.status === 'number') {
    const status = typeof err.status === 'number' ? err.status : err.data.status
    if (status === 401) return new AppError('authorization_required', 'The MCP server needs you to (re)connect.', { upstream_status: 401 }, { cause: e })
    if (status === 403) return new AppError('authorization_required', 'The MCP server refused the stored credentials.', { upstream_status: 403 }, { cause: e })
    return new AppError('upstream_error', `The MCP server answered HTTP ${status}.`, { upstream: { http_status: status } }, { cause: e })
  }
  if (name === 'ProtocolError' || (typeof err?.code === 'number' && Number.isInteger(err.code))) {
    const message = clip(err.message).replace(/^MCP error -?\d+: /, '')
    return new AppError('upstream_error', `The MCP server returned an error: ${redact(message)}`, { upstream: { code: err.code, message: redact(message) } }, { cause: e })
  }
  if (err?.code === 'REQUEST_TIMEOUT') return new AppError('upstream_timeout', 'The MCP server did not answer in time.', undefined, { cause: e })
  for (const c of chain(e)) {
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(c?.code))
      return new AppError('upstream_error', 'The MCP server could not be reached.', { upstream: { reason: 'unreachable' } }, { cause: e })
    if (['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'].includes(c?.code) || c?.code === 'CONNECTION_CLOSED')
      return new AppError('upstream_error', 'The MCP server closed the connection.', { upstream: { reason: 'connection_closed' } }, { cause: e })
  }
  log('WARNING', 'unclassified upstream failure', { error: redact(clip(err?.stack ?? err, 2000)), kind: name, code: err?.code })
  return new AppError('upstream_error', 'The MCP server failed to answer.', undefined, { cause: e })
}
