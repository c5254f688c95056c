/**
 * Watchers of single records for the local store (store-local.ts `watch`):
 * this process is the only one on its directory, so they hear every change.
 */
import type { Rec } from '../ports.js'
import { key } from './store-local-records.js'

type Watcher = (r: Rec<unknown> | null) => void

export class Watchers {
  private readonly by = new Map<string, Set<Watcher>>()

  /** `read`: the record as it is now (null when missing or expired). */
  constructor(private readonly read: (col: string, id: string) => Rec<unknown> | null) {}

  /** Adds a watcher; like a Firestore listener, it hears the current state first, asynchronously (once `ready`). */
  add(col: string, id: string, fn: Watcher, ready: Promise<void> | undefined): () => void {
    const k = key(col, id)
    let set = this.by.get(k)
    if (!set) this.by.set(k, (set = new Set()))
    set.add(fn)
    void (ready ?? Promise.resolve()).then(() => { if (set.has(fn)) this.tell(col, id, fn) }, () => {})
    return () => {
      set.delete(fn)
      if (!set.size && this.by.get(k) === set) this.by.delete(k)
    }
  }

  /**
   * Tells the record's watchers of its state once the current task (a commit) is done: one read for
   * all of them (the record is parsed once; watchers only look at it).
   */
  changed(col: string, id: string): void {
    const set = this.by.get(key(col, id))
    if (!set) return
    const fns = [...set]
    queueMicrotask(() => {
      let r: Rec<unknown> | null | undefined
      for (const fn of fns) if (set.has(fn)) this.tell(col, id, fn, (r ??= this.read(col, id)))
    })
  }

  private tell(col: string, id: string, fn: Watcher, r: Rec<unknown> | null = this.read(col, id)): void {
    try {
      fn(r)
    } catch {
      // A watcher's fault is its own.
    }
  }
}
