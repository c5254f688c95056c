/**
 * The warm pool: one process per (owner, MCP id, config hash), never shared
 * across owners. Bounded per instance, per entry and per owner, evicting the
 * least recently used idle process when a cap is hit; idle processes expire;
 * a crashed one restarts on next use with exponential backoff; a hung request
 * recycles its process.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { AppError } from '../errors.js'
import { log, logContext } from '../log.js'
import { baseEnv, choiceHash, spawnSpec, type Catalog, type CatalogEntry } from '../stdio/catalog.js'
import { StdioProcess, type CallOpts, type Id, type Msg } from './process.js'
import { StderrLog } from './stderr.js'
import { checkPaths, homeOf, preparePaths, realPath } from './paths.js'
import type { PoolSpec } from './spec.js'
import { refOf, type HomeRef, type Homes } from './homes.js'
import { HomeTooLarge } from './archive.js'

export interface PoolOptions {
  catalog: Catalog
  dataDir: string
  maxProcesses: number
  now?: () => number
  /** Backoff after a crash: `base` doubling to `max`, forgotten after a process lived `healthyMs`. */
  backoff?: { baseMs: number; maxMs: number; healthyMs: number }
  /** Longest backoff a call waits out itself; beyond it the call gets 503 with Retry-After. */
  maxWaitMs?: number
  /** Directories no parameter or env value may point into or above (besides dataDir): the gateway's own data. */
  forbidPaths?: string[]
  /** Persistent homes and cross-instance leases (./homes.ts); without them homes live and die with this instance. */
  homes?: Homes
}

export interface PoolStats {
  size: number; starting: number; busy: number; in_flight: number; max_processes: number
  hits: number; misses: number; spawns: number; evictions: number; crashes: number; timeouts: number
}

interface Slot {
  key: string; owner: string; entry: CatalogEntry; proc: StdioProcess; ready: Promise<StdioProcess>; lastUsed: number; leases: number
  ref: HomeRef; home: string
  /** Set while the home is read for a save: calls wait for it. */
  paused?: Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))


export class Pool {
  private slots = new Map<string, Slot>()
  /** Processes on their way out (evicted, recycled), still awaited on shutdown. */
  private dying = new Set<StdioProcess>()
  /** Crash backoff per process key; `last` is why the last one ended, repeated while callers are turned away. */
  private backoffs = new Map<string, { failures: number; until: number; last?: AppError }>()
  private counters = { hits: 0, misses: 0, spawns: 0, evictions: 0, crashes: 0, timeouts: 0 }
  private closing = false
  private now: () => number
  private backoff: { baseMs: number; maxMs: number; healthyMs: number }

  constructor(private o: PoolOptions) {
    this.now = o.now ?? Date.now
    this.backoff = o.backoff ?? { baseMs: 250, maxMs: 30_000, healthyMs: 60_000 }
    mkdirSync(o.dataDir, { recursive: true, mode: 0o700 })
    // Every owner's home lives here: it must be ours alone.
    if (statSync(o.dataDir).uid !== process.getuid?.()) throw new Error(`stdio pool: ${o.dataDir} is not owned by this user`)
    chmodSync(o.dataDir, 0o700)
    this.forbidden = [o.dataDir, ...(o.forbidPaths ?? [])].map(realPath)
  }
  private forbidden: string[]

  static key(s: PoolSpec): string {
    return `${s.owner}|${s.mcp_id}|${choiceHash(s.choice)}`
  }

  /** The child's cached InitializeResult (spawning if needed). */
  initialize(s: PoolSpec): Promise<Record<string, unknown>> {
    return this.use(s, async (p) => p.initResult!)
  }

  /** Forwards one request; the response comes back under the caller's id. */
  request(s: PoolSpec, msg: Msg, o: Omit<CallOpts, 'timeoutMs'> = {}): Promise<Msg> {
    return this.use(s, (p, e, slot) => {
      // A save refused for size is told to the user on their next call, once; the process runs on.
      const refused = this.o.homes?.takeRefusal(slot.ref)
      if (refused) return Promise.resolve({ jsonrpc: '2.0', id: msg.id, error: { code: -32000, message: refused, data: { code: 'home_too_large' } } })
      return p.call(msg, { ...o, timeoutMs: e.limits.request_timeout_ms })
    })
  }

  /** A caller's `notifications/cancelled` for one of its requests. */
  cancel(s: PoolSpec, callerId: Id, reason?: string): void {
    this.slots.get(Pool.key(s))?.proc.cancelCaller(callerId, reason)
  }

  /** The process serving `s`, if any (tests, diagnostics). */
  peek(s: PoolSpec): StdioProcess | undefined {
    return this.slots.get(Pool.key(s))?.proc
  }

