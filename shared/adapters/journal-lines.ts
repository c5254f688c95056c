/**
 * The lines of the local store's journals and snapshots (./journal.ts), chosen
 * so replay never parses record data: `<n>\t<w>(\x1e<w>)*` where n is the
 * length of what follows and each write w is `<json col>\t<json
 * id>\t<version>\t<expires_at or empty>\t<json data, empty for a delete>`.
 * JSON text holds no raw tab, \x1e or newline, so the separators are
 * unambiguous. Lines of the older format (a JSON array per line) are still
 * read, and the next compaction rewrites them.
 */

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
export const line = (ws: JournalWrite[]) => {
  const body = ws.map(field).join('\x1e')
  return `${body.length}\t${body}\n`
}

/** Snapshot writes, and replay, go in blocks of about this many bytes (a few ms of CPU each: 1 MiB blocks doubled the longest pause). */
const CHUNK = 1 << 18

/** The records as snapshot lines, in blocks of about CHUNK bytes. */
export function* blocks(records: Iterable<JournalWrite>): Generator<Buffer> {
  let chunk = ''
  for (const r of records) {
    chunk += line([r])
    if (chunk.length >= CHUNK) {
      yield Buffer.from(chunk)
      chunk = ''
    }
  }
  if (chunk) yield Buffer.from(chunk)
}

/**
 * Applies every complete line of `buf` (the file `file`), a block of about
 * CHUNK bytes at a time: each yielded function applies one block. Sets
 * `r.end` to the bytes the lines take (a torn last line excluded) and
 * `r.legacy` when lines of the older format were read.
 */
export function* replay(buf: Buffer, file: string, apply: Apply, journal: boolean, r: { end: number; legacy: boolean }): Generator<() => void> {
  // Only complete lines count: a crash mid-append leaves the tail without its newline.
  const end = buf.lastIndexOf(10) + 1
  const cols = new Map<string, string>()
  let n = 0
  let torn = 0
  let tornBytes = 0
  for (let from = 0; from < end; ) {
    const next = from + CHUNK < end ? buf.indexOf(10, from + CHUNK) + 1 : end
    const to = next > 0 ? next : end
    const start = from
    from = to
    yield () => {
      const lines = buf.toString('utf8', start, to).split('\n')
      lines.pop()
      for (const l of lines) {
        n++
        // A torn line can only be the last one, and only in a journal.
        if (torn) throw new Error(`${file}: line ${torn} is corrupt`)
        if (!l) continue
        if (l.charCodeAt(0) === 91 /* [ */) {
          r.legacy = true
          legacy(l, apply, () => new Error(`${file}: line ${n} is corrupt`))
        } else if (!applyLine(l, apply, cols)) {
          if (!journal) throw new Error(`${file}: line ${n} is corrupt`)
          torn = n
          tornBytes = Buffer.byteLength(l) + 1
        }
      }
    }
  }
  r.end = end - tornBytes
}

/** One line of the current format; false when its length does not match (torn or corrupt). */
export function applyLine(l: string, apply: Apply, cols: Map<string, string>): boolean {
  const tab = l.indexOf('\t')
  const body = l.slice(tab + 1)
  if (tab < 1 || Number(l.slice(0, tab)) !== body.length) return false
  // The hot loop of a start: positions, not splits, and one string per collection name.
  let at = 0
  while (at < body.length) {
    const t1 = body.indexOf('\t', at)
    const t2 = body.indexOf('\t', t1 + 1)
    const t3 = body.indexOf('\t', t2 + 1)
    const t4 = body.indexOf('\t', t3 + 1)
    let stop = body.indexOf('\x1e', t4 + 1)
    if (stop < 0) stop = body.length
    if (t1 < 0 || t2 < 0 || t3 < 0 || t4 < 0 || t4 > stop) return false
    const cq = body.slice(at, t1)
    let col = cols.get(cq)
    if (col === undefined) cols.set(cq, (col = str(cq)))
    apply(col, str(body.slice(t1 + 1, t2)), +body.slice(t2 + 1, t3), t4 + 1 === stop ? null : body.slice(t4 + 1, stop), t3 + 1 === t4 ? undefined : +body.slice(t3 + 1, t4))
    at = stop + 1
  }
  return true
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
