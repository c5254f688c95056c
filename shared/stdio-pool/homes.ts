/**
 * Persistent homes: a user's process for a config keeps its files across
 * instances, scale-in and redeploys. Before a start the instance takes the
 * lease (./lease.ts), waiting for the holder to hand over, and restores the
 * saved home; the home is saved when the process idles out, is handed over or
 * the instance shuts down, and periodically while it runs. Every save is
 * conditional on the generation this instance last read or wrote, so a holder
 * that lost its lease without knowing (split brain) cannot overwrite the new
 * holder's copy: its save gets 412 and its process is stopped.
 */
import { createHash } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import type { BlobStore, Clock, Store } from '../ports.js'
import { HomeTooLarge, pack, stampOf, unpack } from './archive.js'
import { Leases, LEASES } from './lease.js'
import { seal, unseal } from './seal.js'

import { HOME_DELETES } from './forget.js'

const sha = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n)
/** One object per (owner, config); the config's prefix lets its deletion find every owner's copy. */
export const objectName = (owner: string, mcpId: string) => `h/${sha(mcpId, 32)}/${sha(`${owner}\0${mcpId}`, 40)}`
export const configPrefix = (mcpId: string) => `h/${sha(mcpId, 32)}/`
const leaseId = (owner: string, mcpId: string) => sha(`${owner}\0${mcpId}`, 40)

/** The owner and config a home belongs to; `lkey` names it in this instance. */
export interface HomeRef { owner: string; mcpId: string; lkey: string }
export const refOf = (owner: string, mcpId: string): HomeRef => ({ owner, mcpId, lkey: `${owner}|${mcpId}` })

interface Held { gen: number; objGen: string; digest?: string; stamp?: string; dir: string; cap: number; tooLarge?: string; refusedBytes?: number }

export interface HomesOptions {
  store: Store
  blobs: BlobStore
  key: Buffer
  clock: Clock
  leaseTtlMs: number
  /** How long a call waits for another instance to hand its process over. */
  maxWaitMs?: number
  /** A save refused for size (the audit record). */
  onRefused?: (ref: HomeRef, bytes: number, cap: number) => void
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class Homes {
  readonly leases: Leases
  private held = new Map<string, Held>()
  private blobs: BlobStore

  constructor(private o: HomesOptions) {
    this.leases = new Leases(o.store, o.clock, o.leaseTtlMs)
    this.blobs = o.blobs
  }

  holds(ref: HomeRef): boolean {
    return this.held.has(ref.lkey)
  }

  /** Leases held here. */
  get count(): number {
    return this.held.size
  }

  /** The home in `dir` is the current one for `ref` on this instance (a restart after a crash skips the restore). */
  current(ref: HomeRef, dir: string): boolean {
    return this.held.get(ref.lkey)?.dir === dir
  }

  /**
   * Takes the lease (asking the holder to hand over, and waiting for it up to
   * `maxWaitMs`) and restores the saved home into `dir` (emptied first).
   */
  async open(ref: HomeRef, dir: string, cap: number): Promise<void> {
    // Renewing while still valid is always safe: a slow heartbeat (a cold store client) must not lapse right after a start.
    if (this.leases.valid() && this.leases.left() < this.o.leaseTtlMs / 2) await this.leases.beat().catch(() => {})
    if (!this.leases.valid()) {
      // Holding nothing, a late heartbeat is harmless: beat now. Holding leases, the heartbeat timer must first give them up.
      if (this.held.size === 0) await this.leases.beat().catch(() => {})
      if (!this.leases.valid()) throw new AppError('unavailable', 'The stdio pool cannot reach its store; retry shortly.', { retry_after: 2 })
    }
    let h = this.held.get(ref.lkey)
    let takeover = false
    if (!h) {
      // How long this call waits is local time, not lease time.
      const until = performance.now() + (this.o.maxWaitMs ?? 20_000)
      for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
        const t = await this.leases.take(leaseId(ref.owner, ref.mcpId), ref.mcpId)
        if (t.ok) {
          h = { gen: t.gen, objGen: '0', dir, cap }
          takeover = t.takeover
          break
        }
        if (performance.now() > until) throw new AppError('unavailable', 'Another pool instance still runs this server and has not handed it over; retry shortly.', { retry_after: 2 })
        await sleep(wait)
      }
    }
    const name = objectName(ref.owner, ref.mcpId)
    const tmp = `${dir}.restore`
    for (let attempt = 0; ; attempt++) {
      const blob = await this.blobs.get(name)
      await rm(tmp, { recursive: true, force: true })
      await mkdir(tmp, { recursive: true, mode: 0o700 })
      if (blob) {
        try {
          await unpack(unseal(this.o.key, name, blob.data), tmp, cap)
        } catch (e) {
          // Never started empty over it: the next save would replace the user's files for good.
          log('ERROR', 'stdio saved home cannot be restored (another key, or damaged)', { object: name, error: String((e as Error)?.message ?? e) })
          throw new AppError('unavailable', 'The saved files of this server cannot be restored; the operator has been told (pool log).', { retry_after: 60 })
        }
      }
      h.objGen = blob?.generation ?? '0'
      if (!takeover) break
      // The old holder may still be running (split brain): writing the generation we restored
      // again moves it on, so its next save (conditional on the old one) is refused.
      try {
        h.objGen = await this.blobs.put(name, blob?.data ?? seal(this.o.key, name, await pack(tmp, cap)), h.objGen)
        break
      } catch (e) {
        // It saved in between: restore what it saved.
        if (!(e instanceof AppError && e.code === 'precondition_failed') || attempt >= 3) throw e
      }
    }
    await rm(dir, { recursive: true, force: true })
    await rename(tmp, dir)
    h.dir = dir
    h.cap = cap
    h.digest = undefined
    h.stamp = undefined
    this.held.set(ref.lkey, h)
  }

