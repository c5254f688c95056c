/**
 * Who holds a 2025 server's open call: the instance that made it, the only
 * one that can pass the user's answer on. While it holds any, an instance
 * renews a lease of its own (`execution_holders/{instance}`) every
 * `EXECUTION_HEARTBEAT_MS`, good for three of them; an instance that reads or
 * answers such an execution and finds its holder's lease lapsed (killed
 * without SIGTERM, which would have failed it at once) fails it `unavailable`
 * in a transaction, instead of leaving it waiting until its deadline.
 */
import type { Deps } from '../deps.js'
import { AppError, problem } from '../errors.js'
import { newId } from '../ids.js'
import { EXECUTIONS, KEEP_MS, type Execution } from './model.js'

export const HOLDERS = 'execution_holders'

interface Lease { alive_until: number; expires_at: number }

/** This instance, as a holder. */
export const holderId = newId()
/** The renewals a lease outlives. */
const LAPSE = 3

let holding = 0
let aliveUntil = 0
let timer: NodeJS.Timeout | undefined
let renewing: Promise<void> | undefined

async function renew(d: Deps): Promise<void> {
  const now = d.clock.now()
  const until = now + LAPSE * d.config.heartbeatMs
  // Expired leases read as missing, which is lapsed too; Firestore's TTL removes them.
  await (await d.store()).transact(async (tx) => tx.set<Lease>(HOLDERS, holderId, { alive_until: until, expires_at: until }))
  aliveUntil = Math.max(aliveUntil, until)
}

/**
 * Holds a call until the returned release: the lease is good for at least two
 * more renewals when this resolves (so it can be named in the execution), and
 * is renewed while any call is held.
 */
export async function hold(d: Deps): Promise<() => void> {
  holding++
  try {
    if (aliveUntil - d.clock.now() < 2 * d.config.heartbeatMs) await (renewing ??= renew(d).finally(() => { renewing = undefined }))
  } catch (e) {
    holding--
    throw e
  }
  timer ??= setInterval(() => {
    if (holding === 0) {
      clearInterval(timer)
      timer = undefined
      return
    }
    if (!renewing) renewing = renew(d).catch(() => {}).finally(() => { renewing = undefined })
  }, d.config.heartbeatMs).unref()
  let released = false
  return () => {
    if (!released) holding--
    released = true
  }
}

/** A 2025 execution whose holder may be gone: its call is open (a question, or an answer on its way). */
const held = (e: Execution) => e.era === 'legacy' && typeof e.holder === 'string' && (e.status === 'input_required' || e.status === 'working')

/**
 * The execution, failed `unavailable` if its holder's lease has lapsed (in a
 * transaction with the lease, so a renewal in between wins); else as it was.
 */
export async function checkHolder(d: Deps, id: string, e: Execution): Promise<Execution> {
  if (!held(e) || e.holder === holderId) return e
  const store = await d.store()
  const lease = await store.get<Lease>(HOLDERS, e.holder!)
  if (lease && lease.data.alive_until > d.clock.now()) return e
  return store.transact(async (tx) => {
    const cur = await tx.get<Execution>(EXECUTIONS, id)
    if (!cur || !held(cur.data) || cur.data.holder !== e.holder) return cur?.data ?? e
    const l = await tx.get<Lease>(HOLDERS, e.holder!)
    const now = d.clock.now()
    if (l && l.data.alive_until > now) return cur.data
    const failed: Execution = {
      ...cur.data, status: 'failed', input_requests: null, answers: null, resume: null, answer_by: null, holder: null, updated_at: now, expires_at: now + KEEP_MS,
      error: problem(new AppError('unavailable', 'The instance holding this call stopped; start it again.')).body,
    }
    tx.set(EXECUTIONS, id, failed)
    return failed
  })
}
