import { randomBytes, randomFillSync } from 'node:crypto'

// One system call per 256 ids instead of one per id (an audit record per call needs one).
const pool = Buffer.allocUnsafe(4096)
let at = pool.length

/** 128 random bits, URL- and Firestore-safe. */
export function newId(): string {
  if (at === pool.length) {
    randomFillSync(pool)
    at = 0
  }
  const id = pool.toString('base64url', at, at + 16)
  at += 16
  return id
}

/** Vault names carry no user or config id: 128 random bits and a fixed tag. */
export const newSecretName = () => `s${randomBytes(16).toString('hex')}`