  private async use<T>(s: PoolSpec, f: (p: StdioProcess, e: CatalogEntry, slot: Slot) => Promise<T>): Promise<T> {
    const slot = await this.acquire(s)
    slot.leases++
    try {
      if (slot.paused) await slot.paused
      return await f(await slot.ready, slot.entry, slot)
    } finally {
      slot.leases--
      slot.lastUsed = this.now()
    }
  }

  private async acquire(s: PoolSpec): Promise<Slot> {
    const key = Pool.key(s)
    for (let waited = false; ; waited = true) {
      if (this.closing) throw new AppError('unavailable', 'The stdio pool is shutting down.', { retry_after: 1 })
      const have = this.slots.get(key)
      if (have && !have.proc.exited && (!this.o.homes || this.o.homes.holds(have.ref))) {
        // A holder whose heartbeat lapsed may have lost the lease already: it serves nothing until the heartbeat timer decides.
        if (this.o.homes && !this.o.homes.leases.valid()) throw new AppError('unavailable', 'The stdio pool cannot reach its store; retry shortly.', { retry_after: 2 })
        this.counters.hits++
        have.lastUsed = this.now()
        return have
      }
      const b = this.backoffs.get(key)
      const wait = b ? b.until - this.now() : 0
      if (wait <= 0 || waited) break
      if (wait > (this.o.maxWaitMs ?? 1000))
        throw new AppError('unavailable', `The stdio server keeps crashing; retry later.${b!.last ? ` ${b!.last.message}` : ''}`, { retry_after: Math.ceil(wait / 1000), ...(b!.last?.extra ?? {}) })
      await sleep(wait)
    }
    const entry = this.o.catalog.entries.get(s.choice.catalog_id)
    if (!entry) throw new AppError('invalid_request', 'The catalog entry does not exist.')
    checkPaths(this.o.catalog, s.choice, this.forbidden)
    const home = homeOf(this.o.dataDir, key)
    const homes = this.o.homes
    if (!homes) return this.start(key, s, entry, home)
    const ref = refOf(s.owner, s.mcp_id)
    // One start, stop or hand-over at a time per (owner, config) on this instance.
    return this.serial(ref.lkey, async () => {
      const have = this.slots.get(key)
      if (have && !have.proc.exited && homes.holds(ref)) return have
      if (this.closing) throw new AppError('unavailable', 'The stdio pool is shutting down.', { retry_after: 1 })
      // The same config with other parameters: its process goes (saved) before this one starts.
      for (const x of [...this.slots.values()]) if (x.ref.lkey === ref.lkey) await this.stopAndSave(x, 2000, false)
      if (!homes.current(ref, home)) await homes.open(ref, home, entry.limits.home_max_bytes)
      return this.start(key, s, entry, home)
    })
  }

  private start(key: string, s: PoolSpec, entry: CatalogEntry, home: string): Slot {
    mkdirSync(home, { recursive: true, mode: 0o700 })
    chmodSync(home, 0o700)
    preparePaths(this.o.catalog, s.choice, home)
    this.counters.misses++
    this.makeRoom(s.owner, entry)
    return this.spawn(key, s, entry, home)
  }

