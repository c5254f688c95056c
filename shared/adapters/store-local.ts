import { AppError } from '../errors.js'
import { Journal, type JournalWrite } from './journal.js'
import { MAX_TX_WRITES, checkFind, checkList } from './store-limits.js'
import { systemClock, type Clock, type Committed, type FindQuery, type ListQuery, type Page, type Rec, type Store, type TxOps } from '../ports.js'
import { checkKey, committed, entry, expired, expOf, key, rec, ser, size, written, type Entry, type Write } from './store-local-records.js'
import { findPage, listPage } from './store-local-query.js'
import { frozen, LOG_COLLECTIONS, wasteful, type Part } from './store-local-files.js'
import { Watchers } from './store-local-watch.js'

export { LOG_COLLECTIONS }

// How often expired records leave memory (they read as missing before that).
const SWEEP_MS = 10 * 60_000
// How long a lazy write (Committed.lazy) waits for another write's flush before it asks for one.
const LAZY_FLUSH_MS = 20

/**
 * Embedded Store for local runs and tests: a Map per collection in memory, made
 * durable by a snapshot and journals (./journal.ts: one line per commit,
 * replayed on open, compacted in the background when mostly waste, one process
 * per directory). The log collections (LOG_COLLECTIONS) have files of their own,
 * loaded after `open` returns: a start replays only the configs and state.
 * A transaction writes to one of the two (Firestore has no such limit; the
 * gateway's never mix them). Expired records are dropped on open and by a sweep
 * every 10 minutes. This file is the Store's semantics: versions, expiry,
 * preconditions, transactions; Firestore's limits are mirrored (store-limits.ts,
 * store-local-records.ts: 1 MiB per document, 500 writes per commit, 30 values
 * in an `in` filter) so that code that runs locally also runs in production.
 * Queries are store-local-query.ts, the two sets of files store-local-files.ts,
 * watchers store-local-watch.ts.
 *
 * Writes (single ops and transactions) are serialised by an async mutex; reads see
 * the last committed state. Do not call the store's own methods from inside a
 * `transact` body (use `tx`): the mutex is held and they would wait forever.
 */
export class LocalStore implements Store {
  private readonly cols = new Map<string, Map<string, Entry>>()
  private tail: Promise<void> = Promise.resolve()
  private readonly core: Part = { live: 0, loaded: Promise.resolve(), ready: true }
  private readonly log: Part = { live: 0, loaded: Promise.resolve(), ready: false }
  private closed = false
  private sweeper?: NodeJS.Timeout
  private readonly watchers = new Watchers((col, id) => {
    const e = this.live(col, id)
    return e ? rec(id, e) : null
  })

  private constructor(private readonly clock: Clock) {}

  /**
   * Replays the configs and state, and starts loading the log collections in
   * the background (`loaded()` resolves when they are in memory).
   */
  static async open({ dir, clock = systemClock }: { dir: string; clock?: Clock }): Promise<LocalStore> {
    const s = new LocalStore(clock)
    const now = clock.now()
    let misplaced = false
    const apply = (mustBeLog: boolean) => (col: string, id: string, v: number, data: string | null, exp: number | undefined) => {
      if (LOG_COLLECTIONS.has(col) !== mustBeLog) misplaced = true
      // Expired records are not loaded: they read as missing, and compaction leaves them out.
      s.apply(col, id, data === null || (exp !== undefined && exp <= now) ? undefined : exp === undefined ? { s: data, v } : { s: data, v, exp })
    }
    const core = (s.core.journal = Journal.open(dir, 'store', apply(false), true))
    try {
      if (misplaced) {
        // Written before the log collections had files of their own: move them there, once.
        s.log.journal = Journal.open(dir, 'log', apply(true), false)
        s.log.ready = true
        s.log.journal.compactNow(s.frozen(s.log))
        core.compactNow(s.frozen(s.core))
      } else if (core.stale || wasteful(s.core)) core.compactNow(s.frozen(s.core))
    } catch (e) {
      s.log.journal?.abandon()
      core.abandon()
      throw e
    }
    if (!s.log.ready) {
      s.log.loaded = Journal.load(dir, 'log', apply(true)).then((j) => {
        s.log.journal = j
        s.log.ready = true
        if (s.closed) return void j.close()
        if (j.stale || wasteful(s.log)) void s.compact(s.log)
      })
      // A failed load fails each use of the log collections, with its error.
      s.log.loaded.catch(() => {})
    }
    s.sweeper = setInterval(() => void s.sweep().catch(() => {}), SWEEP_MS)
    s.sweeper.unref()
    return s
  }

