/**
 * Turns what the MCP SDK and fetch throw into the gateway's error codes, by
 * the SDK's own error classes and codes (`SdkHttpError`, `SdkError` with
 * `SdkErrorCode`, `ProtocolError`, `SseError`, `UnauthorizedError`,
 * `InsufficientScopeError`) and Node's, undici's and OpenSSL's error codes,
 * never by constructor names or messages.
 */
import { AppError } from '../errors.js'
import { log, redact } from '../log.js'
import { sdkIfLoaded } from './sdk.js'

// Secrets are masked before the cut, so a cut cannot leave part of one behind.
const clip = (s: unknown, n = 500) => redact(String(s ?? '')).slice(0, n)

function* chain(e: unknown): Generator<any> {
  for (let i = 0, c: any = e; c && i < 8; i++, c = c.cause) yield c
}

/**
 * Why an upstream gave no answer (`upstream.reason`): the wire says which, the
 * log line says the same (and the system code, through the cause).
 */
export type NetReason = 'connection_refused' | 'dns_failure' | 'tls_error' | 'timeout' | 'reset' | 'unreachable'

// OpenSSL's certificate verification results, as Node names them (X509_V_ERR_* without the prefix).
const CERT = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CERT_SIGNATURE_FAILURE', 'CRL_SIGNATURE_FAILURE', 'CERT_NOT_YET_VALID', 'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'OUT_OF_MEM', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_CHAIN_TOO_LONG', 'CERT_REVOKED', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'INVALID_PURPOSE',
  'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH',
])

/** Node's (libuv, getaddrinfo), undici's and OpenSSL's codes, by what they mean for the caller. */
const BY_CODE: [NetReason, (code: string) => boolean][] = [
  ['connection_refused', (c) => c === 'ECONNREFUSED'],
  ['dns_failure', (c) => ['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL', 'ETIMEOUT'].includes(c)],
  ['tls_error', (c) => c.startsWith('ERR_TLS_') || c.startsWith('ERR_SSL_') || c === 'EPROTO' || CERT.has(c)],
  ['timeout', (c) => ['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'].includes(c)],
  ['reset', (c) => ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(c)],
  ['unreachable', (c) => ['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL'].includes(c)],
]

/** The network reason anywhere in the error's cause chain (the first one that names one), else undefined. */
export function netReason(e: unknown): NetReason | undefined {
  const sdk = sdkIfLoaded()
  for (const c of chain(e)) {
    if (sdk && c instanceof sdk.SdkError) {
      if (c.code === sdk.SdkErrorCode.RequestTimeout) return 'timeout'
      if (c.code === sdk.SdkErrorCode.ConnectionClosed) return 'reset'
      continue
    }
    const code = c?.code
    if (typeof code !== 'string') continue
    for (const [reason, matches] of BY_CODE) if (matches(code)) return reason
  }
  return undefined
}

const SAYS: Record<NetReason, string> = {
  connection_refused: 'The MCP server could not be reached: the connection was refused (nothing listens there).',
  dns_failure: 'The MCP server could not be reached: its host name does not resolve.',
  tls_error: 'The MCP server could not be reached: the TLS handshake failed (an untrusted or invalid certificate, or no TLS there).',
  timeout: 'The MCP server did not answer in time.',
  reset: 'The MCP server closed the connection.',
  unreachable: 'The MCP server could not be reached: there is no route to its host.',
}

/** The gateway's error for a network failure: 504 `upstream_timeout` for a timeout, else 502 `upstream_error`. */
export function netError(reason: NetReason, cause?: unknown): AppError {
  return new AppError(reason === 'timeout' ? 'upstream_timeout' : 'upstream_error', SAYS[reason], { upstream: { reason } }, cause === undefined ? undefined : { cause })
}

function httpStatus(status: number, e: unknown): AppError {
  if (status === 401) return new AppError('authorization_required', 'The MCP server needs you to (re)connect.', { upstream_status: 401 }, { cause: e })
  if (status === 403) return new AppError('authorization_required', 'The MCP server refused the stored credentials.', { upstream_status: 403 }, { cause: e })
  return new AppError('upstream_error', `The MCP server answered HTTP ${status}.`, { upstream: { reason: 'http_status', http_status: status } }, { cause: e })
}

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
  }
  const reason = netReason(e)
  if (reason) return netError(reason, e)
  const err = e as any
  log('WARNING', 'unclassified upstream failure', { error: redact(clip(err?.stack ?? err, 2000)), kind: err?.constructor?.name, codes: [...chain(e)].map((c) => (typeof c?.code === 'string' || typeof c?.code === 'number' ? c.code : null)) })
  return new AppError('upstream_error', 'The MCP server failed to answer.', undefined, { cause: e })
}
