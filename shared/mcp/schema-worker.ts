/**
 * Worker thread: compiles one upstream JSON Schema at a time into ajv
 * standalone code, off the event loop that serves requests. The main thread
 * loads the code (schema-compile.ts) and terminates this worker when a
 * compilation runs past its time limit. Every pattern is compiled here on RE2
 * once, so unsupported syntax and oversized programs are found here too.
 */
import { parentPort } from 'node:worker_threads'
import { Script } from 'node:vm'
import { Ajv } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import standaloneModule from 'ajv/dist/standalone/index.js'
import { compileRe2, RE2_MODULE, UnsupportedPattern } from './re2.js'
import { moduleRequire, wrap, VALIDATOR_FILENAME } from './schema-load.js'
import type { SCHEMA_LIMITS, SkipReason } from './schema-limits.js'

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: unknown) => unknown
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (ajv: unknown, v: unknown) => string

export interface CompileJob { id: number; text: string; legacy: boolean; limits: Pick<typeof SCHEMA_LIMITS, 'maxPatternProgram' | 'maxCodeChars'> }
/** `cache`: V8's code cache of the wrapped code after one call, so loading it costs the main thread little. */
export type CompileResult = { id: number; code: string; cache?: Uint8Array } | { id: number; reason: SkipReason; message: string }

class TooComplex extends Error {}

function compile(job: CompileJob): CompileResult {
  const l = job.limits
  let program = 0
  const regExp = Object.assign(
    (pattern: string, u: string) => {
      const re = compileRe2(pattern)
      program += re.programSize()
      if (program > l.maxPatternProgram) throw new TooComplex('patterns too complex')
      // ajv dedupes patterns by this key.
      return { test: (s: string) => re.test(s), toString: () => `/${pattern}/${u}` }
    },
    { code: `require(${JSON.stringify(RE2_MODULE)})` },
  )
  const opts = { strict: false, allErrors: true, validateSchema: false, code: { source: true, lines: false, regExp } }
  const ajv = addFormats(job.legacy ? new Ajv(opts) : new Ajv2020(opts)) as Ajv
  try {
    const code = standaloneCode(ajv, ajv.compile({ ...JSON.parse(job.text), $id: undefined }))
    if (code.length > l.maxCodeChars) return { id: job.id, reason: 'schema_too_complex', message: `validator code of ${code.length} characters` }
    return { id: job.id, code, cache: codeCache(code) }
  } catch (e) {
    const message = String((e as Error)?.message ?? e).slice(0, 300)
    const reason: SkipReason = e instanceof UnsupportedPattern ? 'pattern_unsupported' : e instanceof TooComplex ? 'schema_too_complex' : 'schema_invalid'
    return { id: job.id, reason, message }
  }
}

/** Runs the code once here (which compiles its main function) and returns V8's code cache for it. */
function codeCache(code: string): Uint8Array | undefined {
  try {
    const script = new Script(wrap(code), { filename: VALIDATOR_FILENAME })
    const module = { exports: {} as (v: unknown) => boolean }
    script.runInThisContext()(moduleRequire, module, module.exports)
    module.exports({})
    return script.createCachedData()
  } catch {
    return undefined
  }
}

parentPort?.on('message', (job: CompileJob) => parentPort!.postMessage(compile(job)))
