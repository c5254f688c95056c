// Types only: the SDK costs 370-700 ms to import, so it is loaded on first use.
import type { DocumentReference, DocumentSnapshot, Firestore, Query, Timestamp } from '@google-cloud/firestore'
import { AppError } from '../errors.js'
import { MAX_DOC_BYTES, MAX_TX_WRITES, checkFind, checkList, decodeCursor, decodeFindCursor, encodeCursor, encodeFindCursor } from './store-limits.js'
import { systemClock, type Clock, type Committed, type FindQuery, type ListQuery, type Page, type Rec, type Store, type TxOps } from '../ports.js'

type Sdk = typeof import('@google-cloud/firestore')

/** The field a Firestore TTL policy deletes on (infra/ sets the policy on it). */
export const TTL_FIELD = 'exp'

/** The stored document: `exp` mirrors `d.expires_at` for a TTL policy on field `exp`. */
interface Doc {
  d: unknown
  v: number
  exp?: Timestamp
}

export interface FirestoreStoreOptions {
  projectId: string
  databaseId?: string
  /** Prepended to every collection name, e.g. `dev_`. */
  prefix?: string
  clock?: Clock
  /** A ready client (tests, emulator). The store then leaves `terminate()` to its owner. */
  firestore?: Firestore
  /** Bound on `ping`: the SDK retries an unreachable backend for about 40 s. Default 5000. */
  pingTimeoutMs?: number
}

// Contention shows up as ABORTED and the SDK retries with backoff from 1 s. Its default
// of 5 attempts is tight: 20 concurrent increments of one document on the emulator
// needed up to 4 attempts each.
const MAX_ATTEMPTS = 10
// gRPC status codes.
const ALREADY_EXISTS = 6
const DEADLINE_EXCEEDED = 4
const TRANSIENT = new Set([DEADLINE_EXCEEDED, 10 /* ABORTED, after retries */, 14 /* UNAVAILABLE */])

/**
 * Store on Cloud Firestore. Each record is a document `{ d, v, exp? }` in the
 * collection `${prefix}${col}`. Expired records stay until the TTL sweep, which
 * Firestore documents as running up to 24 h late, so every read filters them too.
 */
export class FirestoreStore implements Store {
  private readonly prefix: string
  private readonly clock: Clock
  private ready?: Promise<{ db: Firestore; sdk: Sdk }>

  constructor(private readonly opts: FirestoreStoreOptions) {
    this.prefix = opts.prefix ?? ''
    this.clock = opts.clock ?? systemClock
  }

  async get<T>(col: string, id: string): Promise<Rec<T> | null> {
    return this.run(async ({ db }) => this.rec<T>(await this.ref(db, col, id).get()))
  }

  async create<T>(col: string, id: string, data: T, opts?: Committed<T>): Promise<Rec<T>> {
    return committed(await this.create0(col, id, data), opts)
  }

  private create0<T>(col: string, id: string, data: T): Promise<Rec<T>> {
    const d = json(data)
    return this.run(async ({ db, sdk }) => {
      const ref = this.ref(db, col, id)
      const doc = toDoc(sdk, d, 1)
      try {
        await ref.create(doc)
      } catch (e) {
        if ((e as { code?: unknown }).code !== ALREADY_EXISTS) throw e
        // The id exists but may have expired and await the TTL sweep: replace it then.
        await db.runTransaction(async (t) => {
          if (this.rec(await t.get(ref))) throw new AppError('conflict', `${col}/${id} already exists`)
          t.set(ref, doc)
        }, { maxAttempts: MAX_ATTEMPTS })
      }
      return { id, data: d as T, version: 1 }
    })
  }

  async update<T>(col: string, id: string, fn: (old: T) => T, opts?: { ifVersion?: number } & Committed<T>): Promise<Rec<T>> {
    return committed(await this.update0(col, id, fn, opts), opts)
  }

  private update0<T>(col: string, id: string, fn: (old: T) => T, opts?: { ifVersion?: number }): Promise<Rec<T>> {
    return this.run(({ db, sdk }) => {
      const ref = this.ref(db, col, id)
      return db.runTransaction(async (t) => {
        const cur = this.rec<T>(await t.get(ref))
        if (!cur) throw new AppError('not_found', `${col}/${id} not found`)
        if (opts?.ifVersion !== undefined && opts.ifVersion !== cur.version) throw new AppError('precondition_failed', `${col}/${id} has changed`)
        const data = json(fn(cur.data)) as T
        t.set(ref, toDoc(sdk, data, cur.version + 1))
        return { id, data, version: cur.version + 1 }
      }, { maxAttempts: MAX_ATTEMPTS })
    })
  }

  // A transaction even when unconditional: a blind delete cannot tell "deleted"
  // from "was missing or expired", and the port promises that boolean.
  async delete(col: string, id: string, opts?: { ifVersion?: number }): Promise<boolean> {
    return this.run(({ db }) => {
      const ref = this.ref(db, col, id)
      return db.runTransaction(async (t) => {
        const snap = await t.get(ref)
        if (!snap.exists) return false
        const cur = this.rec(snap)
        if (cur && opts?.ifVersion !== undefined && opts.ifVersion !== cur.version) throw new AppError('precondition_failed', `${col}/${id} has changed`)
        t.delete(ref)
        return !!cur
      }, { maxAttempts: MAX_ATTEMPTS })
    })
  }

