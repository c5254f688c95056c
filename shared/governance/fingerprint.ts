/**
 * Fingerprints of MCP definitions, for pinning (issue 12 §1).
 *
 * `fingerprint(kind, def)` = "sha256:" + hex SHA-256 of
 *   "v1\n" + kind + "\n" + JCS(coveredView(kind, def))
 * where JCS is the RFC 8785 canonical JSON. The leading "v1" names the scheme:
 * a later scheme changes the prefix, so its hashes can never equal v1 ones, and
 * stored pins can say which scheme made them.
 *
 * RFC 8785 refuses strings with lone surrogates (JSON.parse lets them through,
 * so a hostile server can send them). Such a definition is hashed under the
 * variant "v1e": every string and member name is replaced by its JSON.stringify
 * form (which escapes lone surrogates) before canonicalizing. That mapping is
 * one-to-one and the prefix differs, so it collides neither with itself nor
 * with well-formed definitions.
 *
 * `setFingerprint(kind, entries)` covers a whole listing, additions and
 * removals included: "v1-set\n" + kind + "\n" + JCS of the [key, fingerprint]
 * pairs sorted by key, then fingerprint (duplicates kept).
 */
import { createHash } from 'node:crypto'
import canonicalize from 'canonicalize'
import { coveredView, definitionKey, type Kind } from './definition.js'

export const SCHEME = 'v1'

const sha256 = (s: string) => 'sha256:' + createHash('sha256').update(s, 'utf8').digest('hex')
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/** Whether any string or member name inside `v` holds a lone surrogate (iterative: depth is unbounded). */
function illFormed(v: unknown): boolean {
  const stack = [v]
  while (stack.length) {
    const x = stack.pop()
    if (typeof x === 'string') {
      if (LONE_SURROGATE.test(x)) return true
    } else if (Array.isArray(x)) for (const e of x) stack.push(e)
    else if (typeof x === 'object' && x !== null)
      for (const [k, val] of Object.entries(x)) {
        if (LONE_SURROGATE.test(k)) return true
        stack.push(val)
      }
  }
  return false
}

/** A copy with every string and member name replaced by its JSON text (iterative; only used for ill-formed input). */
function escapeStrings(root: unknown): unknown {
  type Slot = [Record<string | number, unknown>, string | number]
  const top: Record<string, unknown> = { v: root }
  const stack: Slot[] = [[top, 'v']]
  while (stack.length) {
    const [holder, key] = stack.pop()!
    const x = holder[key]
    if (typeof x === 'string') holder[key] = JSON.stringify(x)
    else if (Array.isArray(x)) {
      const copy = x.slice()
      holder[key] = copy
      for (let i = 0; i < copy.length; i++) stack.push([copy as unknown as Record<number, unknown>, i])
    } else if (typeof x === 'object' && x !== null) {
      const copy: Record<string, unknown> = {}
      for (const [k, val] of Object.entries(x)) copy[JSON.stringify(k)] = val
      holder[key] = copy
      for (const k of Object.keys(copy)) stack.push([copy, k])
    }
  }
  return top.v
}

/** "sha256:<hex>" of one definition's covered fields (see the module comment). */
export function fingerprint(kind: Kind, def: unknown): string {
  const view = coveredView(kind, def)
  if (illFormed(view)) return sha256(`${SCHEME}e\n${kind}\n${canonicalize(escapeStrings(view))}`)
  return sha256(`${SCHEME}\n${kind}\n${canonicalize(view)}`)
}

/** Fingerprint of a whole listing from its [key, fingerprint] pairs. */
export function setFingerprint(kind: Kind, entries: Iterable<readonly [string, string]>): string {
  const pairs = [...entries].map(([k, f]) => [k, f] as const)
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  const body = illFormed(pairs) ? `${SCHEME}e-set\n${kind}\n${canonicalize(escapeStrings(pairs))}` : `${SCHEME}-set\n${kind}\n${canonicalize(pairs)}`
  return sha256(body)
}

/** Convenience: the set fingerprint of a listing's definitions. */
export const listingFingerprint = (kind: Kind, defs: readonly unknown[]) =>
  setFingerprint(kind, defs.map((d) => [definitionKey(kind, d), fingerprint(kind, d)] as const))
