/**
 * The executions API: start one (execute with `capabilities`, or async), read
 * it, answer its questions, cancel it. Every route is the owner's only: anyone
 * else gets 404.
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError, problem } from '../errors.js'
import { check } from '../validate.js'
import { inputBody } from '../mcp/schema.js'
import { load } from '../registry/read.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import type { Declared } from '../mcp/sessions.js'
import { answered, CANCELLED_STATUS, cancelledProblem, executionView, inputRequiredView, KEEP_MS, terminal, type Execution, type Op } from './model.js'
import { change, createExecution, executionId, loadExecution, resultOf } from './records.js'
import { answerKind, checkAnswers } from './requests.js'
import { inputAudit, runLeg, type Leg, type LegHooks } from './run.js'
import { tell, waitFor } from './wait.js'
import { checkHolder } from './holder.js'

export interface Started {
  id: string
  /** The execution as created (working). */
  e: Execution
  /** The execution at its first stop: a question, or the end. */
  stopped: Promise<Execution>
}

/**
 * Creates the execution and starts its first leg. Until its first stop, the
 * caller's going away (`signal`) cancels it, as for a plain call; a caller
 * that asked for async passes no signal.
 */
export async function startExecution(d: Deps, caller: Caller, rec: Rec<McpConfig>, op: Op, name: string, args: Record<string, unknown>, declared: Declared, o: { signal?: AbortSignal; async?: boolean; hooks?: LegHooks; before?: Leg['before'] } = {}): Promise<Started> {
  const id = executionId(d)
  const now = d.clock.now()
  const e: Execution = {
    owner: caller.sub, org: caller.org ?? null, mcp_id: rec.id, op, name, declared, era: null, status: 'working', round: 0, progress: null,
    ...(o.hooks?.onLog ? { follow_logs: true } : {}),
    input_requests: null, answer_by: null, answers: null, resume: null, result: null, result_parts: 0, error: null, created_at: now, updated_at: now, expires_at: now + KEEP_MS,
  }
  // An async call is followed by its id from the start; one the caller waits for is stored at its first question.
  if (o.async) await createExecution(d, id, e)
  const leg = runLeg(d, caller, { id, rec, e, args, before: o.before, stored: Boolean(o.async), ...(o.signal ? { signal: o.signal } : {}) }, o.hooks)
  return { id, e, stopped: leg.stopped }
}

/** `GET /executions/{id}`. */
export async function readExecution(d: Deps, caller: Caller, id: string) {
  const rec = await loadExecution(d, caller, id)
  const e = await checkHolder(d, id, rec.data)
  // Past its deadline a question is over: a 2026-07-28 execution has nobody to say so, a 2025 one's holder may be gone.
  if (e.status === 'input_required' && e.answer_by !== null && d.clock.now() > e.answer_by) {
    return executionView(id, { ...e, status: 'failed', error: problem(new AppError('input_timeout', 'Nobody answered the input request in time.')).body })
  }
  return executionView(id, e, await resultOf(await d.store(), id, e))
}

/** `DELETE /executions/{id}`: the instance holding the call hears it through the store and cancels upstream. */
export async function cancelExecution(d: Deps, caller: Caller, id: string): Promise<void> {
  await loadExecution(d, caller, id)
  await cancel(d, id)
}

const cancel = (d: Deps, id: string) =>
  change(d, id, (x) => (terminal(x.status) ? x : { ...x, status: 'cancelled', error: null, input_requests: null, answers: null, resume: null, answer_by: null }))

/**
 * `POST /executions/{id}/input`: checks the answers, takes them once (a
 * transaction moves the execution out of `input_required`), then continues
 * the call: a 2026-07-28 retry from here, or the answer handed through the
 * store to the instance holding a 2025 call. Resolves with the execution
 * once it stops again (or is still working after `waitMs`).
 */
