/**
 * Service-to-service auth between the gateway and the stdio pool. In
 * production the gateway presents a Google-signed OIDC ID token for the pool's
 * audience (from the metadata server) and the pool verifies it against
 * Google's JWKS; in local mode both sides use the local signing key, under an
 * issuer of their own, so a user's dev token is never a service token.
 */
import { createHash } from 'node:crypto'
import { jwtVerify } from 'jose/jwt/verify'
import { SignJWT } from 'jose/jwt/sign'
import { importJWK } from 'jose/key/import'
import { decodeJwt } from 'jose/jwt/decode'
import { createLocalJWKSet } from 'jose/jwks/local'
import { createRemoteJWKSet } from 'jose/jwks/remote'
import type { JWTVerifyGetKey } from 'jose'
import { JOSEError, JWKSInvalid, JWKSTimeout } from 'jose/errors'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import { loadOrCreateLocalKey } from './local-key.js'
import { bearerJwt } from './bearer.js'

export const LOCAL_SERVICE_ISSUER = 'urn:mcp-gateway:local-service'
const GOOGLE_ISSUER = 'https://accounts.google.com'
const GOOGLE_JWKS = 'https://www.googleapis.com/oauth2/v3/certs'
const METADATA = 'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/identity'
/** Tokens are reused until this long before they expire. */
const MARGIN_MS = 5 * 60_000
const LOCAL_TTL_SEC = 10 * 60

const minted = new Map<string, Promise<{ token: string; exp: number }>>()

/** Seams for tests: where the metadata server is, and Google's keys. */
export interface ServiceAuthOptions {
  metadataUrl?: string; fetch?: typeof fetch; googleKeys?: JWTVerifyGetKey
  /** Another service's audience and invokers (the scheduled registry refresh); default: the pool's. */
  audience?: string | null; invokers?: string[]
}

/** A token the pool accepts for `audience`, cached until about five minutes before it expires. */
export async function serviceToken(d: Deps, audience: string, o: ServiceAuthOptions = {}): Promise<string> {
  const key = `${d.config.mode}|${d.config.dataDir}|${audience}`
  const now = d.clock.now()
  const hit = minted.get(key)
  if (hit) {
    const t = await hit.catch(() => undefined)
    if (t && t.exp * 1000 - MARGIN_MS > now) return t.token
    if (minted.get(key) === hit) minted.delete(key)
  }
  const p = d.config.mode === 'local' ? mintLocal(d, audience) : fetchGoogle(audience, o)
  minted.set(key, p)
  p.catch(() => minted.get(key) === p && minted.delete(key))
  return (await p).token
}

async function mintLocal(d: Deps, audience: string) {
  const key = await loadOrCreateLocalKey(d.config.dataDir)
  const exp = Math.floor(d.clock.now() / 1000) + LOCAL_TTL_SEC
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer(LOCAL_SERVICE_ISSUER)
    .setSubject('gateway')
    .setAudience(audience)
    .setIssuedAt(Math.floor(d.clock.now() / 1000))
    .setExpirationTime(exp)
    .sign(await importJWK(key.privateJwk, 'ES256'))
  return { token, exp }
}

async function fetchGoogle(audience: string, o: ServiceAuthOptions) {
  const url = `${o.metadataUrl ?? METADATA}?audience=${encodeURIComponent(audience)}&format=full`
  let res: Response
  try {
    res = await (o.fetch ?? fetch)(url, { headers: { 'Metadata-Flavor': 'Google' }, signal: AbortSignal.timeout(5000) })
  } catch (e) {
    throw new AppError('unavailable', 'The metadata server did not give an identity token.', undefined, { cause: e })
  }
  const token = (await res.text()).trim()
  if (!res.ok) throw new AppError('unavailable', `The metadata server answered ${res.status} for an identity token.`)
  const exp = decodeJwt(token).exp
  if (typeof exp !== 'number') throw new AppError('unavailable', 'The identity token has no expiry.')
  return { token, exp }
}

interface Verifier { keys: JWTVerifyGetKey; issuer: string }
const verifiers = new Map<string, Promise<Verifier>>()
/** Verified tokens by digest → their expiry (ms): one signature check per token, not per request. */
const verified = new Lru<number>(1000)

/**
 * Checks `Authorization: Bearer <token>` on a pool request: signature, issuer,
 * audience (the pool's), expiry, and in production the invoker allow-list.
 * Throws `unauthenticated` (401), or `unavailable` when keys can't be fetched.
 */
export async function verifyServiceToken(d: Deps, authorization: string | undefined, o: ServiceAuthOptions = {}): Promise<void> {
  const token = bearerJwt(authorization)
  if (!token) throw new AppError('unauthenticated', 'A service token is required.')
  const audience = o.audience !== undefined ? o.audience : d.config.poolAudience
  const invokers = o.invokers ?? d.config.poolInvokers
  if (!audience) throw new AppError('unavailable', o.audience !== undefined ? 'The service audience is not configured.' : 'The pool audience is not configured (POOL_AUDIENCE or POOL_URL).')
  const local = d.config.mode === 'local'
  const vkey = local ? `local|${d.config.dataDir}` : 'google'
  const cacheKey = `${vkey}|${audience}|${invokers.join(',')}|${createHash('sha256').update(token).digest('base64url')}`
  if (!o.googleKeys && (verified.get(cacheKey) ?? 0) > d.clock.now()) return
  let v = o.googleKeys ? Promise.resolve({ keys: o.googleKeys, issuer: GOOGLE_ISSUER }) : verifiers.get(vkey)
  if (!v) {
    v = local
      ? loadOrCreateLocalKey(d.config.dataDir).then((k) => ({ keys: createLocalJWKSet({ keys: [k.publicJwk as any] }), issuer: LOCAL_SERVICE_ISSUER }))
      : Promise.resolve({ keys: createRemoteJWKSet(new URL(GOOGLE_JWKS), { timeoutDuration: 5000, cooldownDuration: 30_000 }), issuer: GOOGLE_ISSUER })
    verifiers.set(vkey, v)
    v.catch(() => verifiers.delete(vkey))
  }
  const { keys, issuer } = await v
  let payload: Record<string, unknown>
  try {
    ;({ payload } = await jwtVerify(token, keys, {
      issuer,
      audience,
      algorithms: local ? ['ES256'] : ['RS256'],
      clockTolerance: 30,
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: new Date(d.clock.now()),
    }))
  } catch (e) {
    // By jose's error classes (jose/errors): a key set that cannot be fetched or read is ours (503), the rest the caller's.
    if (!(e instanceof JOSEError) || e instanceof JWKSTimeout || e instanceof JWKSInvalid)
      throw new AppError('unavailable', 'Token keys are unavailable; retry shortly.', undefined, { cause: e })
    throw new AppError('unauthenticated', 'The service token is invalid or expired.', undefined, { cause: e })
  }
  if (local && payload.sub !== 'gateway') throw new AppError('unauthenticated', 'The service token has the wrong subject.')
  if (!local && invokers.length) {
    const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : ''
    if (payload.email_verified !== true || !invokers.includes(email))
      throw new AppError('unauthenticated', 'The service token is not from an allowed invoker.')
  }
  const ttl = (payload.exp as number) * 1000 - d.clock.now()
  if (ttl > 0 && !o.googleKeys) verified.set(cacheKey, (payload.exp as number) * 1000, Math.min(ttl, MARGIN_MS))
}
