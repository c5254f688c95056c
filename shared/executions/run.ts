/**
 * One leg of an execution: a call upstream on a private connection that
 * declares only what the caller declared, until it completes, fails, or stops
 * for input.
 *
 * - 2026-07-28 servers answer `input_required`: the leg ends there; the
 *   original arguments and the server's `requestState` go to the store, and
 *   the next leg (a retry with a new JSON-RPC id) runs on whichever instance
 *   takes the answer.
 * - 2025 servers send `elicitation/create` or `sampling/createMessage` on the
 *   open call: this instance keeps the call and waits, through the store's
 *   watch, for the answer that any instance may take; at `answer_by` the
 *   execution fails with `input_timeout` and the upstream request is cancelled.
 *
 * `stopped` resolves at the leg's first stop (the question, or the end); the
 * call itself may go on afterwards (2025 servers), in the background.
 */
import type { Tool } from '@modelcontextprotocol/client'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError, problem } from '../errors.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import { audit } from '../audit.js'
import { auditBlock, blockOf } from '../governance/gate.js'
import { onShutdown } from '../shutdown.js'
import { withTarget } from '../mcp/target.js'
import type { Session, Target } from '../mcp/sessions.js'
import { contentsView, resultView } from '../mcp/views.js'
import { checkResultDepth } from '../mcp/depth.js'
import { checkOutput } from '../mcp/args.js'
import { loadState } from '../mcp/state.js'
import { EXECUTIONS, LOG_DATA_MAX, LOG_KEEP, terminal, type Execution, type InputRequest, type LogLine, type Progress, type StoredLog } from './model.js'
import { change, complete, createBehind, masked, writeBehind } from './records.js'
import { toInputRequest } from './requests.js'
import { announce, waitFor } from './wait.js'
import { log } from '../log.js'
import { interactiveClient, onConnection, type LegRoute } from './relay.js'
import { hold, holderId } from './holder.js'

export interface LegHooks {
  onStart?(): void
  onProgress?(p: Progress): void
  onLog?(l: { level: string; logger: string | null; data: unknown }): void
}

export interface Leg {
  id: string
  rec: Rec<McpConfig>
  e: Execution
  /** The arguments of the call (tool or prompt). */
  args: Record<string, unknown>
  /** A retry's answers and the server's state (2026-07-28). */
  retry?: { responses: Record<string, unknown>; requestState: string | null }
  /** Runs on the session before the first call (tool validation and policy); may return the tool's definition. */
  before?(s: Session, t: Target): Promise<Tool | undefined>
  /** Whether the record exists already (async calls, answers); else it is written at the first question. */
  stored: boolean
  /** The waiting caller's request: its going away before the first stop cancels the call, as for a plain one. */
  signal?: AbortSignal
}

/** Rounds of a requestState-only `input_required` (the server asks only to be called again) a leg follows itself. */
const MAX_BARE_RETRIES = 5
/** Progress reaches the store at most this often per execution. */
const PROGRESS_EVERY_MS = 1000
/** Questions on one 2025 call that may each wait out `EXECUTION_INPUT_TIMEOUT_MS`, for the call's own timeout. */
const MAX_WAITS = 3

/** Legs running on this instance, so that shutdown can end them in the open (below). */
const running = new Map<string, { ac: AbortController; done?: Promise<void> }>()
let hooked = false

/**
 * On shutdown (scale-in, a deploy), a call this instance holds cannot go on: its upstream request is
 * cancelled and its execution fails with `unavailable` at once, instead of waiting out its deadline.
 * Resolves once their records say so.
 */
export async function endRunning(): Promise<void> {
  const all = [...running.values()]
  for (const r of all) r.ac.abort(new AppError('unavailable', 'The instance holding this call shut down; start it again.'))
  await Promise.allSettled(all.map((r) => r.done))
}

