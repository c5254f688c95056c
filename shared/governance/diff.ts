/**
 * Field-by-field difference between an approved definition and the current
 * one, over the covered fields only (see definition.ts).
 *
 * `fields` lists the top-level fields that differ (e.g. ["description",
 * "inputSchema"]). `changes` goes down to the leaves: each change has a JSON
 * pointer (RFC 6901) into the definition, e.g. "/inputSchema/properties/x/description",
 * and the old and/or new value. Objects are compared member by member; arrays
 * element by element when their lengths match, otherwise as a whole. Past
 * MAX_DEPTH levels a differing subtree is reported as one change. At most
 * `limit` changes are returned; `truncated` says whether more were found.
 */
import { coveredView, type Kind } from './definition.js'

export interface Change {
  path: string
  op: 'added' | 'removed' | 'changed'
  old?: unknown
  new?: unknown
}
export interface DefinitionDiff {
  fields: string[]
  changes: Change[]
  truncated: boolean
}

const MAX_DEPTH = 64
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
export const pointer = (parent: string, key: string | number) => {
  const k = String(key)
  return `${parent}/${/[~/]/.test(k) ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k}`
}

/** Structural equality of JSON values (iterative: depth is unbounded). */
export function sameJson(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]]
  while (stack.length) {
    const [x, y] = stack.pop()!
    if (x === y) continue
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false
    if (Array.isArray(x) !== Array.isArray(y)) return false
    if (Array.isArray(x)) {
      const ya = y as unknown[]
      if (x.length !== ya.length) return false
      for (let i = 0; i < x.length; i++) stack.push([x[i], ya[i]])
    } else {
      const xo = x as Record<string, unknown>, yo = y as Record<string, unknown>
      const xk = Object.keys(xo), yk = Object.keys(yo)
      if (xk.length !== yk.length) return false
      for (const k of xk) {
        if (!Object.hasOwn(yo, k)) return false
        stack.push([xo[k], yo[k]])
      }
    }
  }
  return true
}

export function diff(kind: Kind, approved: unknown, current: unknown, limit = 100): DefinitionDiff {
  const a = coveredView(kind, approved), b = coveredView(kind, current)
  const changes: Change[] = []
  let truncated = false
  const push = (c: Change) => (changes.length < limit ? changes.push(c) : (truncated = true))
  const fields: string[] = []
  for (const f of new Set([...Object.keys(a), ...Object.keys(b)])) if (!sameJson(a[f], b[f])) fields.push(f)

  // Depth-first over (path, old, new, depth); missing sides are `undefined` (absent).
  const stack: Array<[string, unknown, unknown, number]> = []
  for (let i = fields.length - 1; i >= 0; i--) stack.push([pointer('', fields[i]!), a[fields[i]!], b[fields[i]!], 1])
  while (stack.length && !truncated) {
    const [path, x, y, depth] = stack.pop()!
    if (x === undefined) { push({ path, op: 'added', new: y }); continue }
    if (y === undefined) { push({ path, op: 'removed', old: x }); continue }
    if (sameJson(x, y)) continue
    const bothObjects = isObject(x) && isObject(y)
    const sameArrays = Array.isArray(x) && Array.isArray(y) && x.length === y.length
    if (depth >= MAX_DEPTH || !(bothObjects || sameArrays)) { push({ path, op: 'changed', old: x, new: y }); continue }
    const keys = bothObjects ? [...new Set([...Object.keys(x), ...Object.keys(y)])] : (x as unknown[]).map((_, i) => i)
    const get = (o: unknown, k: string | number) => (bothObjects ? (Object.hasOwn(o as object, k) ? (o as Record<string, unknown>)[k] : undefined) : (o as unknown[])[k as number])
    for (let i = keys.length - 1; i >= 0; i--) stack.push([pointer(path, keys[i]!), get(x, keys[i]!), get(y, keys[i]!), depth + 1])
  }
  return { fields, changes, truncated }
}
