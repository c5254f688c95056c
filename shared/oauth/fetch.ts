import type { Deps } from '../deps.js'
import { guardedFetch, type FetchLike } from '../egress/fetch.js'
import { policyOf } from '../egress/policy.js'

/** Every metadata, registration, token and revocation request goes through the egress guard, capped at 1 MiB. */
export const oauthFetch = (d: Deps): FetchLike => guardedFetch(policyOf(d), { maxBytes: 1 << 20 })
