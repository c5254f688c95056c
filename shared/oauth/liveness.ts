/**
 * Does the authorization server still know a stored registration? Asked
 * before a start hands the registration out again, because a server that
 * forgot it (a restart, a cleanup) shows the user an error inside the popup
 * and never calls back. The question costs one request that changes nothing:
 * RFC 7009 revocation of a random token (§2.1: the server authenticates the
 * client first; §2.2: an unknown token is answered 200), else a refresh with a
 * random refresh token. Only an `invalid_client` (or the Python MCP SDK's 401
 * `unauthorized_client` at revocation) counts as "forgotten"; anything else,
 * a network failure included, leaves the registration in use.
 */
import { randomBytes } from 'node:crypto'
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import type { FetchLike } from '../egress/fetch.js'
import { discoveredEndpoint } from './discover.js'
import { revocationRequest } from './revocation-request.js'
import { TokenError, tokenRequest, type TokenClient } from './token-request.js'

export type Liveness = 'alive' | 'forgotten' | 'unknown'

export async function probeClient(d: Deps, metadata: AuthorizationServerMetadata, client: TokenClient, fetch: FetchLike): Promise<Liveness> {
  const nonce = randomBytes(32).toString('base64url')
  const revocation = (metadata as { revocation_endpoint?: string }).revocation_endpoint
  try {
    if (revocation) {
      const a = await revocationRequest(fetch, discoveredEndpoint(d, revocation, 'revocation endpoint'), client, nonce, 'refresh_token')
      if (a.status >= 200 && a.status < 300) return 'alive'
      return a.error === 'invalid_client' || (a.status === 401 && a.error === 'unauthorized_client') ? 'forgotten' : 'unknown'
    }
    const params = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: nonce })
    await tokenRequest(fetch, discoveredEndpoint(d, metadata.token_endpoint, 'token endpoint'), params, client)
    return 'alive'
  } catch (e) {
    if (e instanceof TokenError) return e.code === 'invalid_client' ? 'forgotten' : e.code === 'invalid_grant' ? 'alive' : 'unknown'
    return 'unknown'
  }
}
