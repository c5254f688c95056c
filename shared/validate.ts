/**
 * Request validation with ajv; violations become `errors: [{path, message}]`.
 * The build compiles every request schema ahead of time into standalone code
 * (scripts/gen-validators.ts), so a cold function never loads or runs the ajv
 * compiler; schemas without a precompiled validator are compiled on first use.
 */
import { createRequire } from 'node:module'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { AppError } from './errors.js'

const require = createRequire(import.meta.url)

/** The ajv options the generator uses too, so both paths behave the same. */
export const AJV_OPTIONS = { allErrors: true, strict: true, useDefaults: true, coerceTypes: false } as const

let precompiled: Record<string, ValidateFunction> | undefined
function loadPrecompiled(): Record<string, ValidateFunction> {
  if (!precompiled) {
    try {
      precompiled = require('./generated/validators.cjs') as Record<string, ValidateFunction>
    } catch {
      precompiled = {}
    }
  }
  return precompiled
}

let ajv: import('ajv').Ajv | undefined
const compiled = new WeakMap<object, ValidateFunction>()

function validatorFor(schema: { $id?: string }): ValidateFunction {
  const pre = schema.$id ? loadPrecompiled()[schema.$id] : undefined
  if (pre) return pre
  let v = compiled.get(schema)
  if (!v) {
    const { Ajv } = require('ajv') as typeof import('ajv')
    ajv ??= new Ajv(AJV_OPTIONS)
    compiled.set(schema, (v = ajv.compile(schema)))
  }
  return v
}

export interface Violation { path: string; message: string }

/** The schema node that holds the keyword an error is about (its schemaPath without the keyword). */
function parentOf(schema: object, e: ErrorObject): Record<string, unknown> | undefined {
  const keys = e.schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
  keys.pop()
  return keys.reduce<any>((n, k) => (n == null ? undefined : n[k]), schema)
}

/** Keywords about the form of a value: a node's `description` says in words what it must be. */
const FORM = new Set(['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'pattern', 'minLength', 'maxLength', 'format', 'anyOf'])

/**
 * ajv's errors as violations a person can act on. With our own `schema`: a
 * failed `anyOf` is one violation, not one per branch, and a node with a
 * `description` is reported as "must be <description>" (e.g. "a whole number
 * from 1 to 100" instead of a pattern).
 */
export function violations(errors: ErrorObject[] | null | undefined, schema?: object): Violation[] {
  let list = (errors ?? []).filter((e) => e.keyword !== 'if')
  if (schema) {
    const anyOfs = list.filter((e) => e.keyword === 'anyOf')
    const branchOf = (e: ErrorObject) => anyOfs.find((a) => a !== e && a.instancePath === e.instancePath && e.schemaPath.startsWith(`${a.schemaPath}/`))
    const branches = new Map<ErrorObject, string[]>()
    list = list.filter((e) => {
      const a = branchOf(e)
      if (a && e.message && e.message !== 'must be null') branches.set(a, [...(branches.get(a) ?? []), e.message])
      return !a
    })
    for (const [a, msgs] of branches) a.message = [...new Set(msgs)].join(' or ') + ((parentOf(schema, a)?.anyOf as { type?: string }[] | undefined)?.some((b) => b.type === 'null') ? ', or null' : '')
  }
  const seen = new Set<string>()
  // An `if` failure only says which branch failed; the branch's own errors say what to fix.
  return list.map((e) => {
    let path = e.instancePath || '/'
    let message = e.message ?? 'is invalid'
    const described = schema ? parentOf(schema, e)?.description : undefined
    if (e.keyword === 'additionalProperties') {
      const p = (e.params as { additionalProperty: string }).additionalProperty
      path = `${e.instancePath}/${p}`
      message = typeof described === 'string' ? `is not a known field: the body must be ${described}` : 'is not a known field'
    } else if (typeof described === 'string' && FORM.has(e.keyword)) {
      message = `must be ${described}`
    } else if (e.keyword === 'required') {
      path = `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`
      message = 'is required'
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
    }
    return { path, message }
  }).filter((v) => !seen.has(`${v.path} ${v.message}`) && seen.add(`${v.path} ${v.message}`))
}

/** Validates (and fills defaults into) `value`, or throws 400 with the violations. */
export function check<T>(schema: object, value: unknown, what = 'body'): T {
  const v = validatorFor(schema as { $id?: string })
  if (value === undefined) throw new AppError('invalid_request', `The ${what} must be a JSON object.`, { errors: [{ path: '/', message: 'is required' }] })
  if (!v(value)) {
    const errors = violations(v.errors, schema)
    throw new AppError('invalid_request', `The ${what} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors })
  }
  return value as T
}
