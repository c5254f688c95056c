/**
 * Firestore's limits, enforced by every Store adapter alike, so the local store
 * refuses what production would (and tests on it mean something).
 */
import { AppError } from '../errors.js'
import type { ListQuery } from '../ports.js'

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
