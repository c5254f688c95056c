/**
 * Input requests (elicitation, sampling) for agents on the 2026-07-28
 * protocol, which has no server-to-client requests: a call that needs the
 * agent's input answers `input_required`, and the agent calls again with its
 * `inputResponses` and the `requestState` it was given.
 *
 * - A 2026-07-28 upstream's own `input_required` is passed on; its
 *   `requestState` stays in the store (`agent_input`), and the agent holds
 *   only a random reference to it, bound to the caller, the config, the
 *   method and the name, with an expiry. Any instance takes the retry.
 * - A 2025 upstream asks on the open call: the call is held on this instance
 *   (at most `inputTimeoutMs` per question), the agent gets the question as
 *   `input_required`, and its retry hands the answer to the held call. A
 *   retry that lands on another instance is refused (-32602, "held on another
 *   instance"): docs/decisions.md "Agent input across instances".
 * - 2025 agents need none of this: the upstream client answers either
 *   kind through the agent's session (shared/agent/relay.ts).
 */
import { randomBytes } from 'node:crypto'
import { inputRequired, ProtocolError, type ServerContext } from '@modelcontextprotocol/server'
import type { Deps } from '../deps.js'
import type { Caller } from '../auth/caller.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import type { Downstream, Message } from './relay.js'
import { INVALID_PARAMS } from '../mcp/refusal.js'
import { onShutdown } from '../shutdown.js'

export const AGENT_INPUT = 'agent_input'

export interface AgentInputDoc {
  owner_id: string
  mcp_id: string
  /** `tools/call`, `prompts/get` or `resources/read`, and the tool or prompt name or resource URI. */
  method: string
  name: string
  /** The upstream's `requestState` (2026-07-28 upstream), else null. */
  state: string | null
  /** A held call's id on the instance that holds it (2025 upstream), else null. */
  held: string | null
  expires_at: number
}

/** One stop of a call: its result (or failure), or a question the upstream put on the open call. */
type Stop = { done: unknown } | { failed: unknown } | { ask: Message }

/** A 2025 upstream's call kept open while the agent answers its question. */
class Held {
  /** Set once the call is held (most calls never are). */
  id = ''
  readonly ac = new AbortController()
  private stops: Stop[] = []
  private wake?: (s: Stop) => void
  private answer?: { resolve(v: unknown): void; reject(e: unknown): void }
  timer?: NodeJS.Timeout
  /** Where notifications of the call go: the agent's current request. */
  to?: Downstream

  private push(s: Stop) {
    const w = this.wake
    this.wake = undefined
    if (w) w(s)
    else this.stops.push(s)
  }
  next(): Promise<Stop> {
    const s = this.stops.shift()
    return s ? Promise.resolve(s) : new Promise((r) => (this.wake = r))
  }
  /** The upstream's request: answered by the agent's next retry. */
  ask(r: Message): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.answer = { resolve, reject }
      this.push({ ask: r })
    })
  }
  reply(v: unknown) {
    const a = this.answer
    this.answer = undefined
    a?.resolve(v)
  }
  settle(p: Promise<unknown>) {
    p.then((done) => this.push({ done }), (failed) => this.push({ failed }))
  }
}

/** Whose call it is (shared/agent/forward.ts `Bound`), and what the agent declared upstream. */
interface Bound { d: Deps; caller: Caller; rec: Rec<McpConfig>; client: { capabilities: Record<string, unknown> } }

/** Tests: calls whose rounds were kept (a `Held` made), and first rounds that could not be held and were run directly. */
export const inputRounds = { kept: 0, direct: 0 }

const held = new Map<string, Held>()
let hooked = false
const MAX_HELD = 500
const KEY = 'q'
const REF = /^[A-Za-z0-9_-]{43}$/

const invalid = () => new ProtocolError(INVALID_PARAMS, 'Invalid or expired requestState', { reason: 'invalid_request_state' })

/** What one round runs upstream: `extra` carries the retry's answers, `to` where notifications and questions go. */
export type Run = (extra: { inputResponses?: unknown; requestState?: string }, signal: AbortSignal, to: Downstream) => Promise<any>

const isInputRequired = (r: any) => r && typeof r === 'object' && r.resultType === 'input_required'

/**
 * Serves one round of a call from a 2026-07-28 agent: the first call, or a
 * retry carrying `requestState` (our reference) and `inputResponses`.
 */
