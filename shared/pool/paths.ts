/**
 * Every child runs as the same OS user, so the catalog's own checks are not
 * enough for path values: a filesystem root (say) must not reach the pool's
 * homes (other owners' files) or the gateway's data, from inside or above.
 */
import { realpathSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import { AppError } from '../errors.js'
import type { StdioChoice } from '../stdio/catalog.js'

/** The resolved path, through symlinks where it exists. */
export function realPath(p: string): string {
  const r = resolve(p)
  try {
    return realpathSync.native(r)
  } catch {
    return r
  }
}

const within = (p: string, dir: string) => p === dir || p.startsWith(dir === sep ? dir : dir + sep)

/** 400 when an absolute-path parameter or env value is inside, or above, a forbidden directory. */
export function checkPaths(c: StdioChoice, forbidden: string[]): void {
  const values = [
    ...Object.entries(c.params).map(([k, v]) => [`/config/params/${k}`, v] as const),
    ...Object.entries(c.env).map(([k, v]) => [`/config/env/${k}`, v] as const),
  ]
  for (const [path, v] of values) {
    if (typeof v !== 'string' || !v.startsWith('/')) continue
    const p = realPath(v)
    if (forbidden.some((f) => within(p, f) || within(f, p)))
      throw new AppError('invalid_request', `${path} points at the gateway's own data`, { errors: [{ path, message: 'is not an allowed path' }] })
  }
}
