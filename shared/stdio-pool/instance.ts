/**
 * The pool of this instance: built on first use from config (the catalog is
 * loaded once), swept on a timer, and stopped on SIGTERM or exit so that no
 * child outlives the process that started it.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import { loadCatalog, type Catalog } from '../stdio/catalog.js'
import { Pool } from './manager.js'
import { onShutdown } from '../shutdown.js'
import { stdioDisabled } from '../stdio/disabled.js'

export interface Instance { pool: Pool; catalog: Catalog }

let current: (Instance & { timer: NodeJS.Timeout }) | undefined
/** Pools with children possibly alive, including one being shut down. */
const live = new Set<Pool>()
const SWEEP_MS = 15_000
export const GRACE_MS = 5_000

/** This instance's pool; 503 when no catalog is configured or it does not load. */
export function poolOf(d: Deps): Instance {
  if (current) return current
  const file = d.config.stdioCatalog
  if (!file) throw stdioDisabled()
  let catalog: Catalog
  try {
    catalog = loadCatalog(file)
  } catch (e) {
    log('ERROR', 'stdio catalog failed to load', { error: String((e as Error)?.message ?? e) })
    throw new AppError('unavailable', 'stdio pool not configured')
  }
  const pool = new Pool({ catalog, dataDir: d.config.poolDataDir, maxProcesses: d.config.poolMaxProcesses, now: () => d.clock.now(), forbidPaths: [d.config.dataDir] })
  const timer = setInterval(() => pool.sweep(), SWEEP_MS)
  timer.unref()
  live.add(pool)
  log('INFO', 'stdio pool started', { entries: catalog.entries.size, max_processes: d.config.poolMaxProcesses })
  current = { pool, catalog, timer }
  return current
}

/** Stops every child (SIGTERM, SIGKILL after the grace) and forgets the pool. */
export async function stopPool(graceMs = GRACE_MS): Promise<void> {
  const c = current
  current = undefined
  if (!c) return
  clearInterval(c.timer)
  await c.pool.shutdown(graceMs)
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
