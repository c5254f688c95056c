/**
 * Names in the aggregate server (docs/decisions.md "Aggregate names"): a tool
 * or prompt is `<slug>__<name>`, within the 64 characters some clients allow;
 * a longer one keeps its start and ends in `_` and 8 hex digits of a hash of
 * the whole, so it is stable and maps back exactly. Resource URIs are
 * `mcpgw://<slug>/<the URI, percent-encoded>`. Pure: no I/O.
 */
import { createHash } from 'node:crypto'

export const MAX_NAME = 64
const SEP = '__'

const hex = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n)

/** A config's slug from its name: lower-case letters, digits and `-`, at most 24; `id` breaks ties. */
export function slugs(configs: { id: string; name: string }[]): Map<string, string> {
  const base = (n: string) => n.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24) || 'mcp'
  const count = new Map<string, number>()
  for (const c of configs) count.set(base(c.name), (count.get(base(c.name)) ?? 0) + 1)
  const out = new Map<string, string>()
  for (const c of configs) {
    const b = base(c.name)
    // Two configs of one name: each gets a piece of its id's hash, the same every time.
    out.set(c.id, count.get(b)! > 1 ? `${b.slice(0, 17)}-${hex(c.id, 6)}` : b)
  }
  return out
}

export function exposed(slug: string, name: string): string {
  const full = `${slug}${SEP}${name}`
  if (full.length <= MAX_NAME) return full
  return `${full.slice(0, MAX_NAME - 9)}_${hex(full, 8)}`
}

/** The slug an exposed name starts with (undefined: not one of ours). */
export const slugOf = (name: string): string | undefined => {
  const at = name.indexOf(SEP)
  return at > 0 ? name.slice(0, at) : undefined
}

/** The original among `names` that `name` exposes, exactly. */
export const original = (slug: string, name: string, names: readonly string[]): string | undefined => names.find((n) => exposed(slug, n) === name)

const SCHEME = 'mcpgw://'
export const exposedUri = (slug: string, uri: string) => `${SCHEME}${slug}/${encodeURIComponent(uri)}`

export function parseUri(uri: string): { slug: string; uri: string } | undefined {
  if (!uri.startsWith(SCHEME)) return undefined
  const rest = uri.slice(SCHEME.length)
  const at = rest.indexOf('/')
  if (at <= 0) return undefined
  try {
    return { slug: rest.slice(0, at), uri: decodeURIComponent(rest.slice(at + 1)) }
  } catch {
    return undefined
  }
}

/**
 * A resource template in the aggregate: `mcpgw://<slug>/` and the template
 * with its literal parts percent-encoded and its expressions kept, so that
 * the URI an agent expands from it reads back (`parseUri`) as the upstream's
 * own expansion. (A value's reserved characters are decoded once on the way.)
 */
export const exposedTemplate = (slug: string, template: string) =>
  `${SCHEME}${slug}/${template.split(/(\{[^{}]*\})/).map((part, i) => (i % 2 ? part : encodeURIComponent(part))).join('')}`