  /** Resolves once the log collections are in memory (whatever touches them waits for it anyway). */
  loaded(): Promise<void> {
    return this.log.loaded
  }

  /** Resolves when no compaction is running (one a write started runs in the background). */
  async compacted(): Promise<void> {
    await this.log.loaded.catch(() => {})
    for (const p of [this.core, this.log]) await p.journal?.compacting?.catch(() => {})
  }

  /** What the files hold and what has been done with them, for tests and the bench. */
  stats(): { atOpen: number; logLoaded: boolean; logRecords: number; compactions: number; compacting: boolean } {
    const [c, l] = [this.core.journal, this.log.journal]
    return {
      atOpen: c?.replayed ?? 0, logLoaded: this.log.ready, logRecords: l?.replayed ?? 0,
      compactions: (c?.compactions ?? 0) + (l?.compactions ?? 0), compacting: Boolean(c?.compacting || l?.compacting),
    }
  }

  async get<T>(col: string, id: string): Promise<Rec<T> | null> {
    this.alive()
    checkKey(col, id)
    await this.ready(col)
    const e = this.live(col, id)
    return e ? rec<T>(id, e) : null
  }

  async create<T>(col: string, id: string, data: T, opts?: Committed<T>): Promise<Rec<T>> {
    checkKey(col, id)
    await this.ready(col)
    const s = ser(data)
    return this.locked(() => {
      if (this.live(col, id)) throw new AppError('conflict', `${col}/${id} already exists`)
      return committed(written<T>(id, data, this.commit([{ col, id, s, exp: expOf(data) }], opts?.lazy)[0]!), opts)
    })
  }

  async update<T>(col: string, id: string, fn: (old: T) => T, opts?: { ifVersion?: number } & Committed<T>): Promise<Rec<T>> {
    checkKey(col, id)
    await this.ready(col)
    return this.locked(() => {
      const e = this.live(col, id)
      if (!e) throw new AppError('not_found', `${col}/${id} not found`)
      if (opts?.ifVersion !== undefined && opts.ifVersion !== e.v) throw new AppError('precondition_failed', `${col}/${id} has changed`)
      const data = fn(JSON.parse(e.s) as T)
      const s = ser(data)
      return committed(written<T>(id, data, this.commit([{ col, id, s, exp: expOf(data) }], opts?.lazy)[0]!), opts)
    })
  }

  async delete(col: string, id: string, opts?: { ifVersion?: number }): Promise<boolean> {
    checkKey(col, id)
    await this.ready(col)
    return this.locked(() => {
      const e = this.live(col, id)
      if (e && opts?.ifVersion !== undefined && opts.ifVersion !== e.v) throw new AppError('precondition_failed', `${col}/${id} has changed`)
      if (this.cols.get(col)?.has(id)) this.commit([{ col, id, s: null }])
      return !!e
    })
  }

  async list<T>(col: string, q: ListQuery): Promise<Page<T>> {
    this.alive()
    checkList(q)
    await this.ready(col)
    return listPage<T>(this.cols.get(col), q, this.clock)
  }

  /** A scan of the collection (local data is small enough; Firestore uses the declared indexes). */
  async find<T>(col: string, q: FindQuery): Promise<Page<T>> {
    this.alive()
    checkFind(q)
    await this.ready(col)
    return findPage<T>(this.cols.get(col), q, this.clock)
  }

