/**
 * Saved homes on the local disk (local mode), shareable by several processes:
 * each object is a directory of numbered files, one per generation
 * (`<root>/<name>/<generation>`). A write claims the next number with link(2),
 * which fails if another process claimed it first, so preconditions hold
 * across processes as Cloud Storage's `ifGenerationMatch` does. A deleted
 * object is an empty file at the next number: numbers never repeat.
 */
import { randomBytes } from 'node:crypto'
import { link, mkdir, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../errors.js'
import type { Blob, BlobStore } from '../ports.js'

const NAME = /^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}){0,3}$/
const isCode = (e: unknown, c: string) => (e as NodeJS.ErrnoException)?.code === c
const lost = () => new AppError('precondition_failed', 'The saved home was changed by another instance.')

export class LocalBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private dir(name: string): string {
    if (!NAME.test(name)) throw new Error('homes: invalid object name')
    return join(this.root, name)
  }

  /** The highest generation and whether it holds data (0: never written). */
  private async latest(dir: string): Promise<{ gen: number; exists: boolean }> {
    let names: string[]
    try {
      names = await readdir(dir)
    } catch (e) {
      if (isCode(e, 'ENOENT')) return { gen: 0, exists: false }
      throw e
    }
    const gen = Math.max(0, ...names.filter((n) => /^\d+$/.test(n)).map(Number))
    if (!gen) return { gen, exists: false }
    const st = await stat(join(dir, String(gen))).catch(() => null)
    return { gen, exists: !!st && st.size > 0 }
  }

  async get(name: string): Promise<Blob | null> {
    const dir = this.dir(name)
    for (let i = 0; i < 5; i++) {
      const { gen, exists } = await this.latest(dir)
      if (!exists) return null
      try {
        return { data: await readFile(join(dir, String(gen))), generation: String(gen) }
      } catch (e) {
        if (!isCode(e, 'ENOENT')) throw e // pruned under us: a newer one exists
      }
    }
    throw new AppError('unavailable', 'The saved home is changing too fast to read.')
  }

  async put(name: string, data: Buffer, ifGeneration: string): Promise<string> {
    if (!data.length) throw new Error('homes: empty object')
    const dir = this.dir(name)
    const { gen, exists } = await this.latest(dir)
    if ((exists ? String(gen) : '0') !== ifGeneration) throw lost()
    await mkdir(dir, { recursive: true, mode: 0o700 })
    return this.claim(dir, gen + 1, data)
  }

  /** Writes `data` as generation `next`, or fails if someone has it. */
  private async claim(dir: string, next: number, data: Buffer): Promise<string> {
    const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
    await writeFile(tmp, data, { mode: 0o600, flag: 'wx' })
    try {
      await link(tmp, join(dir, String(next)))
    } catch (e) {
      if (isCode(e, 'EEXIST')) throw lost()
      throw e
    } finally {
      await unlink(tmp).catch(() => {})
    }
    // Older generations go (a reader that listed them retries).
    for (const n of await readdir(dir)) if (/^\d+$/.test(n) && Number(n) < next) await rm(join(dir, n), { force: true })
    return String(next)
  }

  async deletePrefix(prefix: string): Promise<number> {
    const base = prefix.replace(/\/+$/, '')
    let count = 0
    const objects: string[] = []
    const walk = async (rel: string): Promise<void> => {
      let names: string[]
      try {
        names = await readdir(join(this.root, rel))
      } catch (e) {
        if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR')) return
        throw e
      }
      if (names.some((n) => /^\d+$/.test(n))) objects.push(rel)
      else for (const n of names) await walk(`${rel}/${n}`)
    }
    this.dir(base)
    await walk(base)
    for (const rel of objects) {
      const dir = join(this.root, rel)
      for (let i = 0; i < 10; i++) {
        const { gen, exists } = await this.latest(dir)
        if (!exists) break
        const empty = join(dir, `.${randomBytes(6).toString('hex')}.tmp`)
        await writeFile(empty, '', { mode: 0o600, flag: 'wx' })
        try {
          await link(empty, join(dir, String(gen + 1)))
          count++
          break
        } catch (e) {
          if (!isCode(e, 'EEXIST')) throw e
        } finally {
          await rm(empty, { force: true })
        }
      }
      const { gen } = await this.latest(dir)
      for (const n of await readdir(dir)) if (/^\d+$/.test(n) && Number(n) < gen) await rm(join(dir, n), { force: true })
    }
    return count
  }

  async close(): Promise<void> {}
}
