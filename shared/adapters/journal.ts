/**
 * The local store's durability, in a directory held by one process
 * (`store.lock`): a snapshot of the live records (`store.snap`) and a journal
 * of the commits since (`store.jsonl`, one line per commit), both replayed on
 * open. Appends are made durable by group commit (writers that append before a
 * flush starts share its fdatasync). Compaction writes a new snapshot (temp
 * file, fsync, rename, fsync dir) and only then empties the journal: a crash
 * between the steps leaves the old snapshot, or the new one with a journal whose
 * commits it already holds, and replaying those again changes nothing (each
 * write sets a record's version and data outright). What the records mean
 * (versions, expiry, transactions) is store-local.ts's.
 *
 * Line format, chosen so replay never parses record data (100,000 audit records
 * replay in a fraction of a second): `<n>\t<w>(\x1e<w>)*` where n is the length
 * of what follows and each write w is `<json col>\t<json id>\t<version>\t<expires_at or
 * empty>\t<json data, empty for a delete>`. JSON text holds no raw tab, \x1e or
 * newline, so the separators are unambiguous. Lines of the older format (a JSON
 * array per line) are still read, and the next compaction rewrites them.
 */
import * as fs from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../errors.js'

/** One record written by a commit (`s`: its serialised data, `exp`: its expires_at), or deleted (`s === null`). */
export interface JournalWrite {
  col: string
  id: string
  v: number
  s: string | null
  exp?: number
}

/** Receives each replayed write: `s === null` deletes. */
export type Apply = (col: string, id: string, v: number, s: string | null, exp: number | undefined) => void

const str = (q: string) => (q.includes('\\') ? (JSON.parse(q) as string) : q.slice(1, -1))
const field = (w: JournalWrite) =>
  w.s === null ? `${JSON.stringify(w.col)}\t${JSON.stringify(w.id)}\t0\t\t` : `${JSON.stringify(w.col)}\t${JSON.stringify(w.id)}\t${w.v}\t${w.exp ?? ''}\t${w.s}`
const line = (ws: JournalWrite[]) => {
  const body = ws.map(field).join('\x1e')
  return `${body.length}\t${body}\n`
}

/** Snapshot writes go out in chunks of about this many characters. */
const CHUNK = 1 << 20

export class Journal {
  private fd = -1
  /** The journal's size (bytes since the snapshot). */
  bytes = 0
  /** The snapshot's size. */
  snapBytes = 0
  /** Lines of the older format were read: the next compaction rewrites them. */
  legacy = false
  private flushing: Promise<void> = Promise.resolve()
  private queued?: Promise<void>

  private constructor(private readonly dir: string) {}

  private get file() {
    return join(this.dir, 'store.jsonl')
  }

  private get snap() {
    return join(this.dir, 'store.snap')
  }