export function runLeg(d: Deps, caller: Caller, leg: Leg, hooks: LegHooks = {}): { stopped: Promise<Execution>; done: Promise<void> } {
  const { id, e } = leg
  const ac = new AbortController()
  if (!hooked) {
    hooked = true
    onShutdown(endRunning)
  }
  const me: { ac: AbortController; done?: Promise<void> } = { ac }
  running.set(id, me)
  let stop!: (e: Execution) => void
  const stopped = new Promise<Execution>((r) => (stop = r))
  let timedOut: AppError | undefined
  let release: (() => void) | undefined
  const heldBy = (era: 'legacy' | 'modern') => (era === 'legacy' ? { holder: holderId } : {})
  // DELETE (on any instance) sets `cancelled`: the call here ends the way its era requires.
  let unwatch: () => void = () => {}
  let finished = false
  // A call the caller waits for is stored only once it asks something (nobody else can know of it before):
  // a call that completes without a question writes nothing, one that asks writes once.
  let stored = leg.stored
  /** The first question's write, answered before it landed (below). */
  let storing: Promise<void> | undefined
  let lost: AppError | undefined
  const watchCancel = () =>
    void d.store().then((s) => {
      if (finished) return
      unwatch = s.watch<Execution>(EXECUTIONS, id, (r) => {
        if (!r || r.data.status === 'cancelled') ac.abort(new AppError('cancelled', 'The execution was cancelled.'))
      })
    }, () => {})
  if (stored) watchCancel()
  const gone = () => ac.abort(new AppError('cancelled', 'The client closed the request.'))
  if (leg.signal?.aborted) gone()
  leg.signal?.addEventListener('abort', gone, { once: true })
  void stopped.then(() => leg.signal?.removeEventListener('abort', gone))
  // A stream elsewhere follows this leg's logs through the store (a 2026-07-28 retry runs where the answer went).
  const storeLogs = !hooks.onLog && Boolean(e.follow_logs)
  const progress = throttled(d, id, hooks.onProgress, () => stored, Math.max(0, ...(e.logs ?? []).map((l) => l.n)))
  const logTo = hooks.onLog ?? (storeLogs ? (l: LogLine) => progress.log(l) : undefined)
  const done = (async () => {
    const t0 = performance.now()
    let era: Execution['era'] = e.era
    try {
      const route: LegRoute = { ask: queued(), ...(logTo ? { log: logTo } : {}) }
      const out = await withTarget(d, caller, leg.rec, ac.signal, (s, t) => onConnection(s.client, route, async () => {
        era = s.era
        const tool = await leg.before?.(s, t)
        hooks.onStart?.()
        let retry = leg.retry
        // A retry is a new request (MRTR): its JSON-RPC id must differ from the earlier legs', which ran
        // on this connection or another one. Every earlier id is below the counter a leg leaves behind
        // (`rpc_next`); the SDK has no option for it, so its counter is moved on (never back: the
        // connection may be serving other calls).
        const ids = s.client as unknown as { _requestMessageId?: unknown }
        const next = e.resume?.rpc_next ?? 0
        if (retry && typeof ids._requestMessageId === 'number' && ids._requestMessageId < next) ids._requestMessageId = next
        for (let bare = 0; ; bare++) {
          const r = await call(s, t, retry) as Record<string, unknown>
          if (r.resultType !== 'input_required') {
            // The tool's output schema holds as for a plain execute: the definition `before` found, or for a
            // retry (which runs no `before`) the learned state's.
            if (e.op === 'tool') await checkOutput((leg.retry ? await definition(t) : tool)?.outputSchema, r)
            return { done: r, asked: undefined }
          }
          const raw = (r.inputRequests ?? {}) as Record<string, { method?: string; params?: Record<string, unknown> }>
          const requestState = typeof r.requestState === 'string' ? r.requestState : null
          if (Object.keys(raw).length || bare >= MAX_BARE_RETRIES) {
            return { done: undefined, asked: { raw, requestState, rpcNext: typeof ids._requestMessageId === 'number' ? ids._requestMessageId : 0 } }
          }
          retry = { responses: {}, requestState }
        }
      }), { client: interactiveClient(e.declared), extraMs: d.config.inputTimeoutMs * MAX_WAITS })
      if (out.asked) {
        const requests: Record<string, InputRequest> = {}
        for (const [k, v] of Object.entries(out.asked.raw)) requests[k] = toInputRequest(d, e.declared, String(v?.method), v?.params)
        if (!Object.keys(requests).length) throw new AppError('upstream_error', 'The MCP server kept asking to be called again.', { upstream: { reason: 'input_required_loop' } })
        const next = await ask(requests, 'modern', { arguments: leg.args, request_state: out.asked.requestState, rpc_next: out.asked.rpcNext })
        stop(next)
        return
      }
      const view = viewOf(e.op, out.done!)
      if (!stored) stop({ ...e, era, status: 'completed', result: view, transient: true })
      else {
        // Answered before the result is stored (writeBehind: this instance's readers wait for its commit,
        // other instances see it once it lands).
        const result = masked(view)
        const { written } = writeBehind(id, (o) => complete(d, id, result, (x) => ({ era, progress: null, ...progress.withLogs(x) }), o))
        written.catch((err) => log('ERROR', 'execution result not stored', { execution_id: id, error: String(err) }))
        const final: Execution = { ...e, era, status: 'completed', result, result_parts: 0, progress: null, input_requests: null, answers: null, resume: null, answer_by: null, ...progress.withLogs(e) }
        announce(id, final, written)
        stop(final)
      }
      note('ok')
    } catch (err) {
      const reason = ac.signal.reason
      const failure = timedOut ?? (reason instanceof AppError && reason.code === 'unavailable' ? reason : err)
      const body = problem(failure).body
      if (storing) await storing
      const next = stored ? await change(d, id, (x) => (terminal(x.status) ? x : { ...x, ...progress.withLogs(x), era, status: 'failed', error: body, input_requests: null, answers: null, resume: null })).catch(() => null) : null
      stop(next ?? { ...e, status: 'failed', error: body, transient: !stored })
      note(failure instanceof AppError && failure.code === 'cancelled' ? 'cancelled' : 'error', String(body.code), failure)
    } finally {
      release?.()
      finished = true
      if (running.get(id) === me) running.delete(id)
      unwatch()
      progress.flush()
    }

    function note(outcome: 'ok' | 'error' | 'cancelled', code?: string, err?: unknown) {
      // A refusal by the tool policy is audited as such (prompts: as listing does for a plain get).
      const blocked = blockOf(err)
      if (blocked) return auditBlock(d, caller, e.mcp_id, e.op === 'prompt' ? 'prompt' : 'tool', e.name, blocked)
      if (e.op !== 'tool') return
      audit(d, {
        actor: caller.sub, org: caller.org ?? null, action: 'tool.execute', mcp_id: e.mcp_id, tool: e.name.slice(0, 128),
        argument_names: Object.keys(leg.args).slice(0, 50), outcome, ...(code ? { code } : {}), duration_ms: Math.round(performance.now() - t0), execution_id: id,
      })
    }
  })()

  /** The tool's definition as the store learned it (a retry runs no `before`). */
  async function definition(t: Target): Promise<Tool | undefined> {
    return (await loadState(d, t.state))?.tools?.find((x) => x.name === e.name)
  }

  /** The call of this leg: the first one, or a 2026-07-28 retry with the answers and a new JSON-RPC id. */
  function call(s: Session, t: Target, retry?: Leg['retry']): Promise<unknown> {
    const extra = {
      ...(retry ? { inputResponses: retry.responses, ...(retry.requestState !== null ? { requestState: retry.requestState } : {}) } : {}),
      // 2026-07-28: log notifications only when asked for, per request.
      ...(logTo && s.era === 'modern' ? { _meta: { 'io.modelcontextprotocol/logLevel': 'info' } } : {}),
    }
    // Only a 2025 server's open call waits for the user; a 2026-07-28 leg gets the config's own timeout.
    const timeouts = s.era === 'modern' ? { timeout: t.timeoutMs, maxTotalTimeout: t.timeoutMs } : {}
    const opts = {
      ...s.opts, ...timeouts, allowInputRequired: true, resetTimeoutOnProgress: true,
      onprogress: (p: { progress: number; total?: number; message?: string }) => progress.set({ progress: p.progress, total: p.total ?? null, message: p.message ?? null }),
    }
    if (e.op === 'tool') return s.client.callTool({ name: e.name, arguments: leg.args, ...extra } as never, opts)
    if (e.op === 'prompt') return s.client.getPrompt({ name: e.name, arguments: leg.args as Record<string, string>, ...extra } as never, opts)
    return s.client.readResource({ uri: e.name, ...extra } as never, { ...opts, cacheMode: 'bypass' })
  }

  /** Puts the round's questions in the store (the next round) and tells whoever waits. */
  async function ask(requests: Record<string, InputRequest>, era: 'legacy' | 'modern', resume: Execution['resume']): Promise<Execution> {
    const answerBy = d.clock.now() + d.config.inputTimeoutMs
    let next: Execution
    if (stored) {
      next = await change(d, id, (x) => {
        if (x.status === 'cancelled') throw new AppError('cancelled', 'The execution was cancelled.')
        return { ...x, ...progress.withLogs(x), era, status: 'input_required', round: x.round + 1, input_requests: requests, answer_by: answerBy, answers: null, resume, ...heldBy(era) }
      })
    } else {
      // The first question is answered before it is stored, as a result is (a durable write less on
      // the way): readers here wait for its commit, readers elsewhere for a young execution to appear
      // (records.ts); this leg watches for a cancel, and waits for an answer, once it is committed.
      const w = createBehind(d, id, { ...e, era, status: 'input_required', round: e.round + 1, input_requests: requests, answer_by: answerBy, answers: null, resume, ...heldBy(era) })
      next = w.e
      stored = true
      w.written.catch((err) => {
        lost = new AppError('unavailable', 'The execution could not be stored; start it again.')
        log('ERROR', 'execution question not stored', { execution_id: id, error: String(err) })
        ac.abort(lost)
      })
      // Readable here once committed (before the store's flush); a failed write has set `lost` by then.
      storing = w.visible.then(() => { if (!lost) watchCancel() })
    }
    inputAudit(d, caller, id, next, 'asked')
    return next
  }

  /** 2025 servers: their requests on the open call wait here for the answer, one at a time. */
  function queued(): LegRoute['ask'] {
    let queue: Promise<unknown> = Promise.resolve()
    return (method, params) => {
      const turn = queue.then(() => waitForAnswer(method, params))
      queue = turn.catch(() => {})
      return turn
    }
  }

  async function waitForAnswer(method: string, params: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const key = method === 'sampling/createMessage' ? 'sampling' : 'elicitation'
    // Held until the leg ends: another instance that finds the lease lapsed fails the execution.
    release ??= await hold(d)
    const asked = await ask({ [key]: toInputRequest(d, e.declared, method, params) }, 'legacy', null)
    progress.pause()
    stop(asked)
    if (storing) await storing
    if (lost) return endCall(lost)
    const got = await waitFor(d, id, (x) => !x || terminal(x.status) || (x.round === asked.round && x.answers !== null), asked.answer_by! - d.clock.now(), ac.signal)
    if (!got || got.status === 'cancelled' || ac.signal.aborted) return endCall(new AppError('cancelled', 'The execution was cancelled.'))
    if (got.round !== asked.round || !got.answers) {
      timedOut = new AppError('input_timeout', 'Nobody answered the input request in time.')
      inputAudit(d, caller, id, asked, 'timed_out')
      return endCall(timedOut)
    }
    const answer = got.answers[key] as Record<string, unknown>
    // Not cleared by a write of its own (a durable write per round): the next write of this
    // execution (the next question, the result or the failure) removes them.
    progress.resume()
    return answer
  }

  /**
   * Cancels the upstream request (`notifications/cancelled`), and so the call. The server's question
   * gets no answer: an error answer could reach the server first and end its tool as a failure instead.
   */
  function endCall(reason: AppError): Promise<never> {
    ac.abort(reason)
    return new Promise<never>(() => {})
  }

  me.done = done
  return { stopped, done }
}

