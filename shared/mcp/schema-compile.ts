/**
 * Compiles upstream schemas in a worker thread (schema-worker.ts), one at a
 * time, each within a hard time limit: past it the worker is terminated and
 * the schema is not validated by the gateway. The generated standalone code
 * and its V8 code cache are loaded here, on the main thread (schema-load.ts).
 */
import { Worker } from 'node:worker_threads'
import type { ValidateFunction } from 'ajv'
import { SCHEMA_LIMITS, type SkipReason } from './schema-limits.js'
import { load } from './schema-load.js'
import type { CompileJob, CompileResult } from './schema-worker.js'

/** `chars`: the size of the generated code and its code cache, for the validator cache's byte bound. */
export type Compiled = { fn: ValidateFunction; chars: number } | { reason: SkipReason; message?: string }

interface Pending { job: CompileJob; resolve(r: Compiled): void }

/** Jobs waiting beyond this many are refused (`compiler_busy`): the call goes to the server unvalidated. */
const MAX_QUEUE = 32
/** An idle worker is stopped after this long, giving its memory back. */
const IDLE_MS = 60_000
/** The worker's heap; a compilation that needs more ends as `compile_failed`. */
const WORKER_HEAP_MB = 256

let worker: Worker | undefined
let running: Pending | undefined
let deadline: NodeJS.Timeout | undefined
let idle: NodeJS.Timeout | undefined
const queue: Pending[] = []
let ids = 0

let spawned = 0

function spawn(): Worker {
  spawned++
  const w = new Worker(new URL('./schema-worker-entry.js', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 32 },
  })
  w.on('message', (r: CompileResult) => {
    if (worker !== w || running?.job.id !== r.id) return
    if ('reason' in r) return finish({ reason: r.reason, message: r.message })
    try {
      finish({ fn: load(r.code, r.cache), chars: r.code.length + (r.cache?.byteLength ?? 0) })
    } catch (e) {
      finish({ reason: 'compile_failed', message: String((e as Error)?.message ?? e).slice(0, 300) })
    }
  })
  const gone = (why: string) => {
    if (worker !== w) return
    worker = undefined
    if (running) finish({ reason: 'compile_failed', message: why })
  }
  w.on('error', (e) => gone(String(e?.message ?? e).slice(0, 300)))
  w.on('exit', (code) => gone(`worker exited (${code})`))
  // After the listeners: adding a 'message' listener refs the worker's port again. A running job holds its own timer.
  w.unref()
  return w
}

function stop(): void {
  const w = worker
  worker = undefined
  void w?.terminate()
}

function next(): void {
  if (running) return
  const p = queue.shift()
  if (!p) {
    idle ??= setTimeout(() => { idle = undefined; if (!running) stop() }, IDLE_MS).unref()
    return
  }
  clearTimeout(idle)
  idle = undefined
  running = p
  const ms = SCHEMA_LIMITS.compileMs
  deadline = setTimeout(() => {
    stop()
    finish({ reason: 'compile_timeout', message: `compilation took over ${ms} ms` })
  }, ms)
  try {
    worker ??= spawn()
    worker.postMessage(p.job)
  } catch (e) {
    finish({ reason: 'compile_failed', message: String((e as Error)?.message ?? e).slice(0, 300) })
  }
}

function finish(r: Compiled): void {
  clearTimeout(deadline)
  const p = running
  running = undefined
  p?.resolve(r)
  next()
}

/** Compiles schema JSON text into a validator, or says why not. Never rejects. */
export function compileInWorker(text: string, legacy: boolean): Promise<Compiled> {
  if (queue.length >= MAX_QUEUE) return Promise.resolve({ reason: 'compiler_busy' })
  const { maxPatternProgram, maxCodeChars } = SCHEMA_LIMITS
  return new Promise((resolve) => {
    queue.push({ job: { id: ++ids, text, legacy, limits: { maxPatternProgram, maxCodeChars } }, resolve })
    next()
  })
}

/** Tests: how many times this process has started the compiler's worker. */
export const workerStarts = (): number => spawned
