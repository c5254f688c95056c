/**
 * The pool of this instance: built on first use from config (the catalog is
 * loaded once), swept on a timer, and stopped on SIGTERM or exit so that no
 * child outlives the process that started it. With persistent homes, also
 * this instance's heartbeat, its look-out for hand-over requests and deleted
 * configs, and the periodic save.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import { audit } from '../audit.js'
import { loadCatalog, type Catalog } from '../stdio/catalog.js'
import { Pool } from './manager.js'
import { Homes, type HomeRef } from './homes.js'
import { MCPS, type McpConfig } from '../registry/model.js'
import { onShutdown } from '../shutdown.js'
import { stdioDisabled } from '../stdio/disabled.js'

export interface Instance { pool: Pool; catalog: Catalog; homes?: Homes }

let current: Promise<Instance & { timers: NodeJS.Timeout[] }> | undefined
/** Pools with children possibly alive, including one being shut down. */
const live = new Set<Pool>()
const SWEEP_MS = 15_000
export const GRACE_MS = 5_000

/** This instance's pool; 503 when no catalog is configured or it does not load. */
export function poolOf(d: Deps): Promise<Instance> {
  if (!current) {
    current = build(d)
    current.catch(() => (current = undefined))
  }
  return current
}

async function build(d: Deps): Promise<Instance & { timers: NodeJS.Timeout[] }> {
  const file = d.config.stdioCatalog
  if (!file) throw stdioDisabled()
  let catalog: Catalog
  try {
    catalog = loadCatalog(file)
  } catch (e) {
    log('ERROR', 'stdio catalog failed to load', { error: String((e as Error)?.message ?? e) })
    throw new AppError('unavailable', 'stdio pool not configured')
  }
  const c = d.config
  let homes: Homes | undefined
  if (c.poolHomes !== 'off') {
    const { blobs, key } = await d.homes()
    homes = new Homes({
      store: await d.store(), blobs, key, clock: d.clock, leaseTtlMs: c.poolLeaseTtlMs, maxWaitMs: c.poolLeaseTtlMs + 5000,
      onRefused: (ref, bytes, cap) => void auditRefused(d, ref, bytes, cap),
    })
    await homes.leases.beat()
  }
  const pool = new Pool({ catalog, dataDir: c.poolDataDir, maxProcesses: c.poolMaxProcesses, now: () => d.clock.now(), forbidPaths: [c.dataDir], ...(homes ? { homes } : {}) })
  const timers = [setInterval(() => pool.sweep(), SWEEP_MS)]
  if (homes) timers.push(...lookout(pool, homes, d))
  for (const t of timers) t.unref()
  live.add(pool)
  log('INFO', 'stdio pool started', { entries: catalog.entries.size, max_processes: c.poolMaxProcesses, homes: c.poolHomes })
  return { pool, catalog, timers, ...(homes ? { homes } : {}) }
}

/**
 * A refused save, audited with the config's org (an org admin's `GET /audit` lists it): the pool has no
 * caller, so the org is the config's, read from the store (none for a personal config, or one deleted since).
 */
async function auditRefused(d: Deps, ref: HomeRef, bytes: number, cap: number): Promise<void> {
  const rec = await (await d.store()).get<McpConfig>(MCPS, ref.mcpId).catch(() => null)
  audit(d, { actor: ref.owner, org: rec?.data.org_id ?? null, action: 'stdio.home_save', mcp_id: ref.mcpId, outcome: 'denied', code: 'home_too_large', duration_ms: 0, bytes, cap })
}

/** Heartbeat, hand-over requests, deleted configs and the periodic save: each on its own timer, never overlapping itself. */
function lookout(pool: Pool, homes: Homes, d: Deps): NodeJS.Timeout[] {
  const c = d.config
  const every = (ms: number, what: string, f: () => Promise<unknown>) => {
    let running = false
    // An outage fails every tick: the same error is logged once a minute, not once a tick.
    let last = { error: '', at: 0 }
    return setInterval(() => {
      if (running) return
      running = true
      f()
        .catch((e) => {
          const error = String((e as Error)?.message ?? e)
          const now = Date.now()
          if (error === last.error && now - last.at < 60_000) return
          last = { error, at: now }
          log('WARNING', `stdio pool ${what} failed`, { error })
        })
        .finally(() => (running = false))
    }, ms)
  }
  let polls = 0
  return [
    every(Math.ceil(c.poolLeaseTtlMs / 3), 'heartbeat', async () => {
      const wasValid = homes.leases.valid()
      try {
        await homes.leases.beat()
        // A heartbeat that came too late: others may have taken our leases meanwhile.
        if (!wasValid && homes.count > 0) throw new Error('heartbeat lapsed')
      } catch (e) {
        if (homes.leases.valid() && wasValid) throw e
        // Others may now take our leases: stop everything (saves are fenced) and start over as a new instance.
        log('ERROR', 'stdio pool lost its heartbeat: processes stopped', { error: String((e as Error)?.message ?? e) })
        await pool.lostLeases()
        homes.forgetAll()
        homes.leases.renew()
      }
    }),
    every(c.poolHandoverPollMs, 'hand-over', async () => {
      await Promise.all((await homes.wanted()).map((ref) => pool.handover(ref)))
      if (polls++ % 10 === 0) await homes.sweepDeleted((id) => pool.dropConfig(id))
    }),
    ...(c.poolHomeSaveMs > 0 ? [every(c.poolHomeSaveMs, 'periodic save', () => pool.saveAll())] : []),
  ]
}

/** Stops every child (SIGTERM, SIGKILL after the grace), saves their homes and forgets the pool. */
export async function stopPool(graceMs = GRACE_MS): Promise<void> {
  const p = current
  current = undefined
  const c = await p?.catch(() => undefined)
  if (!c) return
  for (const t of c.timers) clearInterval(t)
  await c.pool.shutdown(graceMs)
  await c.homes?.close()
  live.delete(c.pool)
}

let installed = false
/**
 * SIGTERM stops the children with a grace period (shared/shutdown.ts holds
 * the framework's exit until then); `exit` kills what is left, synchronously.
 * Without the framework (nothing else listening), the signal is raised again
 * once the children are gone, so the process still terminates.
 */
export function installExitHandlers(): void {
  if (installed) return
  installed = true
  process.once('exit', () => { for (const p of live) p.killAllSync() })
  onShutdown(() => stopPool())
  process.once('SIGTERM', () => {
    if (process.listenerCount('SIGTERM') > 0) return
    void stopPool().finally(() => process.kill(process.pid, 'SIGTERM'))
  })
}
