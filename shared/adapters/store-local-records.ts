/**
 * Records as the local store (store-local.ts) keeps them: serialised, with
 * their version and expiry, checked against Firestore's rules for keys and
 * sizes.
 */
import { AppError } from '../errors.js'
import { MAX_DOC_BYTES } from './store-limits.js'
import type { Committed, Rec } from '../ports.js'

/** One live record: data kept serialised, so callers never share objects with the store. */
export interface Entry {
  s: string
  v: number
  /** `data.expires_at`, when it is a number. */
  exp?: number
}

/** A buffered write: `s === null` deletes; `exp` is the expiry read off the data written (spares parsing `s` again). */
export interface Write {
  col: string
  id: string
  s: string | null
  exp?: number | null
}

/** Whether the record has expired by `now` (expired records read as missing). */
export const expired = (e: Entry, now: number) => e.exp !== undefined && e.exp <= now

// Firestore's rules for collection and document ids: 1..1500 bytes, no '/', not '.', '..' or __*__.
export function checkKey(col: string, id: string): void {
  for (const [what, v] of [['collection', col], ['id', id]] as const) {
    if (typeof v !== 'string' || !v || v.includes('/') || v === '.' || v === '..' || /^__.*__$/.test(v) || Buffer.byteLength(v) > 1500) {
      throw new AppError('invalid_request', `invalid ${what}`)
    }
  }
}

export function ser(data: unknown): string {
  const s = JSON.stringify(data)
  if (s === undefined) throw new AppError('invalid_request', 'record data must be JSON')
  if (Buffer.byteLength(s) > MAX_DOC_BYTES) throw new AppError('payload_too_large', 'record exceeds 1 MiB')
  return s
}

/** `exp`: the write's expiry when the caller has it from the data (`expOf`); else read from `s` (replay). */
export function entry(s: string, v: number, exp: unknown = (JSON.parse(s) as { expires_at?: unknown } | null)?.expires_at): Entry {
  return typeof exp === 'number' ? { s, v, exp } : { s, v }
}

/**
 * `data.expires_at` as its JSON text will read, without parsing that text: a finite number, or
 * null for none (JSON has no NaN or Infinity); undefined (unknown: `entry` parses) for data that is
 * not a plain record or has its own `toJSON`.
 */
export function expOf(data: unknown): number | null | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof (data as { toJSON?: unknown }).toJSON === 'function') return undefined
  const exp = (data as { expires_at?: unknown }).expires_at
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : null
}

export const rec = <T>(id: string, e: Entry): Rec<T> => ({ id, data: JSON.parse(e.s) as T, version: e.v })

/**
 * A write's record for its writer: the data it wrote (what Firestore's adapter returns too), not a parse
 * of its text; parsed when the text may read differently (a `toJSON`, not a plain record: `expOf`).
 */
export const written = <T>(id: string, data: T, e: Entry): Rec<T> => (expOf(data) === undefined ? rec<T>(id, e) : { id, data, version: e.v })

/** Tells `opts.committed` of a write that is in memory and journaled, before the flush that makes it durable (which the caller's promise waits for). */
export function committed<T>(r: Rec<T>, opts?: Committed<T>): Rec<T> {
  const fn = opts?.committed
  if (fn) queueMicrotask(() => { try { fn(r) } catch {} })
  return r
}

export const key = (col: string, id: string) => `${col}\u0000${id}`
/** What a record counts for in the live bytes that decide compaction. */
export const size = (col: string, id: string, e: Entry) => e.s.length + col.length + id.length + 32