/** The API's shape of a completed call. */
function viewOf(op: Execution['op'], r: Record<string, unknown>): unknown {
  if (op === 'tool') {
    checkResultDepth([r.content, r.structuredContent, r.toolResult])
    return resultView(r as Parameters<typeof resultView>[0])
  }
  if (op === 'prompt') {
    checkResultDepth([r.messages])
    return { description: r.description ?? null, messages: r.messages ?? [] }
  }
  checkResultDepth([r.contents])
  return { contents: ((r.contents ?? []) as Parameters<typeof contentsView>[0][]).map(contentsView) }
}

/** Audits a round without what anyone said: who, which execution, which round and kinds, and what happened. */
export function inputAudit(d: Deps, caller: Caller, id: string, e: Execution, what: 'asked' | 'answered' | 'declined' | 'cancelled' | 'timed_out'): void {
  audit(d, {
    actor: caller.sub, org: caller.org ?? null, action: 'execution.input', mcp_id: e.mcp_id, tool: e.name.slice(0, 128), kind: e.op,
    outcome: what === 'timed_out' ? 'error' : 'ok', ...(what === 'timed_out' ? { code: 'input_timeout' } : {}), duration_ms: 0,
    execution_id: id, round: e.round, input: what, input_kinds: [...new Set(Object.values(e.input_requests ?? {}).map((r) => (r.kind === 'elicitation' ? `elicitation.${r.mode}` : r.kind)))],
  })
}

