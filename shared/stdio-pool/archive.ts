/**
 * A process's home directory as one gzip'd archive, and back. Our own small
 * format (no dependency): directories, regular files and symlinks, with their
 * permission bits; never anything a symlink points at. Packing measures first
 * and refuses a home over its cap whole (nothing is ever cut); unpacking
 * writes into an empty directory, refuses `..` and absolute names, caps what
 * it inflates, and creates symlinks last so no write can go through one.
 *
 *   "MCPH1\n" then entries: type (1 byte: d, f, l) | path length (u16) | path |
 *   mode (u32) | f: size (u64) + bytes; l: target length (u16) + target
 */
import { lstat, mkdir, open, readdir, readFile, readlink, symlink } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { join, posix } from 'node:path'
import { promisify } from 'node:util'
import { gunzip, gzip } from 'node:zlib'

const MAGIC = Buffer.from('MCPH1\n')
const gz = promisify(gzip)
const ungz = promisify(gunzip)

/** A home over its entry's cap: the save is refused, the saved copy stays as it was. */
export class HomeTooLarge extends Error {
  override name = 'HomeTooLarge'
  constructor(readonly bytes: number, readonly cap: number) {
    super(`the home directory holds ${mb(bytes)}, over the ${mb(cap)} this catalog entry keeps`)
  }
}
export const mb = (n: number) => (n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`)

interface Item { type: 'd' | 'f' | 'l'; rel: string; abs: string; mode: number; size: number; mtime: number }

/** Everything under `dir` (lstat: symlinks are entries, never followed); sockets, FIFOs and devices are skipped. */
async function walk(dir: string): Promise<Item[]> {
  const out: Item[] = []
  const stack = ['']
  while (stack.length) {
    const rel = stack.pop()!
    let names: string[]
    try {
      names = (await readdir(join(dir, rel))).sort()
    } catch (e) {
      if (rel && (e as NodeJS.ErrnoException).code === 'ENOENT') continue // removed meanwhile
      throw e
    }
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n
      const abs = join(dir, r)
      const st = await lstat(abs).catch(() => null)
      if (!st) continue // gone meanwhile
      const mode = st.mode & 0o777
      const mtime = st.mtimeMs
      if (st.isDirectory()) {
        out.push({ type: 'd', rel: r, abs, mode, size: 0, mtime })
        stack.push(r)
      } else if (st.isFile()) out.push({ type: 'f', rel: r, abs, mode, size: st.size, mtime })
      else if (st.isSymbolicLink()) out.push({ type: 'l', rel: r, abs, mode, size: 0, mtime })
    }
  }
  return out
}

/**
 * What the home looks like from `lstat` alone (names, types, modes, sizes,
 * mtimes): a periodic save of a running process skips packing when it has not
 * changed since the last save. Final saves never rely on it.
 */
export async function stampOf(dir: string): Promise<string> {
  const h = createHash('sha256')
  for (const i of await walk(dir)) h.update(`${i.type}\0${i.rel}\0${i.mode}\0${i.size}\0${i.mtime}\n`)
  return h.digest('base64')
}

/** The home as a gzip'd archive; throws HomeTooLarge (reading no file) when its files exceed `cap` bytes. */
export async function pack(dir: string, cap: number): Promise<Buffer> {
  const items = await walk(dir)
  const total = items.reduce((n, i) => n + i.size, 0)
  if (total > cap) throw new HomeTooLarge(total, cap)
  const parts: Buffer[] = [MAGIC]
  let read = 0
  for (const i of items) {
    let data: Buffer | undefined
    if (i.type === 'f') {
      try {
        data = await readFile(i.abs)
      } catch (e) {
        // Deleted since the walk: not in this save. Unreadable: the save fails (never an empty file instead).
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw e
      }
    }
    const path = Buffer.from(i.rel)
    const head = Buffer.alloc(1 + 2 + path.length + 4)
    head.write(i.type, 0)
    head.writeUInt16BE(path.length, 1)
    path.copy(head, 3)
    head.writeUInt32BE(i.mode, 3 + path.length)
    parts.push(head)
    if (data) {
      // A file that grew since it was measured still counts against the cap.
      read += data.length
      if (read > cap) throw new HomeTooLarge(read, cap)
      const len = Buffer.alloc(8)
      len.writeBigUInt64BE(BigInt(data.length))
      parts.push(len, data)
    } else if (i.type === 'l') {
      const target = Buffer.from(await readlink(i.abs).catch(() => ''))
      const len = Buffer.alloc(2)
      len.writeUInt16BE(target.length)
      parts.push(len, target)
    }
  }
  return gz(Buffer.concat(parts), { level: 6 })
}

function safeRel(p: string): string {
  const n = posix.normalize(p)
  if (!p || p.includes('\0') || p.startsWith('/') || n !== p || n.split('/').some((s) => s === '..' || s === '.' || s === '')) throw new Error(`home archive: bad path ${JSON.stringify(p.slice(0, 100))}`)
  return n
}

/**
 * Unpacks into `dir`, which must be empty (a fresh directory). At most `cap`
 * bytes of files (plus the archive's own overhead) are inflated: a bomb fails.
 */
export async function unpack(archive: Buffer, dir: string, cap: number): Promise<void> {
  const raw = await ungz(archive, { maxOutputLength: cap + (8 << 20) })
  if (!raw.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('home archive: not an archive')
  let at = MAGIC.length
  const need = (n: number) => {
    if (at + n > raw.length) throw new Error('home archive: truncated')
  }
  const links: [string, string][] = []
  let files = 0
  while (at < raw.length) {
    need(3)
    const type = String.fromCharCode(raw[at]!)
    const plen = raw.readUInt16BE(at + 1)
    need(3 + plen + 4)
    const rel = safeRel(raw.toString('utf8', at + 3, at + 3 + plen))
    const mode = raw.readUInt32BE(at + 3 + plen) & 0o777
    at += 3 + plen + 4
    const abs = join(dir, rel)
    if (type === 'd') await mkdir(abs, { recursive: true, mode: mode | 0o700 })
    else if (type === 'f') {
      need(8)
      const size = Number(raw.readBigUInt64BE(at))
      at += 8
      need(size)
      files += size
      if (files > cap) throw new Error('home archive: over its cap')
      // wx: never over something that exists (a symlink included).
      const fh = await open(abs, 'wx', mode | 0o600)
      try {
        await fh.writeFile(raw.subarray(at, at + size))
      } finally {
        await fh.close()
      }
      at += size
    } else if (type === 'l') {
      need(2)
      const tlen = raw.readUInt16BE(at)
      need(2 + tlen)
      links.push([abs, raw.toString('utf8', at + 2, at + 2 + tlen)])
      at += 2 + tlen
    } else throw new Error('home archive: unknown entry')
  }
  for (const [abs, target] of links) await symlink(target, abs)
}
