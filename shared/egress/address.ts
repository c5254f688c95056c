/**
 * What kind of place an IP address is, pure: public unicast, this host's
 * loopback, or anything else (private, link-local, reserved, multicast...).
 * IPv6 forms that carry an IPv4 address are judged by the IPv4 address they
 * carry: ipaddr.js unwraps only IPv4-mapped addresses and calls IPv4-compatible
 * ones (`::7f00:1`) public unicast.
 */
import { createRequire } from 'node:module'
import type * as Ipaddr from 'ipaddr.js'

// Loaded on first use: listing configs never needs it, and cold starts pay for every import.
let lib: typeof Ipaddr | undefined
export const ip = (): typeof Ipaddr => (lib ??= createRequire(import.meta.url)('ipaddr.js') as typeof Ipaddr)

export type Addr = Ipaddr.IPv4 | Ipaddr.IPv6
export type Place = 'public' | 'loopback' | 'other'

/** The address, IPv4-mapped IPv6 unwrapped, or null when it is not one. */
export function parseAddr(s: string): Addr | null {
  let a = s.replace(/^\[|\]$/g, '')
  // ipaddr.js reads an IPv6 address ending in dotted IPv4 as IPv4-mapped (`::127.0.0.1` as `::ffff:127.0.0.1`): spell it in hex first.
  const dotted = a.includes(':') ? /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a) : null
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(1).map(Number) as [number, number, number, number]
    if (Math.max(b0, b1, b2, b3) > 255) return null
    a = `${a.slice(0, dotted.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`
  }
  try {
    return ip().process(a)
  } catch {
    return null
  }
}

const v4place = (a: Ipaddr.IPv4): Place => {
  const r = a.range()
  return r === 'unicast' ? 'public' : r === 'loopback' ? 'loopback' : 'other'
}

/** An embedded IPv4 address counts only when public: a translator or relay dials it, never our own loopback. */
const via = (...embedded: Ipaddr.IPv4[]): Place => (embedded.every((a) => v4place(a) === 'public') ? 'public' : 'other')

export function placeOf(a: Addr): Place {
  if (a.kind() === 'ipv4') return v4place(a as Ipaddr.IPv4)
  const p = (a as Ipaddr.IPv6).parts
  const v4 = (hi: number, lo: number) => new (ip().IPv4)([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff])
  const zero = (from: number, to: number) => p.slice(from, to).every((x) => x === 0)
  const range = a.range()
  if (range === 'loopback') return 'loopback'
  // ::/96: the unspecified address and IPv4-compatible addresses (RFC 4291 §2.5.5.1, deprecated; no use today).
  if (zero(0, 6)) return 'other'
  // ::ffff:0:0:0/96, IPv4-translated (RFC 2765 §2.1).
  if (zero(0, 4) && p[4] === 0xffff && p[5] === 0) return via(v4(p[6]!, p[7]!))
  if (p[0] === 0x64 && p[1] === 0xff9b) {
    // 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052 §2.1): the IPv4 address is the last 32 bits.
    if (zero(2, 6)) return via(v4(p[6]!, p[7]!))
    // 64:ff9b:1::/48 and the rest: local-use NAT64 (RFC 8215), where the IPv4 address sits depends on the operator's prefix.
    return 'other'
  }
  // 2002::/16, 6to4 (RFC 3056 §2): the IPv4 address is bits 16-47.
  if (p[0] === 0x2002) return via(v4(p[1]!, p[2]!))
  // 2001::/32, Teredo (RFC 4380 §4): the server's IPv4 address in bits 32-63, the client's inverted in the last 32.
  if (p[0] === 0x2001 && p[1] === 0) return via(v4(p[2]!, p[3]!), v4(p[6]! ^ 0xffff, p[7]! ^ 0xffff))
  return range === 'unicast' ? 'public' : 'other'
}
