/**
 * The one place where adapters are chosen, from config. Every heavy client is
 * behind a lazy getter, so a function pays only for what it touches: the
 * registry never loads Secret Manager unless a write needs the vault, and
 * nothing here loads the MCP SDK.
 */
import type { Config } from './config.js'
import { parseConfig } from './config.js'
import type { BlobStore, Clock, RateLimitStore, Store, Vault } from './ports.js'
import { systemClock } from './ports.js'
import type { Verify } from './auth/caller.js'
import type { Lookup } from './egress/fetch.js'

export interface Deps {
  config: Config
  clock: Clock
  store(): Promise<Store>
  vault(): Promise<Vault>
  /** Rate-limit buckets: Redis when REDIS_URL is set (shared by every instance), else this instance's memory. */
  limiter(): Promise<RateLimitStore>
  verify: Verify
  /** Saved stdio homes (the pool only): Cloud Storage or a directory under DATA_DIR, and the key that seals them. */
  homes(): Promise<{ blobs: BlobStore; key: Buffer }>
  /** Name resolution for the egress check (tests pass their own); default: the system resolver. */
  lookup?: Lookup
}

const once = <T>(f: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined
  return () => (p ??= f().catch((e) => { p = undefined; throw e }))
}

/** Builds deps from config; overrides let tests inject emulator-backed adapters. */
export function makeDeps(config: Config, over: Partial<Omit<Deps, 'config'>> = {}): Deps {
  const clock = over.clock ?? systemClock
  const store = over.store ?? once(async (): Promise<Store> => {
    if (config.store === 'firestore') {
      const { FirestoreStore } = await import('./adapters/store-firestore.js')
      return new FirestoreStore({ projectId: config.projectId!, prefix: config.collectionPrefix, clock })
    }
    const { LocalStore } = await import('./adapters/store-local.js')
    return LocalStore.open({ dir: `${config.dataDir}/store`, clock })
  })
  const vault = over.vault ?? once(async (): Promise<Vault> => {
    if (config.vault === 'secret-manager') {
      const { SecretManagerVault } = await import('./adapters/vault-secret-manager.js')
      return new SecretManagerVault({ projectId: config.projectId!, prefix: config.secretPrefix })
    }
    const { LocalVault } = await import('./adapters/vault-local.js')
    return LocalVault.open({ dir: config.dataDir, key: config.localVaultKey })
  })
  const limiter = over.limiter ?? once(async (): Promise<RateLimitStore> => {
    if (config.rateLimit.redisUrl) {
      const { RedisRateLimitStore } = await import('./adapters/ratelimit-redis.js')
      return RedisRateLimitStore.open(config.rateLimit.redisUrl)
    }
    const { MemoryRateLimitStore } = await import('./adapters/ratelimit-memory.js')
    return new MemoryRateLimitStore()
  })
  const homes = over.homes ?? once(async () => {
    // POOL_HOME_KEY (from Secret Manager, to the pool alone); in local mode one derived from the local vault's key.
    const { parseKey, loadOrCreateKey } = await import('./adapters/vault-local.js')
    const { deriveHomeKey } = await import('./stdio-pool/seal.js')
    let key: Buffer
    if (config.poolHomeKey) key = parseKey(config.poolHomeKey)
    else if (config.mode !== 'local') {
      const { AppError } = await import('./errors.js')
      throw new AppError('unavailable', 'Saved stdio homes need POOL_HOME_KEY.')
    } else if (config.localVaultKey) key = deriveHomeKey(parseKey(config.localVaultKey))
    else {
      const { mkdir } = await import('node:fs/promises')
      await mkdir(config.dataDir, { recursive: true, mode: 0o700 })
      key = deriveHomeKey(await loadOrCreateKey(config.dataDir))
    }
    if (config.poolHomes === 'gcs') {
      const { GcsBlobStore } = await import('./adapters/homes-gcs.js')
      return { key, blobs: new GcsBlobStore({ bucket: config.poolHomesBucket!, ...(config.projectId ? { projectId: config.projectId } : {}) }) }
    }
    const { LocalBlobStore } = await import('./adapters/homes-local.js')
    return { key, blobs: new LocalBlobStore(`${config.dataDir}/homes`) }
  })
  let verifier: Verify | undefined
  const verify: Verify = over.verify ?? (async (h) => {
    if (!verifier) {
      const { makeVerifier, remoteKeys, localKeys } = await import('./auth/caller.js')
      if (config.auth.jwksUrl) verifier = makeVerifier(config.auth, remoteKeys(config.auth.jwksUrl))
      else if (config.mode === 'local') {
        const { loadOrCreateLocalKey } = await import('./auth/local-key.js')
        verifier = makeVerifier(config.auth, localKeys((await loadOrCreateLocalKey(config.dataDir)).publicJwk))
      } else {
        const { AppError } = await import('./errors.js')
        throw new AppError('unavailable', 'Caller verification is not configured (AUTH_JWKS_URL).')
      }
    }
    return verifier(h)
  })
  return { config, clock, store, vault, limiter, verify, homes, ...(over.lookup ? { lookup: over.lookup } : {}) }
}

let current: Deps | undefined
/** The process-wide deps, built from process.env on first use. */
export function deps(): Deps {
  return (current ??= makeDeps(parseConfig(process.env)))
}
/** Replace the process-wide deps (tests, local server). */
export function setDeps(d: Deps | undefined): void {
  current = d
}
