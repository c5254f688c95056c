/** Validates tool arguments against the tool's own input schema before the call. */
import { Ajv, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import { log } from '../log.js'
import { violations } from '../validate.js'

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule
let draft7: Ajv | undefined
let draft2020: Ajv2020 | undefined
const compiled = new Lru<ValidateFunction | null>(500)

function compile(schema: Record<string, unknown>): ValidateFunction | null {
  const key = JSON.stringify(schema)
  const hit = compiled.get(key)
  if (hit !== undefined) return hit
  const legacy = typeof schema.$schema === 'string' && /draft-0[467]/.test(schema.$schema)
  // MCP 2025-11-25: input schemas default to JSON Schema 2020-12.
  const ajv = legacy
    ? (draft7 ??= (addFormats as any)(new Ajv({ strict: false, allErrors: true, validateSchema: false })))
    : (draft2020 ??= (addFormats as any)(new Ajv2020({ strict: false, allErrors: true, validateSchema: false })))
  let fn: ValidateFunction | null = null
  try {
    fn = ajv!.compile({ ...schema, $id: undefined })
  } catch (e) {
    // An upstream schema we cannot compile is the server's problem: let it validate.
    log('WARNING', 'tool input schema not compilable; skipping gateway-side validation', { error: String((e as Error).message).slice(0, 300) })
  }
  compiled.set(key, fn, 3600_000)
  return fn
}

export function checkArguments(schema: Record<string, unknown> | undefined, args: Record<string, unknown>): void {
  if (!schema) return
  const fn = compile(schema)
  if (!fn || fn(args)) return
  const errors = violations(fn.errors).map((e) => ({ path: `/arguments${e.path === '/' ? '' : e.path}`, message: e.message }))
  throw new AppError('invalid_request', `The arguments do not match the tool's input schema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors })
}
