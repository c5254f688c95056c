/**
 * Who is calling: every request carries `Authorization: Bearer <JWT>`, verified
 * with jose against the configured issuer, audience and key set.
 */
import { createHash } from 'node:crypto'
import { jwtVerify } from 'jose/jwt/verify'
import { createLocalJWKSet } from 'jose/jwks/local'
import { createRemoteJWKSet } from 'jose/jwks/remote'
import type { JWTPayload, JWTVerifyGetKey } from 'jose'
import { JOSEAlgNotAllowed, JOSEError, JWKSInvalid, JWKSNoMatchingKey, JWKSTimeout, JWSInvalid, JWSSignatureVerificationFailed, JWTClaimValidationFailed, JWTExpired, JWTInvalid } from 'jose/errors'
import { Lru } from '../cache.js'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import { bearerJwt } from './bearer.js'

export interface Caller {
  /** The user id (`sub`). */
  sub: string
  /** The caller's org, from the configured claim. */
  org?: string
  /** Admin of `org`, from the configured claim. */
  admin: boolean
}

export type Verify = (authorization: string | undefined) => Promise<Caller>

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']
const ID = /^[A-Za-z0-9_.@:|+-]{1,128}$/

/** Verified tokens, by digest, until they expire (at most 5 minutes): a signature check per token, not per request. */
const CACHE_MS = 5 * 60_000

export function makeVerifier(auth: Config['auth'], keys: JWTVerifyGetKey, now: () => number = Date.now): Verify {
  const seen = new Lru<Caller>(5000, now)
  return async (authorization) => {
    const token = bearerJwt(authorization)
    if (!token) throw new AppError('unauthenticated', malformed(authorization))
    const digest = createHash('sha256').update(token).digest('base64url')
    const hit = seen.get(digest)
    if (hit) return hit
    const caller = await verify(auth, keys, token)
    seen.set(digest, caller.caller, Math.min(CACHE_MS, caller.exp * 1000 - now()))
    return caller.caller
  }
}

async function verify(auth: Config['auth'], keys: JWTVerifyGetKey, token: string): Promise<{ caller: Caller; exp: number }> {
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, keys, {
      issuer: auth.issuer,
      audience: auth.audience,
      algorithms: ALGS,
      clockTolerance: 30,
      requiredClaims: ['sub', 'exp'],
    }))
  } catch (e) {
    throw rejected(e)
  }
  const sub = payload.sub
  if (typeof sub !== 'string' || !ID.test(sub)) throw new AppError('unauthenticated', 'The ID token has no usable subject.')
  const rawOrg = payload[auth.orgClaim]
  const org = typeof rawOrg === 'string' && ID.test(rawOrg) ? rawOrg : undefined
  const role = payload[auth.adminClaim]
  const admin = Boolean(org) && (role === auth.adminValue || role === true || (Array.isArray(role) && role.includes(auth.adminValue)))
  return { caller: { sub, org, admin }, exp: payload.exp! }
}

/** Why an Authorization header is not a bearer JWT at all: no token, another scheme, or a malformed token. */
function malformed(h: string | undefined): string {
  if (!h?.trim() || /^Bearer *$/i.test(h.trim())) return 'No ID token was sent: send Authorization: Bearer <ID token>.'
  if (!/^Bearer /i.test(h)) return 'The Authorization header must be "Bearer <ID token>".'
  // Personal access tokens (shared/tokens) are for agents, on the MCP endpoints only.
  if (/^Bearer +mgw_/i.test(h)) return 'A personal access token (mgw_...) works only on the MCP endpoints (/api/v1/mcp, /api/v1/mcps/{id}/mcp); this API needs an ID token.'
  return 'The bearer token is malformed: an ID token is a JWT, three base64url parts separated by dots.'
}

const CLAIM: Record<string, string> = {
  iss: 'The ID token is from another issuer than this gateway accepts.',
  aud: 'The ID token is for another audience than this gateway.',
  nbf: 'The ID token is not valid yet (nbf); check the clock.',
  iat: 'The ID token was issued in the future (iat); check the clock.',
}

/** What jose's verdict means for the caller, by its error class (jose/errors), never by message. */
function rejected(e: unknown): AppError {
  const no = (msg: string) => new AppError('unauthenticated', msg, undefined, { cause: e })
  // Key-set failures are ours, not the caller's: 503 rather than 401.
  if (e instanceof JWKSTimeout || e instanceof JWKSInvalid || !(e instanceof JOSEError))
    return new AppError('unavailable', 'Token keys are unavailable; retry shortly.', undefined, { cause: e })
  if (e instanceof JWTExpired) return no('The ID token has expired: get a fresh one.')
  if (e instanceof JWTClaimValidationFailed)
    return no(e.reason === 'missing' ? `The ID token has no "${e.claim}" claim.` : CLAIM[e.claim] ?? `The ID token's "${e.claim}" claim is not acceptable.`)
  if (e instanceof JWSInvalid || e instanceof JWTInvalid) return no('The bearer token is malformed: it is not a signed JWT with a JSON header and claims.')
  if (e instanceof JOSEAlgNotAllowed) return no('The ID token is signed with an algorithm this gateway does not accept.')
  if (e instanceof JWKSNoMatchingKey) return no('The ID token is signed by a key this gateway does not know.')
  if (e instanceof JWSSignatureVerificationFailed) return no('The ID token\'s signature does not verify.')
  return no('The ID token is invalid.')
}

export const remoteKeys = (url: string) => createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 })
export const localKeys = (publicJwk: object) => createLocalJWKSet({ keys: [publicJwk as any] })
