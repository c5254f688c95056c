/**
 * EGRESS_ALLOWLIST entries, pure: a host name (`mcp.corp.example`), a wildcard
 * (`*.corp.example`), an IP address or a CIDR, each with an optional port
 * (`mcp.corp.example:8443`, `127.0.0.1:8443`, `[::1]:8443`, `10.8.0.0/16:443`).
 * An entry without a port admits every port; one with a port admits only it.
 */
import { ip, parseAddr, type Addr } from './address.js'

interface Entry {
  /** A host name, or `.suffix` for a wildcard. */
  name?: string
  addr?: Addr
  net?: [Addr, number]
  /** null: every port. */
  port: number | null
}

/** Splits an entry into host and port, or says what is wrong with it. */
export function splitEntry(raw: string): { host: string; port: number | null } | { error: string } {
  const e = raw.trim().toLowerCase()
  let host = e
  let port: string | undefined
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(e)
  if (bracketed) [host, port] = [bracketed[1]!, bracketed[2]]
  // One colon is host:port; more (unbracketed) is an IPv6 address or CIDR, every port.
  else if (e.includes(':') && e.indexOf(':') === e.lastIndexOf(':')) [host, port] = e.split(':') as [string, string]
  host = host.replace(/\.$/, '')
  if (!host) return { error: 'has no host' }
  if (port === undefined) return { host, port: null }
  const n = Number(port)
  if (!/^\d{1,5}$/.test(port) || n < 1 || n > 65535) return { error: 'has a port that is not a number from 1 to 65535' }
  return { host, port: n }
}

function compile(raw: string): Entry | null {
  const s = splitEntry(raw)
  if ('error' in s) return null // config.ts refuses these at start-up; a policy built by hand just admits nothing
  try {
    if (s.host.includes('/')) return { net: ip().parseCIDR(s.host), port: s.port }
  } catch {
    return null
  }
  const addr = ip().isValid(s.host) ? parseAddr(s.host) : null
  if (addr) return { addr, port: s.port }
  return { name: s.host.startsWith('*.') ? s.host.slice(1) : s.host, port: s.port }
}

// Policies come and go per request, but their allowlist is the config's one array.
const compiled = new WeakMap<readonly string[], Entry[]>()
function entries(list: readonly string[]): Entry[] {
  let out = compiled.get(list)
  if (!out) {
    out = list.map(compile).filter((e): e is Entry => e !== null)
    compiled.set(list, out)
  }
  return out
}

/** `port` undefined: only entries for every port count. */
const portOk = (e: Entry, port: number | undefined) => e.port === null || e.port === port

/** Does an entry name this host (a name, not an address)? */
export function nameListed(list: readonly string[], host: string, port?: number): boolean {
  const h = host.replace(/\.$/, '').toLowerCase()
  return entries(list).some((e) => e.name !== undefined && portOk(e, port) && (e.name.startsWith('.') ? h.endsWith(e.name) : e.name === h))
}

/** Does an address or CIDR entry cover this address? */
export function addrListed(list: readonly string[], addr: Addr, port?: number): boolean {
  return entries(list).some((e) => {
    if (!portOk(e, port)) return false
    if (e.addr) return e.addr.kind() === addr.kind() && e.addr.toString() === addr.toString()
    if (e.net) return e.net[0].kind() === addr.kind() && addr.match(e.net as any)
    return false
  })
}
