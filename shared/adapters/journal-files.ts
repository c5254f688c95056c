/** File chores of the local store's journal (./journal.ts): whole-file reads, directory fsyncs, the directory's lock. */
import * as fs from 'node:fs'

const noFile = (e: NodeJS.ErrnoException): Buffer => {
  if (e.code === 'ENOENT') return Buffer.alloc(0)
  throw e
}

export const readOrEmpty = (f: string): Buffer => {
  try {
    return fs.readFileSync(f)
  } catch (e) {
    return noFile(e as NodeJS.ErrnoException)
  }
}

/** A file in one read off the event loop (`readFile` reads in 512 KiB steps); a missing file is empty. */
export async function readWhole(f: string): Promise<Buffer> {
  let fh: fs.promises.FileHandle
  try {
    fh = await fs.promises.open(f, 'r')
  } catch (e) {
    return noFile(e as NodeJS.ErrnoException)
  }
  try {
    const { size } = await fh.stat()
    const buf = Buffer.allocUnsafe(size)
    let at = 0
    while (at < size) {
      const { bytesRead } = await fh.read(buf, at, size - at, at)
      if (!bytesRead) break
      at += bytesRead
    }
    return buf.subarray(0, at)
  } finally {
    await fh.close()
  }
}

export function syncDir(dir: string): void {
  const dfd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(dfd)
  } finally {
    fs.closeSync(dfd)
  }
}

export async function syncDirAsync(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

export function takeLock(file: string): void {
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

export function unlock(file: string): void {
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
