/**
 * Which pool instance runs a user's process for a config, across instances:
 * a lease per (owner, config) in the store naming its holder, valid while the
 * holder's own heartbeat record lives (one write per instance per third of the
 * TTL, whatever the number of processes). Another instance that gets a call
 * asks the holder, through the lease record (`wanted_from`), to save the home
 * and let go; a holder that stopped beating has lost every lease it held.
 * Correctness of the saved home does not rest on this alone: saves are fenced
 * by the object's generation (./homes.ts). Design: docs/decisions.md.
 */
import { randomBytes } from 'node:crypto'
import type { Clock, Store } from '../ports.js'

export const LEASES = 'stdio_leases'
export const INSTANCES = 'stdio_instances'

export interface LeaseDoc {
  mcp_id: string
  /** The instance running the process, or null once released. */
  holder: string | null
  /** Bumped by every take: a release or a renewal names the take it belongs to. */
  gen: number
  /** The holder another instance has asked to hand over (polled by the holder), and who asked. */
  wanted_from: string | null
  wanted_by: string | null
  updated_at: number
}

export type Take = { ok: true; gen: number; takeover: boolean } | { ok: false }

export class Leases {
  /** This instance's id; a fresh one after it lost its heartbeat, so nothing it held before counts as held. */
  id = newInstanceId()
  private beatOkAt = 0

  constructor(private store: Store, private clock: Clock, readonly ttlMs: number) {}

  /** Renews this instance's heartbeat (every ttl/3). */
  async beat(): Promise<void> {
    const at = this.clock.now()
    await this.store.transact(async (tx) => {
      tx.set(INSTANCES, this.id, { started_at: at, expires_at: at + this.ttlMs })
    })
    this.beatOkAt = at
  }

  /**
   * True while no other instance can consider our leases lost: the last
   * heartbeat that reached the store, less a fifth of the TTL for clock skew
   * between instances and for pauses.
   */
  valid(): boolean {
    return this.left() > 0
  }

  /** How long our leases stay valid without another heartbeat, ms (≤ 0: lapsed). */
  left(): number {
    return this.beatOkAt > 0 ? this.beatOkAt + this.ttlMs - Math.ceil(this.ttlMs / 5) - this.clock.now() : 0
  }

  /** After losing the heartbeat: a new identity, so stale lease records name an instance that is gone. */
  renew(): void {
    this.id = newInstanceId()
    this.beatOkAt = 0
  }

  /** Takes the lease if it is free, ours, or its holder is gone; otherwise asks the holder to hand over. */
  take(leaseId: string, mcpId: string): Promise<Take> {
    const me = this.id
    return this.store.transact(async (tx): Promise<Take> => {
      const l = (await tx.get<LeaseDoc>(LEASES, leaseId))?.data
      const holder = l?.holder ?? null
      const alive = holder !== null && (holder === me || (await tx.get(INSTANCES, holder)) !== null)
      const now = this.clock.now()
      if (!alive || holder === me) {
        const gen = holder === me ? l!.gen : (l?.gen ?? 0) + 1
        tx.set<LeaseDoc>(LEASES, leaseId, { mcp_id: mcpId, holder: me, gen, wanted_from: null, wanted_by: null, updated_at: now })
        // A holder that vanished without releasing may still be running somewhere: fence its saves.
        return { ok: true, gen, takeover: holder !== null && holder !== me }
      }
      if (l!.wanted_from !== holder || l!.wanted_by !== me) tx.set<LeaseDoc>(LEASES, leaseId, { ...l!, wanted_from: holder, wanted_by: me, updated_at: now })
      return { ok: false }
    })
  }

  /** Lets go of a lease we hold (after the home was saved); false if it was no longer ours. */
  release(leaseId: string, gen: number): Promise<boolean> {
    const me = this.id
    return this.store.transact(async (tx) => {
      const l = (await tx.get<LeaseDoc>(LEASES, leaseId))?.data
      if (!l || l.holder !== me || l.gen !== gen) return false
      tx.set<LeaseDoc>(LEASES, leaseId, { ...l, holder: null, wanted_from: null, wanted_by: null, updated_at: this.clock.now() })
      return true
    })
  }

  /** Leases other instances asked us to hand over. */
  async wanted(): Promise<{ id: string; data: LeaseDoc }[]> {
    return (await this.store.list<LeaseDoc>(LEASES, { where: { field: 'wanted_from', in: [this.id] }, limit: 100 })).items
  }

  /** A request for a lease we do not hold (any more): released if it still names us, so the asker can go on. */
  async drop(leaseId: string): Promise<void> {
    const me = this.id
    await this.store.transact(async (tx) => {
      const l = (await tx.get<LeaseDoc>(LEASES, leaseId))?.data
      if (!l || l.wanted_from !== me) return
      tx.set<LeaseDoc>(LEASES, leaseId, { ...l, holder: l.holder === me ? null : l.holder, wanted_from: null, updated_at: this.clock.now() })
    })
  }

  /** Every lease record of a config (its deletion). */
  async ofConfig(mcpId: string): Promise<string[]> {
    const ids: string[] = []
    let cursor: string | undefined
    for (let i = 0; i < 100; i++) {
      const page = await this.store.list<LeaseDoc>(LEASES, { where: { field: 'mcp_id', in: [mcpId] }, limit: 500, ...(cursor ? { cursor } : {}) })
      ids.push(...page.items.map((x) => x.id))
      if (!page.next) break
      cursor = page.next
    }
    return ids
  }

  /** Leaves: the heartbeat record goes, so others need not wait out the TTL for leases we failed to release. */
  async close(): Promise<void> {
    await this.store.delete(INSTANCES, this.id).catch(() => {})
  }
}

const newInstanceId = () => `i-${randomBytes(9).toString('base64url')}`