/**
 * Progress to the caller at once, and to the store at most once a second (the latest value wins);
 * log messages a stream elsewhere follows (`first`: the number before this leg's first) go to the
 * store in the same writes, the latest LOG_KEEP of them, each cut to LOG_DATA_MAX characters.
 */
function throttled(d: Deps, id: string, local: ((p: Progress) => void) | undefined, stored: () => boolean, first = 0) {
  let pending: Progress | undefined
  let logs: StoredLog[] = []
  let n = first
  let last = 0
  let timer: NodeJS.Timeout | undefined
  let paused = false
  /** The record's logs with this leg's unwritten ones (pure: a transaction may run it twice). */
  const withLogs = (x: Execution): Partial<Execution> => {
    if (!logs.length) return {}
    const from = logs[0]!.n
    return { logs: [...(x.logs ?? []).filter((l) => l.n < from), ...logs].slice(-LOG_KEEP) }
  }
  const write = () => {
    timer = undefined
    if ((!pending && !logs.length) || paused || !stored()) return
    const p = pending
    const upto = n
    pending = undefined
    last = Date.now()
    void change(d, id, (x) => (x.status === 'working' ? { ...x, ...(p ? { progress: p } : {}), ...withLogs(x) } : x))
      .then(() => { logs = logs.filter((l) => l.n > upto) }, () => {})
  }
  const schedule = () => {
    if (!timer) timer = setTimeout(write, Math.max(0, last + PROGRESS_EVERY_MS - Date.now()))
  }
  return {
    set(p: Progress) {
      local?.(p)
      pending = p
      schedule()
    },
    log(l: LogLine) {
      logs.push({ n: ++n, ...bounded(l) })
      if (logs.length > LOG_KEEP) logs = logs.slice(-LOG_KEEP)
      schedule()
    },
    withLogs,
    pause() { paused = true },
    resume() { paused = false },
    flush() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}

function bounded(l: LogLine): LogLine {
  const text = JSON.stringify(l.data ?? null) ?? 'null'
  const data = text.length <= LOG_DATA_MAX ? (l.data ?? null) : { truncated: true, chars: text.length, head: text.slice(0, LOG_DATA_MAX) }
  return { level: String(l.level).slice(0, 16), logger: l.logger === null ? null : String(l.logger).slice(0, 128), data }
}