export async function answerExecution(d: Deps, caller: Caller, id: string, body: unknown, o: { hooks?: LegHooks; waitMs: number }): Promise<{ e: Execution; stopped?: Promise<Execution> }> {
  const b = check<{ responses: Record<string, unknown> }>(inputBody, body)
  const rec = await loadExecution(d, caller, id)
  const cur = await checkHolder(d, id, rec.data)
  // The instance holding the call is gone: the execution has just failed, and says why.
  if (cur !== rec.data && cur.status === 'failed') return { e: cur }
  const expired = (x: Execution) => x.answer_by !== null && d.clock.now() > x.answer_by
  if (cur.status !== 'input_required') throw notWaiting(cur)
  if (expired(cur)) throw new AppError('expired', 'This execution stopped waiting for input.', { execution_id: id })
  const answers = await checkAnswers(cur.input_requests ?? {}, b.responses)
  const round = cur.round
  // A 2026-07-28 retry needs the config: read while the answer is taken.
  const configP = cur.era === 'modern' ? load(d, caller, cur.mcp_id) : undefined
  configP?.catch(() => {})
  // The 2026-07-28 retry starts once the answer is taken, while the store makes that durable.
  let retry: Promise<ReturnType<typeof runLeg>> | undefined
  const retryOn = (taken: Execution) => (retry ??= configP!.then((config) => runLeg(d, caller, {
    id, rec: config, e: taken, args: cur.resume?.arguments ?? {}, stored: true,
    retry: { responses: answers, requestState: cur.resume?.request_state ?? null },
  }, o.hooks)))
  // The holder of a 2025 call hears of the answer at the commit, and may end the call before the take
  // is durable: this answer follows the execution from the commit, so it hears of that end at once.
  const gone = new AbortController()
  let following: Promise<Execution | null> | undefined
  const follow = () => (following ??= waitFor(d, id, (x) => !x || terminal(x.status) || (x.status === 'input_required' && x.round > round), o.waitMs, gone.signal))
  const taken = await change(d, id, (x) => {
    if (x.status !== 'input_required' || x.round !== round) throw notWaiting(x)
    if (expired(x)) throw new AppError('expired', 'This execution stopped waiting for input.', { execution_id: id })
    return { ...x, status: 'working', answers: x.era === 'legacy' ? answers : null, answer_by: null }
  }, { committed: cur.era === 'modern' ? (x) => void retryOn(x).catch(() => {}) : () => void follow() }).catch((err) => {
    gone.abort()
    throw err
  })
  inputAudit(d, caller, id, { ...taken, input_requests: cur.input_requests }, answerKind(answers))
  // A 2025 call held on this instance has its answer at once (elsewhere, through the store's watch).
  if (taken.era === 'legacy') tell(id, taken)
  if (taken.era === 'modern') {
    const leg = await retryOn(taken).catch(async (err) => {
      // The config went (or is no longer the caller's) between the question and the answer: nothing to retry on.
      await change(d, id, (x) => ({ ...x, status: 'failed', error: problem(err).body, resume: null }))
      throw err
    })
    return { e: taken, stopped: leg.stopped }
  }
  // The holder of the call passes `answers` on; the next stop is a new round or the end.
  const next = await follow()
  return { e: next ?? taken }
}

const notWaiting = (x: Execution) => new AppError('not_waiting', `This execution is not waiting for input (it is ${x.status}).`, { status_now: x.status })

/** What execute and an answer respond with: the result, the next question, the failure, or (async, still running) the execution. */
export async function replyFor(d: Deps, id: string, e: Execution): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
  const ref = e.transient ? {} : { execution_id: id }
  if (e.status === 'completed') {
    const result = await resultOf(await d.store(), id, e)
    return { status: 200, body: { ...(result as Record<string, unknown>), status: 'completed', ...ref } }
  }
  if (e.status === 'input_required') return { status: 200, body: inputRequiredView(id, e) }
  if (e.status === 'failed' || e.status === 'cancelled') {
    const err = answered(e.error ?? cancelledProblem())
    const status = typeof err.status === 'number' ? err.status : CANCELLED_STATUS
    return { status, body: { ...err, status, ...ref }, headers: { 'Content-Type': 'application/problem+json' } }
  }
  return accepted(id, e)
}

/** 202 with where to follow the execution. */
export function accepted(id: string, e: Execution) {
  return { status: 202, body: executionView(id, e), headers: { Location: `/api/v1/executions/${id}` } }
}
