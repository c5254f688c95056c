/**
 * The local store's durability: per part of the store (`store`: configs and
 * state; `log`: the append-only log collections, see store-local.ts), a
 * snapshot of the live records and journals of the commits since, in a
 * directory held by one process (`store.lock`). Appends are made durable by
 * group commit (writers that append before a flush starts share its
 * fdatasync).
 *
 * Files are numbered by generation: `<name>.<g>.snap` holds every commit
 * journaled before journal `<name>.<g>.jsonl` (generation 0 is `<name>.snap`
 * and `<name>.jsonl`). A start replays the newest snapshot, then every journal
 * of its generation or later, in order. Compaction rotates first (the next
 * journal takes new commits from then on, and the live records are frozen in
 * the same synchronous step), then writes the frozen records as snapshot g in
 * the background (temp file, fsync, rename, fsync dir) and only then deletes
 * older files: a crash at any step leaves a snapshot and every journal after
 * it, and replaying a journal the snapshot already holds changes nothing (each
 * write sets a record's version and data outright). What the records mean
 * (versions, expiry, transactions) is store-local.ts's.
 * The line format is ./journal-lines.ts's, file chores ./journal-files.ts's.
 */
import * as fs from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../errors.js'
import { blocks, line, replay, type Apply, type JournalWrite } from './journal-lines.js'
import { readOrEmpty, readWhole, syncDir, syncDirAsync, takeLock, unlock } from './journal-files.js'

export type { Apply, JournalWrite } from './journal-lines.js'

export class Journal {
  private fd = -1
  /** The current journal's generation (and the next snapshot's, once compaction rotates). */
  private gen = 0
  /** Generations of the snapshot and journals on disk that a start would replay. */
  private readonly old = new Set<number>()
  /** The current journal's size. */
  bytes = 0
  /** The snapshot's and older journals' sizes (all replayed at start). */
  restBytes = 0
  /** Lines of the older format were read: compact (the open does). */
  stale = false
  /** Records the last replay applied (snapshot and journals). */
  replayed = 0
  /** Compactions finished. */
  compactions = 0
  /** The compaction writing its snapshot, if one is. */
  compacting?: Promise<void>
  private flushing: Promise<void> = Promise.resolve()
  private queued?: Promise<void>
  /** Appends waiting for the next flush anyone asks for (`durableSoon`), and the timer that asks for it. */
  private soon?: { p: Promise<void>; settle: (flush: Promise<void>) => void; timer: NodeJS.Timeout }
  /** The new journal's directory entry could not be made durable: its first flush fails. */
  private broken?: unknown

  private constructor(private readonly dir: string, private readonly name: string, private readonly locks: boolean) {}

  private path(g: number, kind: 'snap' | 'jsonl') {
    return join(this.dir, g ? `${this.name}.${g}.${kind}` : `${this.name}.${kind}`)
  }

  /** Total bytes a start would replay. */
  get total(): number {
    return this.bytes + this.restBytes
  }

  /**
   * Takes the directory's lock (when `lock`), replays the newest snapshot then
   * the journals after it through `apply`, drops a torn last line, and opens
   * the newest journal for appends. `open` does it all now; `load` reads the
   * files off the event loop and replays them in blocks, between which other
   * work runs.
   */
  static open(dir: string, name: string, apply: Apply, lock: boolean): Journal {
    const j = Journal.start(dir, name, lock)
    try {
      for (const step of j.replayAll(apply, j.plan(), readOrEmpty)) step()
      j.openTail()
    } catch (e) {
      j.abandon()
      throw e
    }
    return j
  }

  static async load(dir: string, name: string, apply: Apply): Promise<Journal> {
    const j = Journal.start(dir, name, false)
    try {
      const plan = j.plan()
      const data = new Map(await Promise.all(plan.map(async ([f]) => [f, await readWhole(f)] as const)))
      for (const step of j.replayAll(apply, plan, (f) => data.get(f)!)) {
        await new Promise<void>((r) => setImmediate(r))
        step()
      }
      j.openTail()
    } catch (e) {
      j.abandon()
      throw e
    }
    return j
  }

  private static start(dir: string, name: string, lock: boolean): Journal {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    if (lock) takeLock(join(dir, 'store.lock'))
    return new Journal(dir, name, lock)
  }

