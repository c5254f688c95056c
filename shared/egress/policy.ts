/**
 * Egress policy, pure: which URLs and addresses the gateway may reach.
 * Production: https only, and only public unicast addresses, unless the host
 * or address is in EGRESS_ALLOWLIST. Local mode also allows loopback and http.
 */
import { createRequire } from 'node:module'
import type * as Ipaddr from 'ipaddr.js'
import type { Config } from '../config.js'

// Loaded on first use: listing configs never needs it, and cold starts pay for every import.
let lib: typeof Ipaddr | undefined
const ip = (): typeof Ipaddr => (lib ??= createRequire(import.meta.url)('ipaddr.js') as typeof Ipaddr)

export interface EgressPolicy {
  requireHttps: boolean
  allowLoopback: boolean
  /** Hostnames (`api.example.com`, `*.corp.example`), IPs or CIDRs. */
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

export function hostAllowlisted(policy: EgressPolicy, host: string): boolean {
  const h = bare(host)
  return policy.allowlist.some((e) => {
    const entry = e.toLowerCase()
    if (entry.startsWith('*.')) return h.endsWith(entry.slice(1))
    return entry === h
  })
}

/** Is this resolved address one we may dial? */
export function addressAllowed(policy: EgressPolicy, address: string, host?: string): boolean {
  let addr: Ipaddr.IPv4 | Ipaddr.IPv6
  try {
    addr = ip().process(bare(address))
  } catch {
    return false
  }
  if (host && hostAllowlisted(policy, host)) return true
  for (const e of policy.allowlist) {
    if (!e.includes('/') && !ip().isValid(e)) continue
    try {
      if (e.includes('/')) {
        const [net, bits] = ip().parseCIDR(e)
        if (net.kind() === addr.kind() && addr.match([net, bits] as any)) return true
      } else if (ip().process(e).toString() === addr.toString()) return true
    } catch { /* a malformed entry allows nothing */ }
  }
  const range = addr.range()
  if (range === 'unicast') return true
  return policy.allowLoopback && range === 'loopback'
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
  const allowlisted = hostAllowlisted(policy, host)
  const isIp = ip().isValid(host)
  const loopbackName = host === 'localhost' || host.endsWith('.localhost')
  if (url.protocol === 'http:' && policy.requireHttps && !allowlisted) return { ok: false, reason: 'must use https' }
  if (METADATA_HOSTS.has(host) && !allowlisted) return { ok: false, reason: 'points at a metadata server' }
  if (isIp && !addressAllowed(policy, host, host)) return { ok: false, reason: 'points at a private or reserved address' }
  if (loopbackName && !policy.allowLoopback && !allowlisted) return { ok: false, reason: 'points at a private or reserved address' }
  return { ok: true, url }
}

/**
 * OAuth endpoints (authorization, token, revocation): as `checkUrl`, and plain
 * http only on loopback when loopback is allowed (local mode), allowlisted
 * hosts included (RFC 9700 §2.6; RFC 8252 §8.3).
 */
export function checkOAuthUrl(policy: EgressPolicy, raw: string): UrlVerdict {
  const v = checkUrl(policy, raw)
  if (!v.ok || v.url.protocol !== 'http:') return v
  const host = bare(v.url.hostname)
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host)
  return loopback && policy.allowLoopback ? v : { ok: false, reason: 'must use https' }
}
