/**
 * Waiting on an execution record, whichever instance changes it (the store's
 * watch), or this instance before the store has it (`announce`: a result
 * answered first and written right after).
 */
import type { Deps } from '../deps.js'
import type { Execution } from './model.js'
import { EXECUTIONS, terminal } from './model.js'
import { landed } from './records.js'

/**
 * Resolves with the record once `pred` holds for it, or with the last state
 * seen (null if gone) when `ms` passes or `signal` aborts. `each` sees every
 * state observed on the way (streaming follows progress with it).
 */
export async function waitFor(d: Deps, id: string, pred: (e: Execution | null) => boolean, ms: number, signal?: AbortSignal, each?: (e: Execution | null) => void): Promise<Execution | null> {
  // A record this instance answered with before storing it is watched once stored (else the watch says "gone").
  await landed(id)
  const store = await d.store()
  return new Promise((resolve) => {
    let last: Execution | null = null
    let done = false
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      stop()
      signal?.removeEventListener('abort', finish)
      resolve(last)
    }
    const timer = setTimeout(finish, ms)
    const seen = (x: Execution | null) => {
      if (done) return
      last = x
      each?.(last)
      if (pred(last)) finish()
    }
    const unwatch = store.watch<Execution>(EXECUTIONS, id, (r) => {
      // Once this instance has announced the end, the store's older states are not news.
      if (!ended.has(id) || (r && terminal(r.data.status))) seen(r?.data ?? null)
    })
    let mine = local.get(id)
    if (!mine) local.set(id, (mine = new Set()))
    mine.add(seen)
    const stop = () => {
      unwatch()
      mine.delete(seen)
      if (!mine.size && local.get(id) === mine) local.delete(id)
    }
    if (signal?.aborted) finish()
    else signal?.addEventListener('abort', finish, { once: true })
  })
}

const local = new Map<string, Set<(e: Execution) => void>>()
/** Executions this instance has announced the end of, until the store has it too. */
const ended = new Set<string>()

/**
 * Tells this instance's waiters of an execution's end before the store has
 * it; `written` is the write that stores it. Waiters elsewhere hear it from
 * the store once written.
 */
export function announce(id: string, e: Execution, written: Promise<unknown>): void {
  ended.add(id)
  void written.finally(() => ended.delete(id)).catch(() => {})
  for (const fn of [...(local.get(id) ?? [])]) fn(e)
}

/** Tells this instance's waiters of a state the store already has, without waiting for its watch to say so. */
export function tell(id: string, e: Execution): void {
  for (const fn of [...(local.get(id) ?? [])]) fn(e)
}
