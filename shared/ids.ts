import { randomBytes, randomFillSync } from 'node:crypto'

// One system call per 256 ids instead of one per id (an audit record per call needs one).
const pool = Buffer.allocUnsafe(4096)
let at = pool.length

/** Firestore reserves document ids of the form `__…__`; base64url draws one about 6 times in 10^8. */
export const reservedId = (id: string) => id.startsWith('__') && id.endsWith('__')

/** 128 random bits, URL- and Firestore-safe. */
export function newId(): string {
  for (;;) {
    if (at === pool.length) {
      randomFillSync(pool)
      at = 0
    }
    const id = pool.toString('base64url', at, at + 16)
    at += 16
    if (!reservedId(id)) return id
  }
}

/** 256 random bits, base64url, never a reserved store id (OAuth state, single-use ids). */
export function newToken(): string {
  for (;;) {
    const t = randomBytes(32).toString('base64url')
    if (!reservedId(t)) return t
  }
}

/** Vault names carry no user or config id: 128 random bits and a fixed tag. */
export const newSecretName = () => `s${randomBytes(16).toString('hex')}`