  async list<T>(col: string, q: ListQuery): Promise<Page<T>> {
    checkList(q)
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor)
    if (q.where?.in.length === 0) return { items: [], next: null }
    return this.run(async ({ db, sdk }) => {
      let query: Query = db.collection(this.name(col))
      if (q.where) query = query.where(new sdk.FieldPath('d', q.where.field), 'in', q.where.in)
      // Equality/in on one field + ascending __name__ is served by the automatic single-field index.
      query = query.orderBy(sdk.FieldPath.documentId())
      if (after !== undefined) query = query.startAfter(after)
      const docs = (await query.limit(q.limit + 1).get()).docs
      const page = docs.slice(0, q.limit)
      // Expired documents are dropped here, so a page may be short; the cursor still
      // advances past them, so `next` stays right.
      const items = page.map((s) => this.rec<T>(s)).filter((r): r is Rec<T> => r !== null)
      return { items, next: docs.length > q.limit ? encodeCursor(page[page.length - 1]!.id) : null }
    })
  }

  /** Served by a composite index per shape (infra/firestore.tf, firestore.indexes.json). */
  async find<T>(col: string, q: FindQuery): Promise<Page<T>> {
    checkFind(q)
    const after = q.cursor === undefined ? undefined : decodeFindCursor(q.cursor)
    return this.run(async ({ db, sdk }) => {
      let query: Query = db.collection(this.name(col))
      for (const [f, v] of Object.entries(q.eq ?? {})) query = query.where(new sdk.FieldPath('d', f), '==', v)
      const by = new sdk.FieldPath('d', q.order.field)
      if (q.gte !== undefined) query = query.where(by, '>=', q.gte)
      if (q.lt !== undefined) query = query.where(by, '<', q.lt)
      query = query.orderBy(by, q.order.dir).orderBy(sdk.FieldPath.documentId(), q.order.dir)
      if (after) query = query.startAfter(after[0], after[1])
      const docs = (await query.limit(q.limit + 1).get()).docs
      const page = docs.slice(0, q.limit)
      // As in list: expired documents are dropped, the cursor still advances past them.
      const items = page.map((s) => this.rec<T>(s)).filter((r): r is Rec<T> => r !== null)
      const last = page[page.length - 1]
      const key = last && ((last.data() as Doc).d as Record<string, string | number>)[q.order.field]
      return { items, next: docs.length > q.limit && last ? encodeFindCursor(key, last.id) : null }
    })
  }

  async take<T>(col: string, id: string): Promise<T | null> {
    return this.run(({ db }) => {
      const ref = this.ref(db, col, id)
      return db.runTransaction(async (t) => {
        const snap = await t.get(ref)
        if (snap.exists) t.delete(ref)
        return this.rec<T>(snap)?.data ?? null
      }, { maxAttempts: MAX_ATTEMPTS })
    })
  }

  /**
   * Firestore transactions need every read before the first write, so `tx.set` and
   * `tx.delete` are buffered and applied after `fn` resolves; `tx.get` sees them.
   */
  async transact<R>(fn: (tx: TxOps) => Promise<R>): Promise<R> {
    return this.run(({ db, sdk }) =>
      db.runTransaction(async (t) => {
        const versions = new Map<string, number>() // path -> current version (0: absent or expired)
        const writes = new Map<string, { ref: DocumentReference; d: unknown | null }>()
        const read = async (ref: DocumentReference) => {
          if (!versions.has(ref.path)) versions.set(ref.path, this.rec(await t.get(ref))?.version ?? 0)
          return versions.get(ref.path)!
        }
        let open = true
        const tx: TxOps = {
          get: async <T>(col: string, id: string) => {
            if (!open) throw new Error('transaction is finished')
            const ref = this.ref(db, col, id)
            const w = writes.get(ref.path)
            if (!w) {
              const cur = this.rec<T>(await t.get(ref))
              versions.set(ref.path, cur?.version ?? 0)
              return cur
            }
            const v = await read(ref)
            return w.d === null ? null : { id, data: json(w.d) as T, version: v + 1 }
          },
          set: (col, id, data) => {
            if (!open) throw new Error('transaction is finished')
            const ref = this.ref(db, col, id)
            writes.set(ref.path, { ref, d: json(data) })
          },
          delete: (col, id) => {
            if (!open) throw new Error('transaction is finished')
            const ref = this.ref(db, col, id)
            writes.set(ref.path, { ref, d: null })
          },
        }
        try {
          const r = await fn(tx)
          if (writes.size > MAX_TX_WRITES) throw new AppError('invalid_request', `a transaction may write at most ${MAX_TX_WRITES} records`)
          // Versions of documents written blind: still reads, so still before any write.
          const unread = [...writes.values()].filter((w) => w.d !== null && !versions.has(w.ref.path)).map((w) => w.ref)
          if (unread.length) {
            for (const s of await t.getAll(...unread)) versions.set(s.ref.path, this.rec(s)?.version ?? 0)
          }
          for (const w of writes.values()) {
            if (w.d === null) t.delete(w.ref)
            else t.set(w.ref, toDoc(sdk, w.d, versions.get(w.ref.path)! + 1))
          }
          return r
        } finally {
          open = false
        }
      }, { maxAttempts: MAX_ATTEMPTS }),
    )
  }

  /** A snapshot listener: every process watching the document sees every committed change (coalesced). */
  watch<T>(col: string, id: string, on: (r: Rec<T> | null) => void): () => void {
    let stop: (() => void) | undefined
    let stopped = false
    void this.client().then(({ db }) => {
      if (stopped) return
      stop = this.ref(db, col, id).onSnapshot(
        (snap) => { if (!stopped) on(this.rec<T>(snap)) },
        // The listener ended (e.g. the client was terminated): nothing more will come.
        () => {},
      )
    }, () => {})
    return () => {
      stopped = true
      stop?.()
    }
  }

  async ping(): Promise<void> {
    return this.run(async ({ db }) => {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('ping timed out'), { code: DEADLINE_EXCEEDED })), this.opts.pingTimeoutMs ?? 5000)
      })
      const read = db.collection(`${this.prefix}_health`).doc('ping').get()
      read.catch(() => {}) // it may fail after the race is lost: not an unhandled rejection
      try {
        await Promise.race([read, late])
      } finally {
        clearTimeout(timer)
      }
    })
  }

  /** Terminates the client if this store created it. */
  async close(): Promise<void> {
    const ready = this.ready
    this.ready = undefined
    if (!ready || this.opts.firestore) return
    const { db } = await ready.catch(() => ({ db: undefined }))
    await db?.terminate()
  }

  // ---- internals ----

  private client(): Promise<{ db: Firestore; sdk: Sdk }> {
    return (this.ready ??= (async () => {
      const sdk = await import('@google-cloud/firestore')
      const db = this.opts.firestore ?? new sdk.Firestore({ projectId: this.opts.projectId, databaseId: this.opts.databaseId, ignoreUndefinedProperties: true })
      return { db, sdk }
    })().catch((e) => {
      this.ready = undefined
      throw e
    }))
  }

  /** Runs `f` with the client; transient gRPC failures become `unavailable`, details kept as `cause` for the log. */
  private async run<R>(f: (c: { db: Firestore; sdk: Sdk }) => Promise<R>): Promise<R> {
    try {
      return await f(await this.client())
    } catch (e) {
      if (!(e instanceof AppError) && TRANSIENT.has((e as { code?: unknown })?.code as number)) {
        throw new AppError('unavailable', 'store unavailable', undefined, { cause: e })
      }
      throw e
    }
  }

  private name(col: string): string {
    checkKey('collection', col)
    return `${this.prefix}${col}`
  }

  private ref(db: Firestore, col: string, id: string): DocumentReference {
    checkKey('id', id)
    return db.collection(this.name(col)).doc(id)
  }

  /** The record, or null if the document is missing or expired. */
  private rec<T>(snap: DocumentSnapshot): Rec<T> | null {
    const doc = snap.data() as Doc | undefined
    if (!doc) return null
    const exp = (doc.d as { expires_at?: unknown } | null)?.expires_at
    if (typeof exp === 'number' && exp <= this.clock.now()) return null
    return { id: snap.id, data: doc.d as T, version: doc.v }
  }
}

