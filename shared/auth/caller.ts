/**
 * Who is calling: every request carries `Authorization: Bearer <JWT>`, verified
 * with jose against the configured issuer, audience and key set.
 */
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'

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

export function makeVerifier(auth: Config['auth'], keys: JWTVerifyGetKey): Verify {
  return async (authorization) => {
    const m = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/.exec(authorization ?? '')
    if (!m) throw new AppError('unauthenticated', 'A bearer ID token is required.', undefined)
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(m[1], keys, {
        issuer: auth.issuer,
        audience: auth.audience,
        algorithms: ALGS,
        clockTolerance: 30,
        requiredClaims: ['sub', 'exp'],
      }))
    } catch (e: any) {
      // JWKS fetch failures are ours, not the caller's: 503 rather than 401.
      const jose = typeof e?.code === 'string' && e.code.startsWith('ERR_J')
      if (!jose || e.code === 'ERR_JWKS_TIMEOUT')
        throw new AppError('unavailable', 'Token keys are unavailable; retry shortly.', undefined, { cause: e })
      throw new AppError('unauthenticated', 'The ID token is invalid or expired.', undefined, { cause: e })
    }
    const sub = payload.sub
    if (typeof sub !== 'string' || !ID.test(sub)) throw new AppError('unauthenticated', 'The ID token has no usable subject.')
    const rawOrg = payload[auth.orgClaim]
    const org = typeof rawOrg === 'string' && ID.test(rawOrg) ? rawOrg : undefined
    const role = payload[auth.adminClaim]
    const admin = Boolean(org) && (role === auth.adminValue || role === true || (Array.isArray(role) && role.includes(auth.adminValue)))
    return { sub, org, admin }
  }
}

export const remoteKeys = (url: string) => createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 })
export const localKeys = (publicJwk: object) => createLocalJWKSet({ keys: [publicJwk as any] })