  /**
   * Saves the home unless it is unchanged since the last save. Throws
   * HomeTooLarge (recorded for the user, audited; the saved copy stays as it
   * was) and `precondition_failed` when another instance took over (the caller
   * must stop the process without saving again).
   */
  async save(ref: HomeRef, o: { periodic?: boolean } = {}): Promise<void> {
    const h = this.held.get(ref.lkey)
    if (!h) return
    // A running process's periodic save: nothing to do when no file changed (by lstat).
    const stamp = o.periodic ? await stampOf(h.dir) : undefined
    if (stamp !== undefined && stamp === h.stamp) return
    let archive: Buffer
    try {
      archive = await pack(h.dir, h.cap)
    } catch (e) {
      if (!(e instanceof HomeTooLarge)) throw e
      // Told and audited once per size: the idle sweep retries every 15 s.
      if (h.refusedBytes !== e.bytes) {
        h.refusedBytes = e.bytes
        h.tooLarge = `Your server's files were not saved: ${e.message}. It keeps running with them; delete files to get under the cap, or they are lost when it stops.`
        log('WARNING', 'stdio home over its cap: not saved', { bytes: e.bytes, cap: e.cap })
        this.o.onRefused?.(ref, e.bytes, e.cap)
      }
      throw e
    }
    h.tooLarge = undefined
    h.refusedBytes = undefined
    const digest = createHash('sha256').update(archive).digest('base64')
    if (digest === h.digest) {
      h.stamp = stamp
      return
    }
    const name = objectName(ref.owner, ref.mcpId)
    try {
      h.objGen = await this.blobs.put(name, seal(this.o.key, name, archive), h.objGen)
    } catch (e) {
      if (e instanceof AppError && e.code === 'precondition_failed') {
        this.held.delete(ref.lkey)
        log('WARNING', 'stdio home taken over by another instance: this copy is stale and was not saved', {})
      }
      throw e
    }
    h.digest = digest
    h.stamp = stamp
    // A config deleted while its process ran: what we just wrote goes too.
    // (Unreadable now: the sweep of deleted configs catches it later.)
    if (await this.o.store.get(HOME_DELETES, ref.mcpId).catch(() => null)) {
      await this.blobs.deletePrefix(configPrefix(ref.mcpId))
      this.held.delete(ref.lkey)
      throw new AppError('not_found', 'The MCP server was deleted.')
    }
  }

  /** The last save was refused for size: the process must keep running (not evicted, not handed over). */
  overCap(ref: HomeRef): boolean {
    return this.held.get(ref.lkey)?.refusedBytes !== undefined
  }

  /** A refused save's message, once: the user's next call gets it. */
  takeRefusal(ref: HomeRef): string | undefined {
    const h = this.held.get(ref.lkey)
    const m = h?.tooLarge
    if (h) h.tooLarge = undefined
    return m
  }

  /** Lets go of the lease (after the final save). */
  async release(ref: HomeRef): Promise<void> {
    const h = this.held.get(ref.lkey)
    if (!h) return
    this.held.delete(ref.lkey)
    await this.leases.release(leaseId(ref.owner, ref.mcpId), h.gen).catch((e) => log('WARNING', 'stdio lease not released', { error: String((e as Error)?.message ?? e) }))
  }

  /** Forgets every lease (the heartbeat was lost: another instance may already hold them). */
  forgetAll(): HomeRef[] {
    const refs = [...this.held.keys()].map((k) => {
      const i = k.indexOf('|')
      return refOf(k.slice(0, i), k.slice(i + 1))
    })
    this.held.clear()
    return refs
  }

  /** The configs whose leases another instance asked for; requests for leases not held here are answered at once. */
  async wanted(): Promise<HomeRef[]> {
    const out: HomeRef[] = []
    for (const w of await this.leases.wanted()) {
      const mine = [...this.held.entries()].find(([k]) => leaseId(...(split(k) as [string, string])) === w.id)
      if (mine) out.push(refOf(...(split(mine[0]) as [string, string])))
      else await this.leases.drop(w.id)
    }
    return out
  }

  /** Deleted configs: their saved homes and lease records go (run by the pool; the registry leaves a tombstone). */
  async sweepDeleted(stop: (mcpId: string) => Promise<void>): Promise<number> {
    const page = await this.o.store.list<{ done: boolean }>(HOME_DELETES, { where: { field: 'done', in: [false] }, limit: 20 })
    for (const t of page.items) {
      await stop(t.id)
      await this.blobs.deletePrefix(configPrefix(t.id))
      for (const id of await this.leases.ofConfig(t.id)) await this.o.store.delete(LEASES, id)
      await this.o.store.update(HOME_DELETES, t.id, (d: object) => ({ ...d, done: true }))
      log('INFO', 'stdio homes of a deleted config deleted', { mcp_id: t.id })
    }
    return page.items.length
  }

  async close(): Promise<void> {
    await this.leases.close()
    await this.blobs.close()
  }
}

const split = (k: string) => {
  const i = k.indexOf('|')
  return [k.slice(0, i), k.slice(i + 1)]
}
