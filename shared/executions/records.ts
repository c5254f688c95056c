/**
 * Execution records in the store: owner-checked reads, atomic changes, and
 * results too large for one document split into parts (never truncated).
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { logContext, maskSecrets } from '../log.js'
import { track } from '../background.js'
import type { Rec, Store } from '../ports.js'
import { newId } from '../ids.js'
import { EXECUTIONS, EXECUTION_PARTS, KEEP_MS, type Execution } from './model.js'
import { youngWait } from './young.js'

/** Below Firestore's 1 MiB per document, with room for the rest of the record. */
const INLINE_MAX = 700_000
const PART_CHARS = 900_000

const notFound = () => new AppError('not_found', 'No such execution.')

/** The caller's execution; someone else's is 404, like a missing one. */
export async function loadExecution(d: Deps, caller: Caller, id: string): Promise<Rec<Execution>> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw notFound()
  // A question or result this instance answered with before storing it is read once stored.
  await behind.get(id)
  const store = await d.store()
  const rec = (await store.get<Execution>(EXECUTIONS, id)) ?? (await appeared(d, store, id, caller.sub))
  if (!rec || rec.data.owner !== caller.sub) throw notFound()
  return rec
}

/** How long after its id is made an execution may still be on its way to the store (its first question is answered before stored). */
const YOUNG_MS = 10_000
const SKEW_MS = 5_000
/** An execution id: 128 random bits, then when it was made (9 base-36 digits), which says how long a reader elsewhere waits for it. */
export const executionId = (d: Deps) => `${newId()}${d.clock.now().toString(36).padStart(9, '0')}`

/**
 * A young execution missing here may be on its way from the instance that
 * answered its first question (to a caller that answered at once, through
 * another instance): waits for it until YOUNG_MS after its id was made, unless
 * the caller holds as many such waits as they may (young.ts).
 */
async function appeared(d: Deps, store: Store, id: string, sub: string): Promise<Rec<Execution> | null> {
  const made = id.length === 31 && /^[0-9a-z]{9}$/.test(id.slice(22)) ? Number.parseInt(id.slice(22), 36) : Number.NaN
  const ms = made + YOUNG_MS - d.clock.now()
  // Instances' clocks may differ a little.
  if (!(ms > 0 && ms <= YOUNG_MS + SKEW_MS)) return null
  const release = youngWait(sub, d.config.youngWaitsPerUser)
  if (!release) return null
  return new Promise((resolve) => {
    let done = false
    let unwatch = () => {}
    const finish = (r: Rec<Execution> | null) => {
      if (done) return
      done = true
      clearTimeout(timer)
      unwatch()
      release()
      resolve(r)
    }
    const timer = setTimeout(() => finish(null), ms)
    unwatch = store.watch<Execution>(EXECUTIONS, id, (r) => { if (r) finish(r) })
    if (done) unwatch()
  })
}

/**
 * Changes a record atomically with `fn` (which may refuse by throwing), moving
 * its expiry on; `committed` sees the change once decided, maybe before it is
 * durable (the store's `committed`). Secret values this request has seen are masked in everything
 * stored (an upstream may echo them in a question or a result).
 */
export async function change(d: Deps, id: string, fn: (e: Execution) => Execution, o: ChangeOptions = {}): Promise<Execution> {
  const store = await d.store()
  const { committed, lazy } = o
  const rec = await store.update<Execution>(EXECUTIONS, id, (old) => {
    const now = d.clock.now()
    const next = fn(old)
    return masked({ ...next, updated_at: now, expires_at: Math.max(now + KEEP_MS, next.answer_by ?? 0) })
  }, { ...(committed ? { committed: (r) => committed(r.data) } : {}), ...(lazy ? { lazy } : {}) })
  return rec.data
}

/** `committed`: sees the change once decided (the store's `committed`); `lazy`: a write-behind nobody waits on to be durable (the store's `lazy`). */
export interface ChangeOptions {
  committed?: (e: Execution) => void
  lazy?: boolean
}

/** Writes of this instance that its answer went out before (the result of a call), by execution. */
const behind = new Map<string, Promise<unknown>>()

/**
 * Writes after the answer (a durable write less on its way): `write` starts once the answer has gone
 * out (`afterReply`), as a lazy write (nobody waits on its flush: it rides on the store's next one);
 * this instance's reads of `id` wait for its commit (or its failure), shutdown for the write.
 */