  /**
   * Takes the directory's lock, replays the snapshot then the journal through
   * `apply`, drops a torn last line, and opens the journal for appends.
   */
  static open(dir: string, apply: Apply): Journal {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    const j = new Journal(dir)
    lock(join(dir, 'store.lock'))
    try {
      j.snapBytes = j.replay(j.snap, apply, false)
      j.bytes = j.replay(j.file, apply, true)
      j.fd = fs.openSync(j.file, 'a', 0o600)
      // Cut a torn tail so the next append starts a clean line.
      if (fs.fstatSync(j.fd).size !== j.bytes) fs.ftruncateSync(j.fd, j.bytes)
    } catch (e) {
      j.abandon()
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

  /** A flush that starts after now; appends made before it starts share it. */
  durable(): Promise<void> {
    if (this.queued) return this.queued
    const p = this.flushing.then(() => {
      this.queued = undefined
      const fd = this.fd
      return new Promise<void>((resolve, reject) =>
        fs.fdatasync(fd, (err) => {
          // Compaction fsynced the snapshot holding everything appended, then reopened the journal: that covers us.
          if (!err || fd !== this.fd) resolve()
          else reject(new AppError('unavailable', 'store unavailable', undefined, { cause: err }))
        }),
      )
    })
    this.queued = p
    this.flushing = p.catch(() => {})
    return p
  }

  /** Makes `records` (each a live record) the snapshot, durably, then empties the journal. */
  compact(records: Iterable<JournalWrite>): void {
    const tmp = `${this.snap}.tmp`
    const fd = fs.openSync(tmp, 'w', 0o600)
    let bytes = 0
    try {
      let chunk = ''
      const out = () => {
        const b = Buffer.from(chunk)
        fs.writeSync(fd, b)
        bytes += b.length
        chunk = ''
      }
      for (const r of records) {
        chunk += line([r])
        if (chunk.length >= CHUNK) out()
      }
      if (chunk) out()
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, this.snap)
    syncDir(this.dir)
    // The snapshot now holds every commit the journal does: empty it.
    if (this.fd >= 0) fs.closeSync(this.fd)
    this.fd = -1
    const jfd = fs.openSync(this.file, 'w', 0o600)
    fs.fsyncSync(jfd)
    this.fd = jfd
    this.bytes = 0
    this.snapBytes = bytes
    this.legacy = false
  }

  /** Waits for the running flush, then releases the file and the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.fd < 0) return
    await this.flushing
    fs.closeSync(this.fd)
    this.fd = -1
    unlock(join(this.dir, 'store.lock'))
  }

  /** Applies every complete line of `file`; returns the bytes they take (a torn last line excluded). */
  private replay(file: string, apply: Apply, journal: boolean): number {
    let buf: Buffer
    try {
      buf = fs.readFileSync(file)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
      throw e
    }
    // Only complete lines count: a crash mid-append leaves the tail without its newline.
    const end = buf.lastIndexOf(10) + 1
    const lines = buf.toString('utf8', 0, end).split('\n')
    lines.pop()
    const cols = new Map<string, string>()
    for (const [n, l] of lines.entries()) {
      if (!l) continue
      if (l.charCodeAt(0) === 91 /* [ */) {
        this.legacy = true
        legacy(l, apply, () => new Error(`${file}: line ${n + 1} is corrupt`))
        continue
      }
      const tab = l.indexOf('\t')
      const body = l.slice(tab + 1)
      if (tab < 1 || Number(l.slice(0, tab)) !== body.length) {
        // A torn line can only be the last one, and only in the journal.
        if (journal && n === lines.length - 1) return Buffer.byteLength(lines.slice(0, n).join('\n')) + (n ? 1 : 0)
        throw new Error(`${file}: line ${n + 1} is corrupt`)
      }
      // The hot loop of a start: positions, not splits, and one string per collection name.
      let at = 0
      while (at < body.length) {
        const t1 = body.indexOf('\t', at)
        const t2 = body.indexOf('\t', t1 + 1)
        const t3 = body.indexOf('\t', t2 + 1)
        const t4 = body.indexOf('\t', t3 + 1)
        let stop = body.indexOf('\x1e', t4 + 1)
        if (stop < 0) stop = body.length
        if (t1 < 0 || t2 < 0 || t3 < 0 || t4 < 0 || t4 > stop) throw new Error(`${file}: line ${n + 1} is corrupt`)
        const cq = body.slice(at, t1)
        let col = cols.get(cq)
        if (col === undefined) cols.set(cq, (col = str(cq)))
        apply(col, str(body.slice(t1 + 1, t2)), +body.slice(t2 + 1, t3), t4 + 1 === stop ? null : body.slice(t4 + 1, stop), t3 + 1 === t4 ? undefined : +body.slice(t3 + 1, t4))
        at = stop + 1
      }
    }
    return end
  }
}

/** A line of the older format: `[{"c","i","v","d"} | {"c","i","x":1}, ...]`. */
function legacy(l: string, apply: Apply, corrupt: () => Error): void {
  let ops: { c: string; i: string; v?: number; d?: unknown; x?: 1 }[]
  try {
    ops = JSON.parse(l)
  } catch (e) {
    throw Object.assign(corrupt(), { cause: e })
  }
  for (const op of ops) {
    if (op.x) {
      apply(op.c, op.i, 0, null, undefined)
      continue
    }
    const exp = (op.d as { expires_at?: unknown } | null)?.expires_at
    apply(op.c, op.i, op.v!, JSON.stringify(op.d), typeof exp === 'number' ? exp : undefined)
  }
}

function syncDir(dir: string): void {
  const dfd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(dfd)
  } finally {
    fs.closeSync(dfd)
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
