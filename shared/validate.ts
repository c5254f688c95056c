/** Request-body validation with ajv; violations become `errors: [{path, message}]`. */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { AppError } from './errors.js'

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule

let ajv: Ajv | undefined
const compiled = new WeakMap<object, ValidateFunction>()

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true, coerceTypes: false })
    ;(addFormats as any)(ajv, ['uri'])
  }
  return ajv
}

export interface Violation { path: string; message: string }

export function violations(errors: ErrorObject[] | null | undefined): Violation[] {
  return (errors ?? []).map((e) => {
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
  let v = compiled.get(schema)
  if (!v) compiled.set(schema, (v = instance().compile(schema)))
  if (value === undefined) throw new AppError('invalid_request', `The ${what} must be a JSON object.`, { errors: [{ path: '/', message: 'is required' }] })
  if (!v(value)) {
    const errors = violations(v.errors)
    throw new AppError('invalid_request', `The ${what} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors })
  }
  return value as T
}