  async take<T>(col: string, id: string): Promise<T | null> {
    checkKey(col, id)
    await this.ready(col)
    return this.locked(() => {
      const e = this.live(col, id)
      if (this.cols.get(col)?.has(id)) this.commit([{ col, id, s: null }])
      return e ? (JSON.parse(e.s) as T) : null
    })
  }

  /**
   * The writers' lock is taken at the transaction's first read, or for its
   * commit: one that touches the log collections before they are loaded waits
   * for them without holding up other writers.
   */
  async transact<R>(fn: (tx: TxOps) => Promise<R>): Promise<R> {
    this.alive()
    const buf = new Map<string, Write>()
    let open = true
    let release: (() => void) | undefined
    let holding: Promise<void> | undefined
    const hold = (col: string) =>
      (holding ??= (async () => {
        await this.ready(col)
        release = await this.acquire()
        this.alive()
      })())
    const tx: TxOps = {
      get: async <T>(col: string, id: string) => {
        if (!open) throw new Error('transaction is finished')
        checkKey(col, id)
        await hold(col)
        await this.ready(col)
        const w = buf.get(key(col, id))
        const e = this.live(col, id)
        if (!w) return e ? rec<T>(id, e) : null
        return w.s === null ? null : { id, data: JSON.parse(w.s) as T, version: (e?.v ?? 0) + 1 }
      },
      set: (col, id, data) => {
        if (!open) throw new Error('transaction is finished')
        checkKey(col, id)
        buf.set(key(col, id), { col, id, s: ser(data), exp: expOf(data) })
      },
      delete: (col, id) => {
        if (!open) throw new Error('transaction is finished')
        checkKey(col, id)
        buf.set(key(col, id), { col, id, s: null })
      },
    }
    let synced: Promise<void> | undefined
    let r: R
    try {
      r = await fn(tx)
      if (buf.size > MAX_TX_WRITES) throw new AppError('invalid_request', `a transaction may write at most ${MAX_TX_WRITES} records`)
      const first = buf.values().next().value
      if (first) {
        await hold(first.col)
        for (const w of buf.values()) await this.ready(w.col)
        const ws = [...buf.values()].filter((w) => w.s !== null || this.cols.get(w.col)?.has(w.id))
        this.synced = undefined
        if (ws.length) this.commit(ws)
        synced = this.synced
      }
    } finally {
      open = false
      await holding?.catch(() => {})
      if (release) {
        this.synced = undefined
        release()
      }
    }
    if (synced) await synced
    return r
  }

  watch<T>(col: string, id: string, on: (r: Rec<T> | null) => void): () => void {
    this.alive()
    checkKey(col, id)
    return this.watchers.add(col, id, on as (r: Rec<unknown> | null) => void, this.ready(col))
  }

  async ping(): Promise<void> {
    this.alive()
  }

  /** Waits for running writes, then releases the journal and the lock. Idempotent. */
  async close(): Promise<void> {
    clearInterval(this.sweeper)
    await this.locked(async () => {
      this.closed = true
      await this.log.loaded.catch(() => {})
      // The log's first: the core journal holds the directory's lock.
      await this.log.journal?.close()
      await this.core.journal?.close()
    }, false)
  }

  /** Drops expired records from memory, and compacts (in the background) when that leaves the files mostly waste. */
  sweep(): Promise<void> {
    return this.locked(() => {
      const now = this.clock.now()
      for (const [col, m] of this.cols) for (const [id, e] of m) if (expired(e, now)) this.apply(col, id, undefined)
      for (const p of [this.core, this.log]) if (wasteful(p)) void this.compact(p)
    })
  }

  // ---- internals ----

  private alive(): void {
    if (this.closed || !this.core.journal?.isOpen) throw new Error('LocalStore is closed')
  }

