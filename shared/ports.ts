/**
 * The interfaces the domain depends on. Adapters live in shared/adapters/ and
 * are chosen in shared/deps.ts. Every adapter passes test/store.contract.ts or
 * test/vault.contract.ts.
 */

/** A stored record: the data plus a version that changes on every write. */
export interface Rec<T> {
  id: string
  data: T
  /** Monotonic per record, starts at 1. Used for compare-and-swap. */
  version: number
}

export interface ListQuery {
  /** Equality-in filter on one top-level field: records whose field value is one of `in`. */
  where?: { field: string; in: (string | number | boolean)[] }
  /** Page size (1..1000). */
  limit: number
  /** Opaque cursor from a previous page's `next`. */
  cursor?: string
}

export interface Page<T> {
  items: Rec<T>[]
  /** Cursor for the next page, or null when this is the last one. */
  next: string | null
}

/**
 * A filtered, ordered query: equality on some top-level fields, an optional
 * range on the order field, ordered by that field then by id (same direction).
 * In Firestore each shape needs a composite index (equality fields, then the
 * order field): infra/firestore.tf and firestore.indexes.json declare every
 * shape the code issues, and test/indexes.test.ts checks that they do.
 */
export interface FindQuery {
  /** Records whose field equals the value, for every entry. */
  eq?: Record<string, string | number | boolean>
  order: { field: string; dir: 'asc' | 'desc' }
  /** Inclusive lower and exclusive upper bound on the order field. */
  gte?: number | string
  lt?: number | string
  /** Page size (1..1000). */
  limit: number
  /** Opaque cursor from a previous page's `next` of the same query. */
  cursor?: string
}

/** Thrown by a transaction body to abort it without retry. */
export interface TxOps {
  get<T>(col: string, id: string): Promise<Rec<T> | null>
  /** Create or replace. */
  set<T>(col: string, id: string, data: T): void
  delete(col: string, id: string): void
}

export interface Committed<T> {
  /**
   * Called with the new record once the write is decided and this process reads it,
   * before the promise resolves: where durability lags the commit (LocalStore's group
   * commit) that is before the write is durable, so a caller may start what the write
   * allows while the disk catches up (Firestore: at the commit, which is durable).
   */
  committed?: (r: Rec<T>) => void
  /**
   * A write nobody waits on to be durable soon (a write-behind): where durability lags
   * the commit, it may wait for the next flush another write asks for, or a short
   * while (LocalStore: `LAZY_FLUSH_MS`), instead of asking for one of its own, which a
   * write whose caller does wait would queue behind. The promise still resolves once
   * it is durable. Firestore: ignored (the commit is durable).
   */
  lazy?: boolean
}

/**
 * Typed collections of JSON records keyed by id, ordered by id in `list`.
 *
 * - A record whose data holds `expires_at` (epoch ms) in the past reads as
 *   missing everywhere (get, list, take, tx.get), because Firestore's TTL
 *   deletes late.
 * - Errors: `create` on an existing id throws AppError('conflict');
 *   `update`/`delete` with a stale `ifVersion` throw AppError('precondition_failed');
 *   `update` of a missing record throws AppError('not_found').
 */
export interface Store {
  get<T>(col: string, id: string): Promise<Rec<T> | null>
  /** Create; fails with `conflict` if the id exists (and has not expired). `committed` as for `update`. */
  create<T>(col: string, id: string, data: T, opts?: Committed<T>): Promise<Rec<T>>
  /** Replace data with `fn(old)`, atomically; `ifVersion` is an optional precondition. */
  update<T>(col: string, id: string, fn: (old: T) => T, opts?: { ifVersion?: number } & Committed<T>): Promise<Rec<T>>
  /** Delete; true if something was deleted. */
  delete(col: string, id: string, opts?: { ifVersion?: number }): Promise<boolean>
  list<T>(col: string, q: ListQuery): Promise<Page<T>>
  /** Records matching `q`, in its order, a page at a time (expired records skipped). */
  find<T>(col: string, q: FindQuery): Promise<Page<T>>
  /** Atomic read-and-delete (single-use records such as OAuth state). */
  take<T>(col: string, id: string): Promise<T | null>
  /** Run `fn` atomically; it may be retried on contention, so it must be pure apart from `tx`. */
  transact<R>(fn: (tx: TxOps) => Promise<R>): Promise<R>
  /**
   * Calls `on` with the record now and after every change (null: missing or
   * expired), until the returned function is called. Changes made by any
   * process reach every watcher (Firestore: a snapshot listener); rapid changes
   * may be coalesced, so `on` sees the latest state, not every one.
   */
  watch<T>(col: string, id: string, on: (r: Rec<T> | null) => void): () => void
  /** Cheap liveness probe for /health. */
  ping(): Promise<void>
  close(): Promise<void>
}

/**
 * Secret bytes under opaque names. Names reveal no user or config id: callers
 * pass names made by `newSecretName()`.
 */
export interface Vault {
  put(name: string, value: Uint8Array): Promise<void>
  get(name: string): Promise<Uint8Array | null>
  /** Idempotent. */
  delete(name: string): Promise<void>
  ping(): Promise<void>
  close(): Promise<void>
}

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** One token bucket of the rate limiter: a token every `intervalUs`, at most `burst` stored. */
export interface Bucket {
  key: string
  intervalUs: number
  burst: number
}

/**
 * The rate limiter's buckets (GCRA, shared/ratelimit/gcra.ts): in memory per
 * instance, or in Redis shared by every instance. Both pass test/ratelimit.contract.ts.
 *
 * - `take` takes one token from every bucket, or from none when any is empty,
 *   atomically. `debtUs[i]` is how far bucket i's theoretical arrival time is
 *   ahead of `nowUs` afterwards (0: full), from which the caller derives what
 *   is left and when the next token comes.
 * - A store that cannot be reached throws AppError('unavailable'), promptly:
 *   the limiter decides whether that admits or refuses the call.
 */
export interface RateLimitStore {
  take(buckets: Bucket[], nowUs: number): Promise<{ ok: boolean; debtUs: number[] }>
  ping(): Promise<void>
  close(): Promise<void>
}

/** A saved object and the generation it was read at (the fencing token of the next write). */
export interface Blob {
  data: Buffer
  generation: string
}

/**
 * Saved stdio homes: opaque sealed bytes under names like `h/<a>/<b>`, in Cloud
 * Storage (production) or a directory (local mode). Every write is
 * conditional on the generation last seen, as Cloud Storage's
 * `ifGenerationMatch`: `'0'` means "must not exist". A lost race throws
 * AppError('precondition_failed'); generations never repeat for a name.
 * Both adapters pass test/homes.contract.ts.
 */
export interface BlobStore {
  get(name: string): Promise<Blob | null>
  /** Writes `data` if the object is at generation `ifGeneration`; returns the new generation. */
  put(name: string, data: Buffer, ifGeneration: string): Promise<string>
  /** Deletes every object whose name starts with `prefix` (idempotent). */
  deletePrefix(prefix: string): Promise<number>
  close(): Promise<void>
}
