/**
 * Firestore's limits, enforced by every Store adapter alike, so the local store
 * refuses what production would (and tests on it mean something).
 */
import { AppError } from '../errors.js'
import type { FindQuery, ListQuery } from '../ports.js'

/** Firestore: 1 MiB per document. */
export const MAX_DOC_BYTES = 1_048_576
/** Firestore: 500 writes per commit. */
export const MAX_TX_WRITES = 500
/** Firestore: 30 values in an `in` filter. */
export const MAX_IN = 30

export function checkList(q: ListQuery): void {
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 1000) throw new AppError('invalid_request', 'limit must be 1..1000')
  if (q.where && q.where.in.length > MAX_IN) throw new AppError('invalid_request', `where.in takes at most ${MAX_IN} values`)
}

export const encodeCursor = (id: string) => Buffer.from(id).toString('base64url')

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString()
  if (!id || encodeCursor(id) !== cursor) throw new AppError('invalid_request', 'invalid cursor')
  return id
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/

/** A `find` query: limits as `list`, plain top-level field names, the range on the order field only. */
export function checkFind(q: FindQuery): void {
  checkList({ limit: q.limit })
  const fields = [...Object.keys(q.eq ?? {}), q.order.field]
  if (!fields.every((f) => FIELD.test(f))) throw new AppError('invalid_request', 'invalid field')
  if (q.order.field in (q.eq ?? {})) throw new AppError('invalid_request', 'the order field cannot also be an equality filter')
  if (q.order.dir !== 'asc' && q.order.dir !== 'desc') throw new AppError('invalid_request', 'invalid order')
}

/** A `find` cursor: the last record's order value and id. */
export const encodeFindCursor = (value: unknown, id: string) => Buffer.from(JSON.stringify([value, id])).toString('base64url')

export function decodeFindCursor(cursor: string): [string | number, string] {
  let v: unknown
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString())
  } catch {
    v = undefined
  }
  if (!Array.isArray(v) || v.length !== 2 || !['string', 'number'].includes(typeof v[0]) || typeof v[1] !== 'string' || encodeFindCursor(v[0], v[1]) !== cursor) {
    throw new AppError('invalid_request', 'invalid cursor')
  }
  return v as [string | number, string]
}