export async function rounds(b: Bound, ctx: ServerContext, method: string, name: string, params: Record<string, any> | undefined, run: Run): Promise<any> {
  const { d, caller, rec } = b
  // The SDK lifts both out of the params (2026-07-28 multi round-trip requests).
  const ref = ctx.mcpReq.requestState<unknown>() ?? params?.requestState
  // An agent that declared no elicitation, sampling or roots: the upstream client handles no server request
  // (shared/agent/relay.ts), so nothing can hold the call; only an upstream's input_required is passed on.
  if (ref === undefined && !Object.keys(b.client.capabilities).length) {
    inputRounds.direct++
    const r = await run({}, ctx.mcpReq.signal, { notify: (n) => ctx.mcpReq.notify(n as never) })
    return isInputRequired(r) ? passOn(b, method, name, r) : r
  }
  const responses = (ctx.mcpReq.inputResponses ?? params?.inputResponses) as Record<string, unknown> | undefined
  const notify = (n: Message) => ctx.mcpReq.notify(n as never)
  let doc: AgentInputDoc | undefined
  if (ref !== undefined) {
    if (typeof ref !== 'string' || !REF.test(ref)) throw invalid()
    const got = await (await d.store()).get<AgentInputDoc>(AGENT_INPUT, ref)
    const x = got?.data
    if (!x || x.owner_id !== caller.sub || x.mcp_id !== rec.id || x.method !== method || x.name !== name) throw invalid()
    doc = x
  }
  if (doc?.held) {
    const h = held.get(doc.held)
    if (!h) throw new ProtocolError(INVALID_PARAMS, 'The call waiting for this answer is held on another instance, or ended: call again without requestState.', { reason: 'held_elsewhere' })
    const answer = responses?.[KEY]
    if (answer === undefined) throw new ProtocolError(INVALID_PARAMS, `inputResponses.${KEY} is missing.`)
    // One retry takes the answer; another with the same reference finds nothing held.
    held.delete(h.id)
    // From now on the call's notifications go to this request, its progress under this request's token.
    h.to = { notify: retarget(notify, params?._meta?.progressToken) }
    h.reply(answer)
    return stop(b, method, name, h)
  }
  const h = new Held()
  inputRounds.kept++
  h.to = { notify }
  const to: Downstream = { notify: (n) => h.to!.notify(n), request: (r) => h.ask(r) }
  // The first round follows the agent's request; a held call outlives it, bounded by its own timer.
  const gone = () => h.ac.abort(ctx.mcpReq.signal.reason)
  ctx.mcpReq.signal.addEventListener('abort', gone, { once: true })
  const extra = doc ? { inputResponses: responses ?? {}, ...(doc.state !== null ? { requestState: doc.state } : {}) } : {}
  h.settle(run(extra, h.ac.signal, to))
  try {
    return await stop(b, method, name, h)
  } finally {
    ctx.mcpReq.signal.removeEventListener('abort', gone)
  }
}

/** Progress of a held call under the token of the request now waiting on it; none when that request gave none. */
const retarget = (notify: (n: Message) => Promise<void>, token: unknown) => async (n: Message) => {
  if (n.method !== 'notifications/progress') return notify(n)
  if (token === undefined) return
  return notify({ ...n, params: { ...n.params, progressToken: token } })
}

/** Waits for the call's next stop and answers the agent's current request with it. */
async function stop(b: Bound, method: string, name: string, h: Held): Promise<any> {
  const { d } = b
  clearTimeout(h.timer)
  const s = await h.next()
  if ('failed' in s) throw s.failed
  if ('done' in s) {
    const r = s.done as Record<string, any>
    return isInputRequired(r) ? passOn(b, method, name, r) : r
  }
  if (held.size >= MAX_HELD) {
    h.ac.abort(new Error('too many held calls'))
    throw new ProtocolError(-32000, 'Too many calls are waiting for answers on this instance; try again later.')
  }
  h.id = randomBytes(16).toString('base64url')
  const ref = await save(d, b, method, name, null, h.id)
  held.set(h.id, h)
  if (!hooked) {
    hooked = true
    onShutdown(async () => dropHeld())
  }
  // Unanswered in time: the upstream request is cancelled (its question gets no answer).
  h.timer = setTimeout(() => {
    held.delete(h.id)
    h.ac.abort(new Error('input timeout'))
  }, d.config.inputTimeoutMs)
  h.timer.unref?.()
  return inputRequired({ inputRequests: { [KEY]: s.ask as never }, requestState: ref })
}

/** A 2026-07-28 upstream's input_required, passed on: its requestState kept here, the agent given a reference. */
async function passOn(b: Bound, method: string, name: string, r: Record<string, any>): Promise<any> {
  const state = typeof r.requestState === 'string' ? r.requestState : null
  const ref = await save(b.d, b, method, name, state, null)
  return inputRequired({ ...(r.inputRequests ? { inputRequests: r.inputRequests } : {}), requestState: ref } as never)
}

async function save(d: Deps, b: Bound, method: string, name: string, state: string | null, heldId: string | null): Promise<string> {
  const id = randomBytes(32).toString('base64url')
  const doc: AgentInputDoc = { owner_id: b.caller.sub, mcp_id: b.rec.id, method, name, state, held: heldId, expires_at: d.clock.now() + d.config.inputTimeoutMs }
  await (await d.store()).create(AGENT_INPUT, id, doc)
  return id
}

/** Tests, shutdown: ends every held call. */
export function dropHeld(): void {
  for (const h of held.values()) {
    clearTimeout(h.timer)
    h.ac.abort(new Error('shutdown'))
  }
  held.clear()
}