  private chains = new Map<string, Promise<unknown>>()
  private serial<T>(k: string, f: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(k) ?? Promise.resolve()).then(f)
    const tail = run.then(() => {}, () => {})
    this.chains.set(k, tail)
    void tail.then(() => this.chains.get(k) === tail && this.chains.delete(k))
    return run
  }

  /**
   * Stops a process and saves its home (the files are still then); `release`
   * lets another instance take it, `cleanup` removes the local copy. A save that fails for any reason but size
   * keeps the lease and the local home, so a later start here resumes from it.
   */
  private async stopAndSave(x: Slot, graceMs: number, release: boolean, cleanup = release): Promise<void> {
    if (this.slots.get(x.key) === x) this.slots.delete(x.key)
    this.dying.add(x.proc)
    await x.proc.stop(graceMs)
    const homes = this.o.homes
    if (!homes?.holds(x.ref)) return
    try {
      await homes.save(x.ref)
    } catch (e) {
      if (!(e instanceof HomeTooLarge)) {
        log('WARNING', 'stdio home not saved', { catalog_id: x.entry.id, error: String((e as Error)?.message ?? e) })
        return
      }
    }
    if (!release) return
    await homes.release(x.ref)
    // The saved copy is the home now; Cloud Run's disk is memory.
    if (cleanup) await rm(x.home, { recursive: true, force: true }).catch(() => {})
  }

  /**
   * Saves a running process's home between calls (calls wait meanwhile, a few
   * ms). False when the home is over its cap: the caller keeps the process.
   */
  private async liveSave(x: Slot, periodic = false): Promise<boolean> {
    if (!this.o.homes?.holds(x.ref) || x.proc.exited) return true
    let resume!: () => void
    x.paused = new Promise((r) => (resume = r))
    try {
      await this.o.homes.save(x.ref, { periodic })
      return true
    } catch (e) {
      if (e instanceof HomeTooLarge) return false
      if (e instanceof AppError && (e.code === 'precondition_failed' || e.code === 'not_found')) this.drop(x)
      else log('WARNING', 'stdio home not saved', { catalog_id: x.entry.id, error: String((e as Error)?.message ?? e) })
      return true
    } finally {
      x.paused = undefined
      resume()
    }
  }

  /** Stops a process without saving (its lease is lost, or its config deleted). */
  private drop(x: Slot): void {
    if (this.slots.get(x.key) === x) this.slots.delete(x.key)
    this.retire(x.proc, 1000)
  }

  /** Another instance asked for this home: stop the process (after its calls), save, release. A home over its cap stays. */
  handover(ref: HomeRef): Promise<void> {
    return this.serial(ref.lkey, async () => {
      const homes = this.o.homes
      if (!homes?.holds(ref)) return
      for (const x of [...this.slots.values()].filter((x) => x.ref.lkey === ref.lkey)) {
        if (!(await this.liveSave(x))) return
        this.slots.delete(x.key)
        for (let i = 0; i < 200 && (x.leases > 0 || x.proc.inFlight > 0); i++) await sleep(50)
        await this.stopAndSave(x, 2000, true)
      }
      // Released only once saved: an asker must never restore an older copy (it waits, then gets 503).
      if (homes.holds(ref)) {
        try {
          await homes.save(ref)
        } catch (e) {
          log('WARNING', 'stdio home not handed over: not saved', { error: String((e as Error)?.message ?? e) })
          return
        }
        await homes.release(ref)
      }
    })
  }

  /** Saves every idle process's home (the periodic save). */
  async saveAll(): Promise<void> {
    await Promise.all([...this.slots.values()].filter((x) => this.idle(x)).map((x) => this.serial(x.ref.lkey, () => this.liveSave(x, true))))
  }

  /** The instance lost its heartbeat: every process goes; saves are tried (fenced: refused if taken over). */
  async lostLeases(): Promise<void> {
    await Promise.all([...this.slots.values()].map((x) => this.serial(x.ref.lkey, () => this.stopAndSave(x, 1000, false))))
  }

  /** A deleted config: its processes stop, unsaved. */
  async dropConfig(mcpId: string): Promise<void> {
    for (const x of [...this.slots.values()]) if (x.ref.mcpId === mcpId) this.drop(x)
  }

  private spawn(key: string, s: PoolSpec, entry: CatalogEntry, home: string): Slot {
    const spec = spawnSpec(this.o.catalog, s.choice, home)
    const base = baseEnv(home)
    const secrets = Object.entries(spec.env).filter(([k]) => !(k in base)).map(([, v]) => v)
    const stderr = new StderrLog(entry.id, secrets, this.now)
    const hooks = { onExit: (p: StdioProcess, crashed: boolean) => this.onExit(key, entry.id, p, crashed), onTimeout: (p: StdioProcess) => this.onTimeout(key, entry.id, p) }
    // The child's output belongs to no request: log it under the function only, not the request that spawned it.
    const proc = logContext.run({ fn: logContext.getStore()?.fn }, () => new StdioProcess(spec, home, stderr, hooks, this.now()))
    this.counters.spawns++
    const slot: Slot = { key, owner: s.owner, entry, proc, ref: refOf(s.owner, s.mcp_id), home, ready: proc.handshake(Math.min(entry.limits.request_timeout_ms, 60_000)).then(() => proc), lastUsed: this.now(), leases: 0 }
    slot.ready.catch(() => {
      // A server that cannot start counts as a crash (backoff), and goes.
      if (this.slots.get(key) === slot) this.slots.delete(key)
      if (!proc.stopping) proc.group('SIGKILL')
    })
    this.slots.set(key, slot)
    return slot
  }

  /** Evicts least recently used idle processes until one more fits under every cap; 503 when none can go. */
  private makeRoom(owner: string, entry: CatalogEntry): void {
    const caps: [(x: Slot) => boolean, number, string][] = [
      [(x) => x.owner === owner && x.entry.id === entry.id, entry.limits.max_per_owner, 'for this owner'],
      [(x) => x.entry.id === entry.id, entry.limits.max_processes, 'for this catalog entry'],
      [() => true, this.o.maxProcesses, 'on this instance'],
    ]
    for (const [match, cap, where] of caps) {
      let group = [...this.slots.values()].filter(match)
      // A process whose home is over its cap is not a victim: stopping it would lose the files it could not save.
      const idle = group.filter((x) => this.idle(x) && !this.o.homes?.overCap(x.ref)).sort((a, b) => a.lastUsed - b.lastUsed)
      while (group.length >= cap) {
        const victim = idle.shift()
        if (!victim) throw new AppError('unavailable', `Too many busy stdio processes ${where}; retry shortly.`, { retry_after: 2 })
        this.evict(victim, 'lru')
        group = group.filter((x) => x !== victim)
      }
    }
  }

  private idle(x: Slot): boolean {
    return x.leases === 0 && x.proc.inFlight === 0 && x.proc.initResult !== undefined
  }

  /** Stops idle processes past their entry's TTL; runs on a timer, and from tests. */
  sweep(): number {
    let n = 0
    for (const x of [...this.slots.values()])
      if (this.idle(x) && this.now() - x.lastUsed >= x.entry.limits.idle_ttl_ms) {
        if (this.o.homes) {
          // A home over its cap is not evicted: the process keeps it, the user was told.
          void this.serial(x.ref.lkey, async () => {
            if (this.slots.get(x.key) !== x || !this.idle(x)) return
            if (await this.liveSave(x)) this.evict(x, 'idle')
          })
        } else this.evict(x, 'idle')
        n++
      }
    return n
  }

  private evict(x: Slot, reason: string): void {
    this.slots.delete(x.key)
    this.counters.evictions++
    if (this.o.homes) void this.serial(x.ref.lkey, () => this.stopAndSave(x, 2000, true))
    else this.retire(x.proc, 2000)
    this.logStats('stdio pool eviction', { reason, catalog_id: x.entry.id })
  }

  private retire(p: StdioProcess, graceMs: number): void {
    this.dying.add(p)
    void p.stop(graceMs)
  }

  private onTimeout(key: string, catalogId: string, p: StdioProcess): void {
    this.counters.timeouts++
    if (this.slots.get(key)?.proc === p) this.slots.delete(key)
    // A server that hangs in its handshake never worked: that is a crash (backoff), not a recycle.
    if (p.initResult === undefined) p.group('SIGKILL')
    else this.retire(p, 1000)
    this.logStats('stdio pool recycle', { reason: 'timeout', catalog_id: catalogId })
  }

  private onExit(key: string, catalogId: string, p: StdioProcess, crashed: boolean): void {
    this.dying.delete(p)
    if (this.slots.get(key)?.proc === p) this.slots.delete(key)
    if (!crashed) return
    this.counters.crashes++
    const now = this.now()
    const prev = this.backoffs.get(key)
    const failures = !prev || now - p.startedAt >= this.backoff.healthyMs ? 1 : prev.failures + 1
    const delay = Math.min(this.backoff.baseMs * 2 ** (failures - 1), this.backoff.maxMs)
    this.backoffs.set(key, { failures, until: now + delay, last: p.ended })
    if (this.backoffs.size > 10_000) this.backoffs.delete(this.backoffs.keys().next().value!)
    this.logStats('stdio pool crash', { catalog_id: catalogId, pid: p.pid, backoff_ms: delay })
  }

  private logStats(message: string, fields: Record<string, unknown>): void {
    log('INFO', message, { ...fields, pool: this.stats() })
  }

  stats(): PoolStats {
    const all = [...this.slots.values()]
    return {
      size: all.length,
      starting: all.filter((x) => x.proc.initResult === undefined).length,
      busy: all.filter((x) => !this.idle(x)).length,
      in_flight: all.reduce((n, x) => n + x.proc.inFlight, 0),
      max_processes: this.o.maxProcesses,
      ...this.counters,
    }
  }

  /** SIGTERM to every process group, SIGKILL after `graceMs`, and waits for every exit. */
  async shutdown(graceMs: number): Promise<void> {
    this.closing = true
    const all = [...this.slots.values()]
    for (const x of all) this.dying.add(x.proc)
    this.slots.clear()
    // Each home is saved once its process has stopped, and its lease released.
    await Promise.all([...[...this.dying].map((p) => p.stop(graceMs)), ...all.map((x) => this.serial(x.ref.lkey, () => this.stopAndSave(x, graceMs, true, false)))])
  }

  /** Last resort on process exit: SIGKILL every group, synchronously. */
  killAllSync(): void {
    this.closing = true
    for (const p of [...[...this.slots.values()].map((x) => x.proc), ...this.dying]) if (!p.exited) p.group('SIGKILL')
  }
}
