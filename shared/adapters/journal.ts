/**
 * The local store's durability: an append-only JSON-lines journal
 * (`store.jsonl`, one line per commit) in a directory held by one process
 * (`store.lock`). Appends are made durable by group commit (writers that
 * append before a flush starts share its fdatasync); compaction rewrites the
 * file from the live records (temp file, fsync, rename, fsync dir). What the
 * records mean (versions, expiry, transactions) is store-local.ts's.
 */
import * as fs from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../errors.js'

/** One record written by a commit (`s`: its serialised data), or deleted (`s === null`). */
export interface JournalWrite {
  col: string
  id: string
  v: number
  s: string | null
}

/** A journal line's operation as read back on replay: `x` marks a delete. */
export interface JournalOp {
  c: string
  i: string
  v?: number
  d?: unknown
  x?: 1
}

const line = (w: JournalWrite) =>
  w.s === null ? `{"c":${JSON.stringify(w.col)},"i":${JSON.stringify(w.id)},"x":1}` : `{"c":${JSON.stringify(w.col)},"i":${JSON.stringify(w.id)},"v":${w.v},"d":${w.s}}`

export class Journal {
  private fd = -1
  /** The journal's size: with the live size, when to compact. */
  bytes = 0
  private flushing: Promise<void> = Promise.resolve()
  private queued?: Promise<void>

  private constructor(private readonly dir: string) {}

  private get file() {
    return join(this.dir, 'store.jsonl')
  }

  /**
   * Takes the directory's lock and replays every committed line through
   * `apply`. The journal is not writable until `rewrite` (compaction on open).
   */
  static open(dir: string, apply: (ops: JournalOp[]) => void): Journal {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    const j = new Journal(dir)
    lock(join(dir, 'store.lock'))
    try {
      j.replay(apply)
    } catch (e) {
      unlock(join(dir, 'store.lock'))
      throw e
    }
    return j
  }

  get isOpen(): boolean {
    return this.fd >= 0
  }

  /** Releases the lock when opening failed after `open` (the caller's own checks). */
  abandon(): void {
    if (this.fd >= 0) fs.closeSync(this.fd)
    this.fd = -1
    unlock(join(this.dir, 'store.lock'))
  }

  /** Appends one commit as one line; on failure the file is as it was (503 unavailable). */
  append(ws: JournalWrite[]): void {
    // Data is already serialised: spliced in rather than stringified again.
    const buf = Buffer.from(`[${ws.map(line).join(',')}]\n`)
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

  /** A flush that starts after now; appends made before it starts share it. */
  durable(): Promise<void> {
    if (this.queued) return this.queued
    const p = this.flushing.then(() => {
      this.queued = undefined
      const fd = this.fd
      return new Promise<void>((resolve, reject) =>
        fs.fdatasync(fd, (err) => {
          // Compaction rewrote and fsynced the journal under a new fd: that covers us.
          if (!err || fd !== this.fd) resolve()
          else reject(new AppError('unavailable', 'store unavailable', undefined, { cause: err }))
        }),
      )
    })
    this.queued = p
    this.flushing = p.catch(() => {})
    return p
  }

  /** Rewrites the journal with exactly `records` (each a live record), durably, and appends after them. */
  rewrite(records: Iterable<JournalWrite>): void {
    const tmp = `${this.file}.tmp`
    const fd = fs.openSync(tmp, 'w', 0o600)
    let bytes = 0
    try {
      for (const r of records) {
        const b = Buffer.from(`[${line(r)}]\n`)
        fs.writeSync(fd, b)
        bytes += b.length
      }
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, this.file)
    const dfd = fs.openSync(this.dir, 'r')
    try {
      fs.fsyncSync(dfd)
    } finally {
      fs.closeSync(dfd)
    }
    if (this.fd >= 0) fs.closeSync(this.fd)
    this.fd = fs.openSync(this.file, 'a', 0o600)
    this.bytes = bytes
  }

  /** Waits for the running flush, then releases the file and the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.fd < 0) return
    await this.flushing
    fs.closeSync(this.fd)
    this.fd = -1
    unlock(join(this.dir, 'store.lock'))
  }

  private replay(apply: (ops: JournalOp[]) => void): void {
    let text: string
    try {
      text = fs.readFileSync(this.file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
      throw e
    }
    const lines = text.split('\n')
    lines.forEach((l, n) => {
      if (!l) return
      let ops: JournalOp[]
      try {
        ops = JSON.parse(l)
      } catch (e) {
        // Only the last line can be torn by a crash mid-write; anything else is corruption.
        if (n === lines.length - 1) return
        throw new Error(`${this.file}: line ${n + 1} is corrupt`, { cause: e })
      }
      apply(ops)
    })
  }
}

function lock(file: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 })
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const pid = Number(fs.readFileSync(file, 'utf8').trim())
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw new Error(`LocalStore: ${file} is held by running process ${pid}${pid === process.pid ? ' (this one)' : ''}; only one process may open the store`)
    }
    fs.rmSync(file, { force: true }) // stale lock of a dead process: steal it
  }
  throw new Error(`LocalStore: could not take ${file}`)
}

function unlock(file: string): void {
  try {
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true })
  } catch {}
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