  /** What to replay, in order: the newest snapshot, then the journals of its generation or later. */
  private plan(): [string, number, 'snap' | 'jsonl'][] {
    const snaps: number[] = []
    const journals: number[] = []
    const re = new RegExp(`^${this.name}(?:\\.([1-9]\\d*))?\\.(snap|jsonl)$`)
    for (const f of fs.readdirSync(this.dir)) {
      const m = re.exec(f)
      if (m) (m[2] === 'snap' ? snaps : journals).push(m[1] ? Number(m[1]) : 0)
      // A snapshot whose compaction never finished.
      else if (f.startsWith(`${this.name}.`) && f.endsWith('.snap.tmp')) fs.rmSync(join(this.dir, f), { force: true })
    }
    const base = snaps.length ? Math.max(...snaps) : 0
    const later = journals.filter((g) => g >= base).sort((a, b) => a - b)
    this.gen = Math.max(base, ...later)
    // Files the newest snapshot holds (a crash came before they were deleted): gone, once its rename is durable.
    const older = [...snaps.filter((g) => g < base).map((g) => this.path(g, 'snap')), ...journals.filter((g) => g < base).map((g) => this.path(g, 'jsonl'))]
    if (older.length) {
      syncDir(this.dir)
      for (const f of older) fs.rmSync(f, { force: true })
    }
    const plan: [string, number, 'snap' | 'jsonl'][] = snaps.length ? [[this.path(base, 'snap'), base, 'snap']] : []
    for (const g of later) plan.push([this.path(g, 'jsonl'), g, 'jsonl'])
    return plan
  }

  /** Replays the planned files: each yielded function applies one block. */
  private *replayAll(apply: Apply, plan: [string, number, 'snap' | 'jsonl'][], read: (f: string) => Buffer): Generator<() => void> {
    let n = 0
    const counted: Apply = (col, id, v, s, exp) => {
      n++
      apply(col, id, v, s, exp)
    }
    for (const [f, g, kind] of plan) {
      const r = { end: 0, legacy: false }
      yield* replay(read(f), f, counted, kind === 'jsonl', r)
      if (kind === 'jsonl' && g === this.gen) this.bytes = r.end
      else {
        this.restBytes += r.end
        this.old.add(g)
      }
      if (r.legacy) this.stale = true
    }
    this.replayed = n
  }

  private openTail(): void {
    this.fd = fs.openSync(this.path(this.gen, 'jsonl'), 'a', 0o600)
    // Cut a torn tail so the next append starts a clean line.
    if (fs.fstatSync(this.fd).size !== this.bytes) fs.ftruncateSync(this.fd, this.bytes)
  }

  get isOpen(): boolean {
    return this.fd >= 0
  }

  /** Releases the file and the lock when opening failed (the caller's own checks). */
  abandon(): void {
    if (this.fd >= 0) fs.closeSync(this.fd)
    this.fd = -1
    if (this.locks) unlock(join(this.dir, 'store.lock'))
  }

  /** Appends one commit as one line; on failure the file is as it was (503 unavailable). */
  append(ws: JournalWrite[]): void {
    const buf = Buffer.from(line(ws))
    try {
      fs.writeSync(this.fd, buf)
    } catch (e) {
      // Drop a partial line so the journal stays replayable.
      try {
        fs.ftruncateSync(this.fd, this.bytes)
      } catch {}
      throw new AppError('unavailable', 'store unavailable', undefined, { cause: e })
    }
    this.bytes += buf.length
  }

  /** A flush of the current journal that starts after now; appends made before it starts share it. */
  durable(): Promise<void> {
    if (this.queued) return this.queued
    const p = this.flush()
    // Lazy appends so far ride on this flush.
    const soon = this.soon
    if (soon) {
      this.soon = undefined
      clearTimeout(soon.timer)
      soon.settle(p)
    }
    return p
  }

  /**
   * Durable by the next flush that anyone asks for (`durable`), or one asked for
   * in `ms`: for appends nobody waits on soon, which then never make a flush of
   * their own that a waited-on append would queue behind.
   */
  durableSoon(ms: number): Promise<void> {
    if (this.queued) return this.queued
    if (!this.soon) {
      let settle!: (flush: Promise<void>) => void
      const p = new Promise<void>((resolve, reject) => (settle = (f) => f.then(resolve, reject)))
      this.soon = { p, settle, timer: setTimeout(() => void this.durable().catch(() => {}), ms) }
    }
    return this.soon.p
  }

