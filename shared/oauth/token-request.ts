/**
 * One request to a token endpoint (RFC 6749 §4.1.3 code exchange, §6 refresh)
 * with the client's own authentication method, and a pure check of the answer
 * that copes with the providers' quirks (./presets.ts): form-encoded answers,
 * errors with HTTP 200, tokens nested in the body. Errors carry a known code,
 * never text from the provider.
 */
import type { OAuthTokens } from '@modelcontextprotocol/client'
import type { FetchLike } from '../egress/fetch.js'
import { applyClientAuth, type AuthMethod, type ClientCreds } from './client-auth.js'
import type { Preset } from './presets.js'

/** RFC 6749 §5.2 and RFC 7009 §2.2.1 codes; anything else is `token_error`. */
const KNOWN = new Set([
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
  'server_error', 'temporarily_unavailable', 'access_denied', 'unsupported_token_type',
])

export class TokenError extends Error {
  constructor(readonly code: string, readonly status: number | null, message: string) {
    super(message)
    this.name = 'TokenError'
  }
}

export interface TokenClient { creds: ClientCreds; method: AuthMethod }

type Quirks = Pick<Preset, 'token_response' | 'errors'> | null

const TIMEOUT_MS = 20_000

/** POSTs `params` with the client's authentication; resolves to the tokens or throws TokenError (or the fetch's own error). */
export async function tokenRequest(fetch: FetchLike, endpoint: string, params: URLSearchParams, client: TokenClient, quirks: Quirks = null): Promise<OAuthTokens> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  applyClientAuth(client.method, client.creds, headers, params)
  const res = await fetch(endpoint, { method: 'POST', headers, body: params.toString(), signal: AbortSignal.timeout(TIMEOUT_MS) })
  return parseTokenResponse(res.status, res.headers.get('content-type'), await res.text(), quirks)
}

/** The error code of an OAuth error body, mapped to a known one. */
export function errorCode(raw: unknown, quirks: Quirks, status: number | null): string {
  const s = typeof raw === 'string' ? (quirks?.errors[raw] ?? raw) : null
  if (s && KNOWN.has(s)) return s
  if (s) return 'token_error'
  return status !== null && status >= 500 ? 'server_error' : 'token_error'
}

function body(contentType: string | null, text: string, quirks: Quirks): Record<string, unknown> | null {
  const form = /application\/x-www-form-urlencoded/i.test(contentType ?? '')
  // GitHub answers form-encoded unless asked for JSON, and has been seen to label it either way.
  if (!form) {
    try {
      const v = JSON.parse(text)
      return v && typeof v === 'object' && !Array.isArray(v) ? v : null
    } catch {
      if (quirks?.token_response !== 'github') return null
    }
  }
  const p = new URLSearchParams(text)
  return p.has('access_token') || p.has('error') ? Object.fromEntries(p) : null
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined)

/** Checks a token endpoint answer; returns the tokens with space-separated scopes, or throws TokenError. */
export function parseTokenResponse(status: number, contentType: string | null, text: string, quirks: Quirks = null): OAuthTokens {
  let b = body(contentType, text, quirks)
  if (!b) throw new TokenError(status >= 500 ? 'server_error' : 'invalid_response', status, `The token endpoint answered HTTP ${status} without an OAuth body.`)
  if (quirks?.token_response === 'slack') {
    if (b.ok === false) throw new TokenError(errorCode(b.error, quirks, status), status, 'The token endpoint refused the request.')
    // A user token (user_scope) comes under authed_user; Slack's token types are "user" and "bot", both sent as Bearer.
    const u = b.authed_user as Record<string, unknown> | undefined
    if (!str(b.access_token) && u && typeof u === 'object') b = { ...u }
    if (str(b.access_token)) b = { ...b, token_type: 'Bearer' }
  }
  if (status < 200 || status >= 300 || b.error !== undefined) {
    throw new TokenError(errorCode(b.error, quirks, status), status, 'The token endpoint refused the request.')
  }
  const access = str(b.access_token)
  const type = str(b.token_type)
  if (!access || !type) throw new TokenError('invalid_response', status, 'The token endpoint answered without an access token.')
  const expires = typeof b.expires_in === 'number' ? b.expires_in : typeof b.expires_in === 'string' && /^\d{1,10}$/.test(b.expires_in) ? Number(b.expires_in) : undefined
  const scope = str(b.scope)
  const refresh = str(b.refresh_token)
  return {
    access_token: access,
    token_type: type,
    ...(expires !== undefined ? { expires_in: expires } : {}),
    ...(refresh ? { refresh_token: refresh } : {}),
    // GitHub and Slack list granted scopes with commas (elsewhere a comma may be part of a scope, RFC 6749 §3.3).
    ...(scope ? { scope: quirks && quirks.token_response !== 'standard' ? scope.split(/[ ,]+/).filter(Boolean).join(' ') : scope } : {}),
  }
}
