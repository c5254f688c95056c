/** Signs a token that local mode accepts (and nothing else does). */
import { SignJWT, importJWK } from 'jose'
import { loadOrCreateLocalKey } from './local-key.js'
import type { Config } from '../config.js'

export interface DevClaims { user: string; org?: string; admin?: boolean; ttlSec?: number }

export async function devToken(cfg: Config, c: DevClaims): Promise<string> {
  const key = await loadOrCreateLocalKey(cfg.dataDir)
  const jwt = new SignJWT({
    ...(c.org ? { [cfg.auth.orgClaim]: c.org } : {}),
    ...(c.admin ? { [cfg.auth.adminClaim]: cfg.auth.adminValue } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setSubject(c.user)
    .setIssuer(cfg.auth.issuer)
    .setAudience(cfg.auth.audience)
    .setIssuedAt()
    .setExpirationTime(`${c.ttlSec ?? 3600}s`)
  return jwt.sign(await importJWK(key.privateJwk, 'ES256'))
}
