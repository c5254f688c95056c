/**
 * A Store and a Vault that pass everything to real adapters and remember what
 * they were given: every collection written, every field name (nested ones
 * as dotted paths), the fields list queries filter on, the keys of JSON
 * secrets, and which function (the request's log context) used which port.
 * representative.test.ts compares that with docs/storage-schema.md and
 * infra/, so a new field or use is caught without a hand-kept list.
 */
import type { FindQuery, ListQuery, Store, TxOps, Vault } from '../../shared/ports.js'
import { logContext } from '../../shared/log.js'

export type Use = 'store-read' | 'store-write' | 'vault-ping' | 'vault-read' | 'vault-write'

export interface Recorded {
  /** collection → field paths written (`config.oauth.client_id`). */
  fields: Map<string, Set<string>>
  /** collection → fields list queries filtered on. */
  queried: Map<string, Set<string>>
  /** collection → `find` shapes: equality fields (sorted), then `order field:dir` (test/indexes.test.ts). */
  found: Map<string, Set<string>>
  /** Keys of the JSON objects put in the vault. */
  secretKeys: Set<string>
  /** function name → what it did with the store and the vault. */
  uses: Map<string, Set<Use>>
}

export const recorded = (): Recorded => ({ fields: new Map(), queried: new Map(), found: new Map(), secretKeys: new Set(), uses: new Map() })

function used(r: Recorded, u: Use): void {
  const fn = logContext.getStore()?.fn ?? '(none)'
  if (!r.uses.has(fn)) r.uses.set(fn, new Set())
  r.uses.get(fn)!.add(u)
}

const plain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Adds every field path of `data` under `col`. Paths in `opaque` (user or
 * upstream data kept as is, such as header maps) are recorded but not descended.
 */
function note(r: Recorded, col: string, data: unknown, opaque: Set<string>, prefix = ''): void {
  if (!r.fields.has(col)) r.fields.set(col, new Set())
  if (!plain(data)) return
  for (const [k, v] of Object.entries(data)) {
    const path = prefix + k
    r.fields.get(col)!.add(path)
    if (plain(v) && !opaque.has(`${col}.${path}`)) note(r, col, v, opaque, `${path}.`)
  }
}

export function recordingStore(inner: Store, r: Recorded, opaque: Set<string>): Store {
  const read = () => used(r, 'store-read')
  const write = () => used(r, 'store-write')
  return {
    get: (col, id) => (read(), inner.get(col, id)),
    create: (col, id, data) => (write(), note(r, col, data, opaque), inner.create(col, id, data)),
    update: (col, id, fn, opts) => (write(), inner.update(col, id, (old) => { const next = fn(old); note(r, col, next, opaque); return next }, opts)),
    delete: (col, id, opts) => (write(), inner.delete(col, id, opts)),
    list: <T>(col: string, q: ListQuery) => {
      read()
      if (q.where) {
        if (!r.queried.has(col)) r.queried.set(col, new Set())
        r.queried.get(col)!.add(q.where.field)
      }
      return inner.list<T>(col, q)
    },
    find: <T>(col: string, q: FindQuery) => {
      read()
      if (!r.found.has(col)) r.found.set(col, new Set())
      r.found.get(col)!.add(findShape(q))
      return inner.find<T>(col, q)
    },
    take: (col, id) => (write(), inner.take(col, id)),
    transact: (fn) =>
      inner.transact((tx) => {
        const rec: TxOps = {
          get: (col, id) => (read(), tx.get(col, id)),
          set: (col, id, data) => (write(), note(r, col, data, opaque), tx.set(col, id, data)),
          delete: (col, id) => (write(), tx.delete(col, id)),
        }
        return fn(rec)
      }),
    watch: (col, id, on) => (read(), inner.watch(col, id, on)),
    ping: () => (read(), inner.ping()),
    close: () => inner.close(),
  }
}

export function recordingVault(inner: Vault, r: Recorded): Vault {
  return {
    put: (name, value) => {
      used(r, 'vault-write')
      try {
        const v = JSON.parse(new TextDecoder().decode(value))
        if (plain(v)) for (const k of Object.keys(v)) r.secretKeys.add(k)
      } catch { /* not JSON: nothing to name */ }
      return inner.put(name, value)
    },
    get: (name) => (used(r, 'vault-read'), inner.get(name)),
    delete: (name) => (used(r, 'vault-write'), inner.delete(name)),
    ping: () => (used(r, 'vault-ping'), inner.ping()),
    close: () => inner.close(),
  }
}

/** A `find` query's index shape: `a,b|at:desc` (equality fields sorted, then the order field). */
export const findShape = (q: FindQuery) => `${Object.keys(q.eq ?? {}).sort().join(',')}|${q.order.field}:${q.order.dir}`
