/**
 * Loading ajv standalone code (from schema-worker.ts) into a validator: the
 * same wrapper in the worker, which produces V8's code cache for it, and on
 * the main thread, which uses that cache. Its `require` resolves only ajv's
 * runtime helpers, ajv-formats and the RE2 engine.
 */
import { createRequire } from 'node:module'
import { Script } from 'node:vm'
import type { ValidateFunction } from 'ajv'
import { lazyRe2, RE2_MODULE } from './re2.js'

const require = createRequire(import.meta.url)
const RUNTIME = /^(ajv\/dist\/runtime\/[a-z0-9_]+|ajv-formats\/dist\/formats)$/
export const VALIDATOR_FILENAME = 'mcp-gateway:tool-schema-validator.js'

export const wrap = (code: string) => `(function (require, module, exports) {${code}\n})`

export function moduleRequire(id: string): unknown {
  if (id === RE2_MODULE) return lazyRe2
  if (RUNTIME.test(id)) return require(id)
  throw new Error(`generated validator requires ${id}`)
}

/** The validator `code` exports; `cache` (V8's code cache from the worker) spares compiling it here, and is ignored if V8 rejects it. */
export function load(code: string, cache?: Uint8Array): ValidateFunction {
  const script = new Script(wrap(code), { filename: VALIDATOR_FILENAME, ...(cache ? { cachedData: cache } : {}) })
  const module = { exports: {} as ValidateFunction }
  script.runInThisContext()(moduleRequire, module, module.exports)
  return module.exports
}
