/**
 * Audit trail: every create, change, delete and execute, to the store (kept 90
 * days) and to the structured log. Argument values are never recorded, only
 * their names.
 */
import type { Deps } from './deps.js'
import { newId } from './ids.js'
import { log, logWithRequest } from './log.js'
import { flushed, track } from './background.js'
import { Counters, USAGE, type Call } from './usage/counters.js'

export const AUDIT = 'audit'
const KEEP_MS = 90 * 24 * 3600 * 1000

/** Every audited action (GET /api/v1/audit filters on one). */
export const ACTIONS = ['mcp.create', 'mcp.update', 'mcp.delete', 'tool.execute', 'tool.blocked', 'tool.approve', 'oauth.connect', 'oauth.complete', 'oauth.disconnect', 'execution.input', 'stdio.home_save', 'token.create', 'token.revoke'] as const
export type AuditAction = (typeof ACTIONS)[number]

export interface AuditEntry {
  actor: string
  org: string | null
  action: AuditAction
  /** The config acted on; '' for token actions. */
  mcp_id: string
  /** `token.create`, `token.revoke`: the personal access token's id (never the token). */
  token_id?: string
  /** `tool.blocked` of a prompt, `tool.approve`: which kind of definition (tools otherwise). */
  kind?: 'tool' | 'prompt' | 'resource'
  /** `denied`: someone was refused something that is not theirs (e.g. another user's OAuth completion), a limit refused the call, or the tool policy refused it (`tool.blocked`); `cancelled`: the caller went away before the answer (code `cancelled`). */
  outcome: 'ok' | 'error' | 'denied' | 'cancelled'
  code?: string
  duration_ms: number
  tool?: string
  argument_names?: string[]
  /** A rate-limit block (code rate_limited): the policy that set Retry-After. */
  rate_limit?: { policy: string }
  /** `tool.approve`: the names (URIs for resources) approved, at most 50. */
  names?: string[]
  /** An interactive execution's id (`tool.execute` of one, `execution.input`). */
  execution_id?: string
  /** `execution.input`: the round, what happened in it (never what was said), and the kinds of request. */
  round?: number
  input?: 'asked' | 'answered' | 'declined' | 'cancelled' | 'timed_out'
  input_kinds?: string[]
  /** `stdio.home_save` refused (code home_too_large): the home's size and its entry's cap, in bytes. */
  bytes?: number
  cap?: number
}

interface Pending { records: [string, Record<string, unknown>][]; done: Promise<void>; timer: NodeJS.Timeout; release(): void }
const pending = new Map<Deps, Pending>()
/** Per store: usage counters, and the last batch's write (batches are written in order, so counters never go back). */
const counters = new WeakMap<Deps, Counters>()
const tails = new WeakMap<Deps, Promise<void>>()
/** Records wait at most this long, and a batch holds at most this many (Firestore allows 500 writes per commit). */
const BATCH_MS = 50
const BATCH_MAX = 200

/**
 * Writes the log line now and the store record in the background, batched:
 * the log is the durable copy, a tool call must not wait for an audit write,
 * and under load one commit carries many records instead of one each.
 */
export function audit(d: Deps, e: AuditEntry): void {
  const at = d.clock.now()
  // Rides on the request's own log line (one write per request), or its own line outside a request.
  logWithRequest(e.outcome === 'error' ? 'WARNING' : 'INFO', `audit ${e.action} ${e.outcome}`, { audit: e })
  let b = pending.get(d)
  if (!b) {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const batch: Pending = { records: [], done: gate.then(() => inOrder(d, () => write(d, batch))), timer: setTimeout(() => flush(d), BATCH_MS), release }
    pending.set(d, (b = batch))
    track(batch.done)
  }
  b.records.push([`${at.toString(36)}-${newId()}`, { ...e, at, expires_at: at + KEEP_MS }])
  if (b.records.length >= BATCH_MAX) flush(d)
}

function flush(d: Deps): void {
  const b = pending.get(d)
  if (!b) return
  pending.delete(d)
  clearTimeout(b.timer)
  b.release()
}

function inOrder(d: Deps, fn: () => Promise<void>): Promise<void> {
  const p = (tails.get(d) ?? Promise.resolve()).then(fn)
  tails.set(d, p)
  return p
}

async function write(d: Deps, b: Pending): Promise<void> {
  let c = counters.get(d)
  if (!c) counters.set(d, (c = new Counters()))
  // Outside the transaction, whose body may run more than once.
  const usage = c.tally(b.records.map(([, r]) => r as unknown as Call))
  try {
    const store = await d.store()
    // Firestore commits at most 500 writes: a full batch and its counters may need two.
    const together = b.records.length + usage.length <= 500
    await store.transact(async (tx) => {
      for (const [id, rec] of b.records) tx.set(AUDIT, id, rec)
      if (together) for (const [id, u] of usage) tx.set(USAGE, id, u)
    })
    if (!together) await store.transact(async (tx) => { for (const [id, u] of usage) tx.set(USAGE, id, u) })
  } catch (err) {
    // The log lines already hold the records; a store hiccup must not fail anyone's call.
    log('ERROR', 'audit records not stored', { count: b.records.length, error: String((err as Error)?.message ?? err) })
  }
}

/** Resolves when every audit record started so far is stored (shutdown, tests). */
export async function auditFlushed(): Promise<void> {
  // Batches still waiting for their timer go now.
  for (const d of [...pending.keys()]) flush(d)
  await flushed()
}
