/**
 * Egress policy, pure: which URLs and addresses the gateway may reach.
 * Production: https only, and only public unicast addresses, unless the host
 * or address (and port, if the entry names one) is in EGRESS_ALLOWLIST. Local
 * mode also allows loopback, and plain http to it.
 */
import type { Config } from '../config.js'
import { ip, parseAddr, placeOf } from './address.js'
import { addrListed, nameListed } from './allowlist.js'

export interface EgressPolicy {
  requireHttps: boolean
  allowLoopback: boolean
  /** Hostnames (`api.example.com`, `*.corp.example`), IPs or CIDRs, each with an optional `:port`. */
  allowlist: string[]
}

/** The policy the gateway's configuration sets. */
export const policyOf = (d: { config: Pick<Config, 'requireHttps' | 'allowLoopback' | 'egressAllowlist'> }): EgressPolicy => ({
  requireHttps: d.config.requireHttps,
  allowLoopback: d.config.allowLoopback,
  allowlist: d.config.egressAllowlist,
})

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.goog'])

const bare = (host: string) => host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase()

/** The port a URL reaches, defaults included. */
export const portOf = (url: URL) => Number(url.port) || (url.protocol === 'https:' ? 443 : 80)

/**
 * Is this host (a name or an IP literal) in the allowlist, for this port?
 * Without a port, only entries that admit every port count.
 */
export function hostAllowlisted(policy: EgressPolicy, host: string, port?: number): boolean {
  const h = bare(host)
  if (ip().isValid(h)) {
    const addr = parseAddr(h)
    return addr !== null && addrListed(policy.allowlist, addr, port)
  }
  return nameListed(policy.allowlist, h, port)
}

/** Is this resolved address one we may dial (for `host` on `port`, when known)? */
export function addressAllowed(policy: EgressPolicy, address: string, host?: string, port?: number): boolean {
  const addr = parseAddr(address)
  if (!addr) return false
  if (host && hostAllowlisted(policy, host, port)) return true
  if (addrListed(policy.allowlist, addr, port)) return true
  const place = placeOf(addr)
  return place === 'public' || (policy.allowLoopback && place === 'loopback')
}

/** A loopback name or address: where local mode allows plain http. */
function loopbackHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  const addr = ip().isValid(host) ? parseAddr(host) : null
  return addr !== null && placeOf(addr) === 'loopback'
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string }

/**
 * Static check of a URL, after WHATWG parsing (so `127。0。0。1` is seen as
 * 127.0.0.1). Names are checked again, resolved, when a connection is made.
 */
export function checkUrl(policy: EgressPolicy, raw: string): UrlVerdict {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, reason: 'is not a valid URL' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'must use https' }
  if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' }
  const host = bare(url.hostname)
  const port = portOf(url)
  const allowlisted = hostAllowlisted(policy, host, port)
  const loopback = loopbackHost(host)
  if (url.protocol === 'http:' && !allowlisted && !(loopback && policy.allowLoopback && !policy.requireHttps)) {
    const where = policy.requireHttps ? 'for a host in EGRESS_ALLOWLIST' : 'on loopback or for a host in EGRESS_ALLOWLIST'
    return { ok: false, reason: `must use https (plain http only ${where})` }
  }
  if (METADATA_HOSTS.has(host) && !allowlisted) return { ok: false, reason: 'points at a metadata server' }
  if (ip().isValid(host) && !addressAllowed(policy, host, host, port)) return { ok: false, reason: 'points at a private or reserved address' }
  if (loopback && !policy.allowLoopback && !allowlisted) return { ok: false, reason: 'points at a private or reserved address' }
  return { ok: true, url }
}

/**
 * OAuth endpoints (authorization, token, revocation, registration, metadata):
 * as `checkUrl`, and plain http only on loopback when loopback is allowed
 * (local mode), allowlisted hosts included (RFC 9700 §2.6; RFC 8252 §8.3).
 */
export function checkOAuthUrl(policy: EgressPolicy, raw: string): UrlVerdict {
  const v = checkUrl(policy, raw)
  if (!v.ok || v.url.protocol !== 'http:') return v
  return loopbackHost(bare(v.url.hostname)) && policy.allowLoopback ? v : { ok: false, reason: 'must use https' }
}
