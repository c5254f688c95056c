/**
 * RFC 7009 revocation of a connection's tokens (refresh token first), at the
 * server that issued them, authenticated as the client authenticates at the
 * token endpoint. The answer says whether the provider confirmed it: when it
 * did not, the tokens may still be valid there until they expire.
 */
import type { OAuthTokens } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import type { McpConfig } from '../registry/model.js'
import { readSecrets } from '../registry/read.js'
import type { ConnRec } from './model.js'
import { tokenClient } from './client.js'
import { oauthFetch, storedEndpoint } from './fetch.js'
import { revocationRequest } from './revocation-request.js'
import { errorCode } from './token-request.js'

export type RevocationFailure =
  /** The provider offers no RFC 7009 endpoint (e.g. GitHub, Microsoft, Slack). */
  | 'revocation_unsupported'
  /** The provider answered with an error (e.g. 400 or 401 for the client's authentication). */
  | 'revocation_refused'
  /** It could not be asked: unreachable, a timeout, or the gateway's client for it is gone. */
  | 'revocation_failed'
  /** The egress policy refuses its endpoint. */
  | 'egress_denied'

export type Revocation = { revoked: true } | { revoked: false; reason: RevocationFailure; provider_status?: number }

export async function revoke(d: Deps, c: Pick<ConnRec, 'client' | 'as' | 'mcp_id'>, doc: McpConfig, t: OAuthTokens): Promise<Revocation> {
  if (!c.as.revocation_endpoint) return { revoked: false, reason: 'revocation_unsupported' }
  try {
    const endpoint = storedEndpoint(d, c.as.revocation_endpoint, 'revocation endpoint')
    const client = await tokenClient(d, c.client, doc, await readSecrets(d, doc), c.mcp_id, c.as)
    const fetch = oauthFetch(d)
    let revoked = 0
    for (const [token, hint] of [[t.refresh_token, 'refresh_token'], [t.access_token, 'access_token']] as const) {
      if (!token) continue
      const a = await revocationRequest(fetch, endpoint, client, token, hint)
      if (a.status >= 200 && a.status < 300) revoked++
      // RFC 7009 §2.2.1: a type the server cannot revoke (e.g. a self-contained JWT access token) lives until it expires.
      else if (a.status === 400 && a.error === 'unsupported_token_type') continue
      else {
        log('WARNING', 'token revocation refused', { status: a.status, error: errorCode(a.error, null, a.status), mcp_id: c.mcp_id })
        return { revoked: false, reason: 'revocation_refused', provider_status: a.status }
      }
    }
    return revoked ? { revoked: true } : { revoked: false, reason: 'revocation_unsupported' }
  } catch (e) {
    return { revoked: false, reason: e instanceof AppError && e.code === 'egress_denied' ? 'egress_denied' : 'revocation_failed' }
  }
}
