/**
 * The store's copy of the registries: one record per source, server name and
 * version (`registry_entries`), read by search and detail requests, written by
 * refreshes. docs/storage-schema.md lists the fields.
 */
import { createHash } from 'node:crypto'
import type { Deps } from '../deps.js'
import type { Rec } from '../ports.js'
import type { Accepted, ServerJson, Status } from './entry.js'

export const ENTRIES = 'registry_entries'

export interface EntryRecord {
  /** sha256(source, name): the field a server's versions are queried by. */
  key: string
  source: string
  name: string
  version: string
  is_latest: boolean
  status: Status
  published_at: string | null
  updated_at: string | null
  /** The server.json as one JSON text (its member names never become document field names). */
  server: string
  /** Lower-cased name, title and description, for substring search. */
  search: string
  cached_at: number
}

export const keyOf = (source: string, name: string) => createHash('sha256').update(`${source}\n${name}`).digest('hex').slice(0, 40)
// Hex keeps ids ordered by server name (then source and version), within Firestore's id rules.
const idOf = (source: string, name: string, version: string) => Buffer.from(`${name}\u0000${keyOf(source, name).slice(0, 8)}\u0000${version}`).toString('hex')

export const serverOf = (r: EntryRecord) => JSON.parse(r.server) as ServerJson

/** Writes accepted entries; a new latest version clears `is_latest` on the others of its server. */
export async function upsert(d: Deps, source: string, items: Accepted[]): Promise<void> {
  if (!items.length) return
  const store = await d.store()
  const now = d.clock.now()
  const recs = items.map((a): [string, EntryRecord] => {
    const s = a.server
    return [idOf(source, s.name, s.version), {
      key: keyOf(source, s.name), source, name: s.name, version: s.version, is_latest: a.is_latest, status: a.status,
      published_at: a.published_at, updated_at: a.updated_at, server: JSON.stringify(s),
      search: `${s.name}\n${s.title ?? ''}\n${s.description}`.toLowerCase(), cached_at: now,
    }]
  })
  for (let i = 0; i < recs.length; i += 400) {
    const chunk = recs.slice(i, i + 400)
    await store.transact(async (tx) => { for (const [id, r] of chunk) tx.set(ENTRIES, id, r) })
  }
  const latest = new Map(recs.filter(([, r]) => r.is_latest).map(([, r]) => [r.key, r.version]))
  const keys = [...latest.keys()]
  // 30 servers per query (Firestore's limit for `in`); a server keeps few versions.
  for (let i = 0; i < keys.length; i += 30) {
    let cursor: string | undefined
    do {
      const page = await store.list<EntryRecord>(ENTRIES, { where: { field: 'key', in: keys.slice(i, i + 30) }, limit: 1000, ...(cursor ? { cursor } : {}) })
      for (const o of page.items) {
        if (o.data.is_latest && o.data.version !== latest.get(o.data.key)) await store.update<EntryRecord>(ENTRIES, o.id, (x) => ({ ...x, is_latest: false }))
      }
      cursor = page.next ?? undefined
    } while (cursor)
  }
}

/** Every cached version of a server, across sources, newest first. */
export async function versionsOf(d: Deps, name: string): Promise<Rec<EntryRecord>[]> {
  const keys = d.config.discovery.sources.map((s) => keyOf(s, name))
  if (!keys.length) return []
  const page = await (await d.store()).list<EntryRecord>(ENTRIES, { where: { field: 'key', in: keys.slice(0, 30) }, limit: 1000 })
  return page.items.filter((r) => r.data.name === name).sort((a, b) => (b.data.published_at ?? '').localeCompare(a.data.published_at ?? '') || b.id.localeCompare(a.id))
}

/** The cached record of one version, or the latest (`latest`). */
export async function cachedVersion(d: Deps, name: string, version: string): Promise<Rec<EntryRecord> | null> {
  const all = await versionsOf(d, name)
  return (version === 'latest' ? all.find((r) => r.data.is_latest) ?? all[0] : all.find((r) => r.data.version === version)) ?? null
}

const SCAN_BUDGET = 1000

/**
 * A page of the latest versions whose name, title or description contains
 * `search`. The store has no substring query, so pages are scanned in id
 * order, at most SCAN_BUDGET records per request; a page may hold fewer than
 * `limit` items, and `next` says where to go on.
 */
export async function searchPage(d: Deps, search: string, limit: number, cursor?: string) {
  const store = await d.store()
  const needle = search.toLowerCase()
  const items: Rec<EntryRecord>[] = []
  let next: string | null = cursor ?? null
  let scanned = 0
  do {
    const page = await store.list<EntryRecord>(ENTRIES, { where: { field: 'is_latest', in: [true] }, limit: limit - items.length, ...(next ? { cursor: next } : {}) })
    scanned += page.items.length
    for (const r of page.items) if (r.data.status !== 'deleted' && (!needle || r.data.search.includes(needle))) items.push(r)
    next = page.next
  } while (next && items.length < limit && scanned < SCAN_BUDGET)
  return { items, next }
}
