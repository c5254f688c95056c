/**
 * Node's module compile cache (`module.enableCompileCache`, Node ≥ 22.1): V8's code
 * cache for every module loaded after this call, read from `.compile-cache/` at the
 * source root. The deploy build fills it (scripts/fill-compile-cache.ts, the staged
 * package's `gcp-build` step), where the function runs from, with the runtime's Node.
 *
 * Used only where that directory exists, so a development tree never writes one. Node
 * keys entries by its own version and each file's path and checks each file's hash, so
 * a cache from another Node version, another path, or stale code is a miss: the module
 * compiles as without a cache. On Node 20 (no such API) this does nothing.
 */
import { existsSync } from 'node:fs'
import * as nodeModule from 'node:module'
import { fileURLToPath } from 'node:url'

/** The cache directory: the source root's `.compile-cache/` (this file runs from dist/bundle/ or dist/shared/). */
export const compileCacheDir = (): string => fileURLToPath(new URL('../../.compile-cache/', import.meta.url))

type Enable = (dir: string) => { status: number; message?: string; directory?: string }

/** The running Node's `enableCompileCache`, or undefined before Node 22.1. */
export const enableFn = (): Enable | undefined => {
  const f = (nodeModule as { enableCompileCache?: Enable }).enableCompileCache
  return typeof f === 'function' ? f : undefined
}

/** Turns the cache on if the build filled one; returns what happened (for the bench and tests). */
export function useCompileCache(dir = compileCacheDir()): 'enabled' | 'unsupported' | 'absent' | 'failed' {
  const enable = enableFn()
  if (!enable) return 'unsupported'
  if (!existsSync(dir)) return 'absent'
  // NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) makes this a no-op that reports DISABLED.
  const r = enable(dir)
  return r.status === 1 || r.status === 2 ? 'enabled' : 'failed'
}