export function writeBehind<T>(id: string, write: (o: { lazy: true; committed: () => void }) => Promise<T>): { written: Promise<T>; visible: Promise<void> } {
  let seen!: () => void
  // Readable here once committed (LocalStore: before its flush; an answer's own write comes after it in the journal).
  const visible = new Promise<void>((r) => (seen = r))
  const written = afterReply().then(() => write({ lazy: true, committed: () => seen() }))
  void written.then(seen, seen)
  track(written.catch(() => {}))
  behind.set(id, visible)
  void visible.finally(() => { if (behind.get(id) === visible) behind.delete(id) })
  return { written, visible }
}

/**
 * Resolves in the event loop's check phase, once the reply this request is writing has gone out
 * (its writing is microtasks, which all run first): a write-behind starts there, so its serialising,
 * journal write and flush hand-off are not on the reply's way. What waits for it (readers here,
 * shutdown) is registered before, with the write's promise.
 */
const afterReply = (): Promise<void> => new Promise((r) => setImmediate(r))

/** `v` with the secret values this request has seen masked; as it is (no JSON round trip) when it has seen none. */
export const masked = <T>(v: T): T => (logContext.getStore()?.secrets?.length ? (JSON.parse(maskSecrets(JSON.stringify(v))) as T) : v)

export async function createExecution(d: Deps, id: string, e: Execution): Promise<Execution> {
  const rec = await (await d.store()).create<Execution>(EXECUTIONS, id, stamped(d, e))
  return rec.data
}

/**
 * Creates the record after the answer (`writeBehind`): returns it as it will be stored, its write,
 * and when this instance can read it (committed, or failed), which this instance's watchers of `id`
 * wait for too (`landed`).
 */
export function createBehind(d: Deps, id: string, e: Execution): { e: Execution; written: Promise<Execution>; visible: Promise<void> } {
  const doc = stamped(d, e)
  const { written, visible } = writeBehind(id, (o) => d.store().then((s) => s.create<Execution>(EXECUTIONS, id, doc, o)).then((r) => r.data))
  creating.set(id, visible)
  void visible.finally(() => { if (creating.get(id) === visible) creating.delete(id) })
  return { e: doc, written, visible }
}

/** Records this instance answered with before creating them, by execution. */
const creating = new Map<string, Promise<void>>()

/** Resolves once the record of `id`, if this instance is creating it after an answer, is there (or failed). */
export const landed = (id: string): Promise<void> | undefined => creating.get(id)

const stamped = (d: Deps, e: Execution): Execution => {
  const now = d.clock.now()
  return masked({ ...e, updated_at: now, expires_at: Math.max(now + KEEP_MS, e.answer_by ?? 0) })
}

/**
 * Stores a completed result: inline when small, else as parts, each its own
 * document, written before the status change that points to them (a reader
 * only looks for parts once it sees `completed`). One transaction for all
 * would pass Firestore's 10 MiB per commit.
 */
export async function complete(d: Deps, id: string, result: unknown, patch: (e: Execution) => Partial<Execution> = () => ({}), o: ChangeOptions = {}): Promise<Execution> {
  // With no secret seen, the result is stored as it is: no masking pass and no parse of its text.
  const plain = !logContext.getStore()?.secrets?.length
  const text = plain ? JSON.stringify(result ?? null) : maskSecrets(JSON.stringify(result ?? null))
  if (text.length <= INLINE_MAX) return change(d, id, (e) => ({ ...e, ...patch(e), status: 'completed', result: plain ? (result ?? null) : JSON.parse(text), result_parts: 0, input_requests: null, answers: null, resume: null }), o)
  const parts: string[] = []
  for (let i = 0; i < text.length; i += PART_CHARS) parts.push(text.slice(i, i + PART_CHARS))
  const store = await d.store()
  const expires = d.clock.now() + KEEP_MS
  for (const [i, p] of parts.entries()) await store.transact(async (tx) => tx.set(EXECUTION_PARTS, `${id}.${i}`, { execution_id: id, n: i, text: p, expires_at: expires }))
  return change(d, id, (e) => ({ ...e, ...patch(e), status: 'completed', result: null, result_parts: parts.length, input_requests: null, answers: null, resume: null }), o)
}

/** The result of a completed execution, reassembled from its parts when it has them. */
export async function resultOf(store: Store, id: string, e: Execution): Promise<unknown> {
  if (e.status !== 'completed') return null
  if (!e.result_parts) return e.result
  const texts: string[] = []
  for (let i = 0; i < e.result_parts; i++) {
    const p = await store.get<{ text: string }>(EXECUTION_PARTS, `${id}.${i}`)
    if (!p) throw new AppError('unavailable', 'Part of this result is missing; try again.')
    texts.push(p.data.text)
  }
  return JSON.parse(texts.join(''))
}
