/**
 * Saved homes are sealed with AES-256-GCM under a key only the pool has
 * (POOL_HOME_KEY from Secret Manager in production; derived from the local
 * vault key in local mode). Layout as the local vault's:
 *
 *   version (1 byte) | IV (12 bytes, fresh per seal) | ciphertext | tag (16 bytes)
 *
 * The AAD binds the version and the object's name, so one owner's saved home
 * copied over another's name fails to open instead of being restored.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 1
const IV_LEN = 12
const TAG_LEN = 16

const aad = (name: string) => Buffer.concat([Buffer.from([VERSION]), Buffer.from(name, 'utf8')])

export function seal(key: Buffer, name: string, plain: Buffer): Buffer {
  const iv = randomBytes(IV_LEN)
  const c = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LEN })
  c.setAAD(aad(name))
  return Buffer.concat([Buffer.from([VERSION]), iv, c.update(plain), c.final(), c.getAuthTag()])
}

/** Throws when the bytes were not sealed under this key and name. */
export function unseal(key: Buffer, name: string, sealed: Buffer): Buffer {
  if (sealed.length < 1 + IV_LEN + TAG_LEN || sealed[0] !== VERSION) throw new Error('saved home: integrity check failed')
  try {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_LEN), { authTagLength: TAG_LEN })
    d.setAAD(aad(name))
    d.setAuthTag(sealed.subarray(sealed.length - TAG_LEN))
    return Buffer.concat([d.update(sealed.subarray(1 + IV_LEN, sealed.length - TAG_LEN)), d.final()])
  } catch {
    throw new Error('saved home: integrity check failed')
  }
}

/** Local mode: a key of its own, derived from the vault's (never the vault key itself). */
export const deriveHomeKey = (vaultKey: Buffer) => Buffer.from(hkdfSync('sha256', vaultKey, Buffer.alloc(0), 'mcp-gateway stdio homes v1', 32))
