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

export function violations(errors: ErrorObject[] | null | undefined): Violation[] {
  // An `if` failure only says which branch failed; the branch's own errors say what to fix.
  return (errors ?? []).filter((e) => e.keyword !== 'if').map((e) => {
    let path = e.instancePath || '/'
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'additionalProperties') {
      const p = (e.params as { additionalProperty: string }).additionalProperty
      path = `${e.instancePath}/${p}`
      message = 'is not a known field'
    } else if (e.keyword === 'required') {
      path = `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`
      message = 'is required'
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
    }
    return { path, message }
  })
}

/** Validates (and fills defaults into) `value`, or throws 400 with the violations. */
export function check<T>(schema: object, value: unknown, what = 'body'): T {
  const v = validatorFor(schema as { $id?: string })
  if (value === undefined) throw new AppError('invalid_request', `The ${what} must be a JSON object.`, { errors: [{ path: '/', message: 'is required' }] })
  if (!v(value)) {
    const errors = violations(v.errors)
    throw new AppError('invalid_request', `The ${what} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors })
  }
  return value as T
}
