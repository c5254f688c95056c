import type { Deps } from '../deps.js'
import { EgressDenied, guardedFetch, type FetchLike } from '../egress/fetch.js'
import { checkOAuthUrl, policyOf } from '../egress/policy.js'

/** Every metadata, registration, token and revocation request goes through the egress guard, capped at 1 MiB. */
export const oauthFetch = (d: Deps): FetchLike => guardedFetch(policyOf(d), { maxBytes: 1 << 20, lookup: d.lookup, connections: d.config.egressConnections })

/**
 * A stored token or revocation endpoint, checked again before credentials go
 * to it (the policy may have changed since discovery): 403 egress_denied.
 */
export function storedEndpoint(d: Deps, url: string, what: string): string {
  const v = checkOAuthUrl(policyOf(d), url)
  if (!v.ok) throw new EgressDenied(`${what} ${v.reason}`)
  return v.url.href
}
