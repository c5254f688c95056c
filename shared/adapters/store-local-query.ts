/**
 * The local store's queries (store-local.ts): `list` and `find` evaluated over
 * one collection's records in memory, in Firestore's order and with its
 * cursors.
 */
import { decodeCursor, decodeFindCursor, encodeCursor, encodeFindCursor } from './store-limits.js'
import type { Clock, FindQuery, ListQuery, Page, Rec } from '../ports.js'
import { expired, type Entry } from './store-local-records.js'

/** A page of `list`: ids after the cursor in Firestore's order, optionally where one field is in a set. */
export function listPage<T>(m: ReadonlyMap<string, Entry> | undefined, q: ListQuery, clock: Clock): Page<T> {
  const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor)
  if (!m || q.where?.in.length === 0) return { items: [], next: null }
  const ids = [...m.keys()].filter((id) => after === undefined || id > after).sort(byCodeUnit)
  const items: Rec<T>[] = []
  for (const id of ids) {
    const e = m.get(id)
    if (!e || expired(e, clock.now())) continue
    const data = JSON.parse(e.s) as T
    if (q.where && !(q.where.in as unknown[]).includes((data as Record<string, unknown> | null)?.[q.where.field])) continue
    if (items.length === q.limit) return { items, next: encodeCursor(items[items.length - 1]!.id) }
    items.push({ id, data, version: e.v })
  }
  return { items, next: null }
}

/** A page of `find`: a scan of the collection (local data is small enough; Firestore uses the declared indexes). */
export function findPage<T>(m: ReadonlyMap<string, Entry> | undefined, q: FindQuery, clock: Clock): Page<T> {
  const after = q.cursor === undefined ? undefined : decodeFindCursor(q.cursor)
  if (!m) return { items: [], next: null }
  const f = q.order.field
  const sign = q.order.dir === 'asc' ? 1 : -1
  const eq = Object.entries(q.eq ?? {})
  // A record that matches holds `"field":value` in its text: only those are parsed (100,000 audit records, one user's few).
  const needles = eq.map(([name, v]) => `${JSON.stringify(name)}:${JSON.stringify(v)}`)
  const hits: { r: Rec<T>; k: string | number }[] = []
  for (const [id, e] of m) {
    if (expired(e, clock.now())) continue
    if (!needles.every((n) => e.s.includes(n))) continue
    const data = JSON.parse(e.s) as Record<string, unknown> | null
    if (!data || typeof data !== 'object') continue
    const k = data[f]
    // Firestore: a record without the order field is not in the index.
    if (typeof k !== 'number' && typeof k !== 'string') continue
    if (!eq.every(([name, v]) => data[name] === v)) continue
    if (q.gte !== undefined && cmp(k, q.gte) < 0) continue
    if (q.lt !== undefined && cmp(k, q.lt) >= 0) continue
    if (after && sign * (cmp(k, after[0]) || byCodeUnit(id, after[1])) <= 0) continue
    hits.push({ r: { id, data: data as T, version: e.v }, k })
  }
  hits.sort((a, b) => sign * (cmp(a.k, b.k) || byCodeUnit(a.r.id, b.r.id)))
  const page = hits.slice(0, q.limit)
  const last = page[page.length - 1]
  return { items: page.map((h) => h.r), next: hits.length > q.limit && last ? encodeFindCursor(last.k, last.r.id) : null }
}

// Firestore orders document ids by UTF-8 bytes; code-unit order matches it for the BMP.
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
// Firestore's value order: numbers before strings.
const cmp = (a: string | number, b: string | number) => (typeof a !== typeof b ? (typeof a === 'number' ? -1 : 1) : a < b ? -1 : a > b ? 1 : 0)