  private flush(): Promise<void> {
    const fd = this.fd
    const p = this.flushing.then(() => {
      if (this.queued === p) this.queued = undefined
      const broken = this.broken
      this.broken = undefined
      if (broken) throw new AppError('unavailable', 'store unavailable', undefined, { cause: broken })
      return new Promise<void>((resolve, reject) =>
        fs.fdatasync(fd, (err) => (err ? reject(new AppError('unavailable', 'store unavailable', undefined, { cause: err })) : resolve())),
      )
    })
    this.queued = p
    this.flushing = p.catch(() => {})
    return p
  }

  /**
   * Compacts in the background: now, the next journal takes new commits and
   * `frozen` (the live records as of the last commit, which this call must
   * follow synchronously) is taken; then they are written as the next
   * snapshot, yielding between blocks, and the files it replaces are deleted.
   * Resolves when done; on failure the files are as a crash would leave them
   * (nothing lost), and the next compaction covers them.
   */
  compact(frozen: Iterable<JournalWrite>): Promise<void> {
    if (this.compacting) return this.compacting
    const g = this.rotate()
    const p = (async () => {
      const tmp = `${this.path(g, 'snap')}.tmp`
      try {
        const fh = await fs.promises.open(tmp, 'w', 0o600)
        let bytes = 0
        try {
          for (const b of blocks(frozen)) {
            await fh.write(b)
            bytes += b.length
          }
          await fh.sync()
        } finally {
          await fh.close()
        }
        await fs.promises.rename(tmp, this.path(g, 'snap'))
        await syncDirAsync(this.dir)
        // Unlinking a large file can take a while: off the event loop too.
        await Promise.all(this.dropOlder(g, bytes).map((f) => fs.promises.rm(f, { force: true })))
      } catch (e) {
        await fs.promises.rm(tmp, { force: true }).catch(() => {})
        throw e
      } finally {
        this.compacting = undefined
      }
    })()
    this.compacting = p
    p.catch(() => {})
    return p
  }

  /** `compact`, done before returning (at open: older-format lines, leftover journals). */
  compactNow(frozen: Iterable<JournalWrite>): void {
    if (this.compacting) throw new Error('a compaction is running')
    const g = this.rotate()
    const tmp = `${this.path(g, 'snap')}.tmp`
    const fd = fs.openSync(tmp, 'w', 0o600)
    let bytes = 0
    try {
      for (const b of blocks(frozen)) bytes += fs.writeSync(fd, b)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, this.path(g, 'snap'))
    syncDir(this.dir)
    for (const f of this.dropOlder(g, bytes)) fs.rmSync(f, { force: true })
  }

  /** The next journal takes appends from now on; the current one stays until snapshot g holds it. */
  private rotate(): number {
    const g = this.gen + 1
    // Appends made to the current journal are covered by its own flush, queued now.
    const last = this.durable()
    const oldFd = this.fd
    const fd = fs.openSync(this.path(g, 'jsonl'), 'a', 0o600)
    // Its directory entry is durable before any commit appended to it is acknowledged.
    const dir = syncDirAsync(this.dir)
    this.flushing = this.flushing.then(() => dir).catch((e) => void (this.broken = e))
    this.queued = undefined
    last.catch(() => {}).finally(() => fs.close(oldFd, () => {}))
    this.old.add(this.gen)
    this.fd = fd
    this.gen = g
    this.restBytes += this.bytes
    this.bytes = 0
    return g
  }

  /** Snapshot g is durable: returns every older file, for the caller to delete. */
  private dropOlder(g: number, snapBytes: number): string[] {
    const gone: string[] = []
    for (const o of this.old) {
      if (o >= g) continue
      gone.push(this.path(o, 'snap'), this.path(o, 'jsonl'))
      this.old.delete(o)
    }
    this.old.add(g)
    this.restBytes = snapBytes
    this.stale = false
    this.compactions++
    return gone
  }

  /** Waits for a running compaction and flush, then releases the file and the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.fd < 0) return
    await this.compacting?.catch(() => {})
    // Lazy appends are flushed now, not when their timer would have asked.
    if (this.soon) void this.durable().catch(() => {})
    await this.flushing.catch(() => {})
    if (this.fd < 0) return
    fs.closeSync(this.fd)
    this.fd = -1
    if (this.locks) unlock(join(this.dir, 'store.lock'))
  }
}