  private part(col: string): Part {
    return LOG_COLLECTIONS.has(col) ? this.log : this.core
  }

  /** Undefined when `col` is in memory; else the load to wait for. */
  private ready(col: string): Promise<void> | undefined {
    const p = this.part(col)
    return p.ready ? undefined : p.loaded
  }

  /**
   * Runs `fn` alone among writers. A write is journaled inside the lock and made
   * durable after it (group commit): concurrent writers share one fdatasync, and
   * the event loop never waits for the disk.
   */
  private locked<R>(fn: () => R | Promise<R>, mustBeOpen = true): Promise<R> {
    return this.acquire().then(async (release) => {
      let synced: Promise<void> | undefined
      let r: R
      try {
        if (mustBeOpen) this.alive()
        this.synced = undefined
        r = await fn()
        synced = this.synced
      } finally {
        this.synced = undefined
        release()
      }
      if (synced) await synced
      return r
    })
  }

  /** Resolves, in call order, when the caller alone holds the writers' lock, with the function that releases it. */
  private acquire(): Promise<() => void> {
    const prev = this.tail
    let release!: () => void
    this.tail = new Promise<void>((r) => (release = r))
    return prev.then(() => release)
  }

  /** Set by `commit` while the lock is held: the flush that covers its write. */
  private synced?: Promise<void>

  /** The record if it exists and has not expired. */
  private live(col: string, id: string): Entry | undefined {
    const e = this.cols.get(col)?.get(id)
    return e && !expired(e, this.clock.now()) ? e : undefined
  }

  /**
   * Journals the writes as one line (made durable by the journal's next flush; `lazy`: by the next flush
   * another write asks for, or LAZY_FLUSH_MS from now), then applies them in memory;
   * returns the new entries (undefined for deletes). An expired record counts as absent, so
   * writing over it restarts its version at 1.
   */
  private commit(ws: Write[], lazy = false): (Entry | undefined)[] {
    const part = this.part(ws[0]!.col)
    // One line in one journal is what makes a commit atomic.
    if (ws.some((w) => this.part(w.col) !== part)) throw new Error(`LocalStore: a transaction may not write both log collections (${[...LOG_COLLECTIONS].join(', ')}) and others`)
    const journal = part.journal!
    const next = ws.map((w) => (w.s === null ? undefined : entry(w.s, (this.live(w.col, w.id)?.v ?? 0) + 1, w.exp)))
    // On failure memory is untouched: the journal and the maps still agree.
    journal.append(ws.map((w, i) => ({ col: w.col, id: w.id, v: next[i]?.v ?? 0, s: next[i] ? w.s : null, exp: next[i]?.exp })))
    this.synced = lazy ? journal.durableSoon(LAZY_FLUSH_MS) : journal.durable()
    for (const [i, w] of ws.entries()) this.apply(w.col, w.id, next[i])
    for (const w of ws) this.watchers.changed(w.col, w.id)
    if (wasteful(part)) void this.compact(part)
    return next
  }

  private apply(col: string, id: string, e: Entry | undefined): void {
    let m = this.cols.get(col)
    const old = m?.get(id)
    const part = this.part(col)
    if (old) part.live -= size(col, id, old)
    if (!e) {
      m?.delete(id)
      if (m?.size === 0) this.cols.delete(col)
      return
    }
    if (!m) this.cols.set(col, (m = new Map()))
    m.set(id, e)
    part.live += size(col, id, e)
  }

  /** Compacts a part in the background, written while other requests run. */
  private compact(p: Part): Promise<void> {
    return p.journal!.compact(this.frozen(p)).catch(() => {
      // The files are as a crash would leave them: the next compaction covers them.
    })
  }

  /** The part's live records as of now, as an iterable that later writes do not change. */
  private frozen(p: Part): Iterable<JournalWrite> {
    return frozen([...this.cols].filter(([col]) => this.part(col) === p), this.clock.now())
  }
}
