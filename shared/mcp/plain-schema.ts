/**
 * A quick accept for plain schemas, on the main thread: most tools' schemas use
 * only `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`,
 * `const` and length or range bounds, and most arguments conform. For such a
 * schema `plainCheck` returns a check that is linear in the value and says
 * `true` only where ajv would accept too; on `false` (or for any other schema)
 * the caller asks ajv in the worker (args.ts), which decides and words the
 * errors. So a new instance's first valid call needs no worker, and ajv stays
 * the one judge of what is refused (docs/performance.md).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
export type PlainCheck = (v: unknown) => boolean

// Words for people and tools: no bearing on what validates (ajv with strict: false ignores them too).
const NOTES = new Set(['title', 'description', 'default', 'examples', '$comment', '$schema', '$id', 'deprecated', 'readOnly', 'writeOnly'])
const TYPES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string'])
const hasOwn = (o: object, k: string) => Object.hasOwn(o, k)
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)
const count = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n)

function isType(t: string, v: unknown): boolean {
  switch (t) {
    case 'null': return v === null
    case 'boolean': return typeof v === 'boolean'
    case 'object': return isObject(v)
    case 'array': return Array.isArray(v)
    case 'number': return typeof v === 'number' && Number.isFinite(v)
    case 'integer': return Number.isInteger(v)
    default: return typeof v === 'string'
  }
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]))
  if (!isObject(a) || !isObject(b)) return false
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => hasOwn(b, k) && equal(a[k], b[k]))
}

/** The check for `schema`, or undefined when it uses anything beyond the plain keywords (then only ajv decides). */
export function plainCheck(schema: unknown, depth = 0): PlainCheck | undefined {
  if (schema === true) return () => true
  if (!isObject(schema) || depth > 32) return undefined
  const checks: PlainCheck[] = []
  for (const [k, x] of Object.entries(schema)) {
    if (NOTES.has(k)) continue
    switch (k) {
      case 'type': {
        const ts = Array.isArray(x) ? x : [x]
        if (!ts.length || !ts.every((t) => typeof t === 'string' && TYPES.has(t))) return undefined
        checks.push((v) => ts.some((t) => isType(t as string, v)))
        break
      }
      case 'enum':
        if (!Array.isArray(x) || !x.length) return undefined
        checks.push((v) => x.some((e) => equal(e as Json, v)))
        break
      case 'const':
        checks.push((v) => equal(x, v))
        break
      case 'minLength': case 'maxLength': {
        if (!count(x)) return undefined
        const n = x as number
        // ajv counts code points, as JSON Schema does.
        checks.push((v) => typeof v !== 'string' || (k === 'minLength' ? [...v].length >= n : [...v].length <= n))
        break
      }
      case 'minimum': case 'maximum': {
        if (!finite(x)) return undefined
        const n = x as number
        checks.push((v) => typeof v !== 'number' || (k === 'minimum' ? v >= n : v <= n))
        break
      }
      case 'minItems': case 'maxItems': {
        if (!count(x)) return undefined
        const n = x as number
        checks.push((v) => !Array.isArray(v) || (k === 'minItems' ? v.length >= n : v.length <= n))
        break
      }
      case 'required': {
        if (!Array.isArray(x) || !x.every((r) => typeof r === 'string')) return undefined
        checks.push((v) => !isObject(v) || x.every((r) => hasOwn(v, r as string)))
        break
      }
      case 'items': {
        const item = plainCheck(x, depth + 1)
        if (!item || Array.isArray(x)) return undefined
        checks.push((v) => !Array.isArray(v) || v.every(item))
        break
      }
      case 'properties': case 'additionalProperties':
        break // below, together
      default:
        return undefined
    }
  }
  const props = schema.properties
  const extra = schema.additionalProperties
  if (props !== undefined || extra !== undefined) {
    if (props !== undefined && !isObject(props)) return undefined
    const own = new Map<string, PlainCheck>()
    for (const [name, s] of Object.entries(props ?? {})) {
      // Names that JavaScript objects treat specially are left to ajv.
      if (name === '__proto__' || name === 'constructor' || name === 'prototype') return undefined
      const c = plainCheck(s, depth + 1)
      if (!c) return undefined
      own.set(name, c)
    }
    const rest = extra === undefined || extra === true ? undefined : extra === false ? false : plainCheck(extra, depth + 1)
    if (rest === undefined && extra !== undefined && extra !== true) return undefined
    checks.push((v) => {
      if (!isObject(v)) return true
      for (const k of Object.keys(v)) {
        const c = own.get(k)
        if (c ? !c(v[k]) : rest === false || (rest !== undefined && !rest(v[k]))) return false
      }
      return true
    })
  }
  return (v) => checks.every((c) => c(v))
}
