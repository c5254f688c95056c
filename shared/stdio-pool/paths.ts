/**
 * Every child runs as the same OS user, so the catalog's own checks are not
 * enough for path values: a filesystem root (say) must not reach the pool's
 * homes (other owners' files) or the gateway's data, from inside or above,
 * and a `path` value must stay inside its own process's home through symlinks.
 */
import { createHash } from 'node:crypto'
import { lstatSync, mkdirSync, realpathSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { AppError } from '../errors.js'
import { resolveValue, userValues, within, type Catalog, type StdioChoice } from '../stdio/catalog.js'

/** The process's own directory: one per (owner, MCP id, config hash), under the pool's data dir. */
export const homeOf = (dataDir: string, key: string) => join(dataDir, createHash('sha256').update(key).digest('hex').slice(0, 32))

/** The resolved path, through symlinks where it exists. */
export function realPath(p: string): string {
  const r = resolve(p)
  try {
    return realpathSync.native(r)
  } catch {
    return r
  }
}

/**
 * Where `p` really points: its deepest existing ancestor through symlinks, plus
 * the missing rest. Null when a component is a dangling symlink (writing there
 * would create its target) or cannot be resolved.
 */
export function realTarget(p: string): string | null {
  let head = resolve(p)
  const rest: string[] = []
  for (;;) {
    try {
      return join(realpathSync.native(head), ...rest.reverse())
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return null
      try {
        lstatSync(head)
        return null // it exists, yet does not resolve: a dangling link
      } catch { /* missing: look at its parent */ }
      const up = dirname(head)
      if (up === head) return null
      rest.push(basename(head))
      head = up
    }
  }
}

const refuse = (path: string, message: string) => new AppError('invalid_request', `${path} ${message}`, { errors: [{ path, message }] })
const inside = (p: string, dir: string) => within(p, dir === sep ? dir : dir.replace(/\/+$/, ''))

/**
 * 400 when an absolute parameter or env value is inside, or above, a forbidden
 * directory, or leaves the operator's `allow_prefixes` through a symlink. Run at
 * registration (the gateway's view) and again before every spawn (the pool's).
 */
export function checkPaths(cat: Catalog, c: StdioChoice, forbidden: string[]): void {
  const values = [
    ...Object.entries(c.params).map(([k, v]) => [`/config/params/${k}`, v] as const),
    ...Object.entries(c.env).map(([k, v]) => [`/config/env/${k}`, v] as const),
  ]
  const real = forbidden.map(realPath)
  for (const [path, v] of values) {
    if (typeof v !== 'string' || !v.startsWith('/')) continue
    const p = realPath(v)
    if (real.some((f) => inside(p, f) || inside(f, p))) throw refuse(path, "points at the gateway's own data")
  }
  for (const u of userValues(cat, c)) {
    if (!u.value.startsWith('/')) continue
    const p = realTarget(u.value)
    if (!p || !(u.rules.allow_prefixes ?? []).some((a) => inside(p, realPath(a)))) throw refuse(u.where, 'resolves outside the directories this parameter allows')
  }
}

/**
 * Before a spawn: every relative `path` value resolves inside `home` through
 * symlinks (checked before and after creating what the entry says to create).
 */
export function preparePaths(cat: Catalog, c: StdioChoice, home: string): void {
  const realHome = realPath(home)
  const stays = (p: string) => {
    const r = realTarget(p)
    return r !== null && inside(r, realHome)
  }
  for (const u of userValues(cat, c)) {
    if (u.rules.kind !== 'path' || u.value.startsWith('/')) continue
    const target = resolveValue(u.value, u.rules, home)
    if (!stays(target)) throw refuse(u.where, 'resolves outside your own directory')
    if (!u.rules.create) continue
    try {
      mkdirSync(u.rules.create === 'dir' ? target : dirname(target), { recursive: true, mode: 0o700 })
    } catch (e) {
      throw refuse(u.where, `cannot be created (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
    }
    if (!stays(target)) throw refuse(u.where, 'resolves outside your own directory')
  }
}
