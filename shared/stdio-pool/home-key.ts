/**
 * The key that seals saved homes: POOL_HOME_KEY (delivered from Secret
 * Manager as a secret environment variable, to the pool alone), or in local
 * mode one derived from the local vault's key, so nothing new to keep.
 */
import { mkdir } from 'node:fs/promises'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import { loadOrCreateKey, parseKey } from '../adapters/vault-local.js'
import { deriveHomeKey } from './seal.js'

export async function homeKey(c: Config): Promise<Buffer> {
  if (c.poolHomeKey) {
    try {
      return parseKey(c.poolHomeKey)
    } catch {
      throw new Error('config: POOL_HOME_KEY must be 32 bytes, given as base64 or as 64 hex characters')
    }
  }
  if (c.mode !== 'local') throw new AppError('unavailable', 'Saved stdio homes need POOL_HOME_KEY.')
  if (c.localVaultKey) return deriveHomeKey(parseKey(c.localVaultKey))
  await mkdir(c.dataDir, { recursive: true, mode: 0o700 })
  return deriveHomeKey(await loadOrCreateKey(c.dataDir))
}