function toDoc(sdk: Sdk, d: unknown, v: number): Doc {
  const exp = (d as { expires_at?: unknown } | null)?.expires_at
  return typeof exp === 'number' ? { d, v, [TTL_FIELD]: sdk.Timestamp.fromMillis(exp) } : { d, v }
}

/** The commit is what makes a write durable here: `committed` hears of it as the caller does. */
function committed<T>(r: Rec<T>, opts?: Committed<T>): Rec<T> {
  try {
    opts?.committed?.(r)
  } catch {}
  return r
}

/** Records are JSON: a round trip drops `undefined` (which Firestore rejects) and unshares the caller's object. */
function json(data: unknown): unknown {
  const s = JSON.stringify(data)
  if (s === undefined) throw new AppError('invalid_request', 'record data must be JSON')
  if (Buffer.byteLength(s) > MAX_DOC_BYTES) throw new AppError('payload_too_large', 'record exceeds 1 MiB')
  return JSON.parse(s)
}

// Firestore's rules for collection and document ids: 1..1500 bytes, no '/', not '.', '..' or __*__.
function checkKey(what: string, v: string): void {
  if (typeof v !== 'string' || !v || v.includes('/') || v === '.' || v === '..' || /^__.*__$/.test(v) || Buffer.byteLength(v) > 1500) {
    throw new AppError('invalid_request', `invalid ${what}`)
  }
}



