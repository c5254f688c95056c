/** One RFC 7009 revocation request, authenticated as the client authenticates at the token endpoint. */
import type { FetchLike } from '../egress/fetch.js'
import { applyClientAuth } from './client-auth.js'
import type { TokenClient } from './token-request.js'

export interface RevocationAnswer {
  status: number
  /** The OAuth `error` of a refusal, when the body had one. */
  error: string | null
}

export async function revocationRequest(fetch: FetchLike, endpoint: string, client: TokenClient, token: string, hint: 'access_token' | 'refresh_token'): Promise<RevocationAnswer> {
  const body = new URLSearchParams({ token, token_type_hint: hint })
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  applyClientAuth(client.method, client.creds, headers, body)
  const res = await fetch(endpoint, { method: 'POST', headers, body: body.toString(), signal: AbortSignal.timeout(10_000) })
  if (res.ok) {
    await res.body?.cancel().catch(() => {})
    return { status: res.status, error: null }
  }
  const text = await res.text().catch(() => '')
  let error: string | null = null
  try {
    const v = JSON.parse(text)
    if (typeof v?.error === 'string') error = v.error
  } catch {}
  return { status: res.status, error }
}
