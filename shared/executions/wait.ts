/** Waiting on an execution record, whichever instance changes it (the store's watch). */
import type { Deps } from '../deps.js'
import type { Execution } from './model.js'
import { EXECUTIONS } from './model.js'

/**
 * Resolves with the record once `pred` holds for it, or with the last state
 * seen (null if gone) when `ms` passes or `signal` aborts. `each` sees every
 * state observed on the way (streaming follows progress with it).
 */
export async function waitFor(d: Deps, id: string, pred: (e: Execution | null) => boolean, ms: number, signal?: AbortSignal, each?: (e: Execution | null) => void): Promise<Execution | null> {
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
    const stop = store.watch<Execution>(EXECUTIONS, id, (r) => {
      if (done) return
      last = r?.data ?? null
      each?.(last)
      if (pred(last)) finish()
    })
    if (signal?.aborted) finish()
    else signal?.addEventListener('abort', finish, { once: true })
  })
}
