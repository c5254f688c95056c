/**
 * Item 11 (issue 17 §3): restart-to-ready of the local gateway holding 100,000
 * audited calls. The data dir is filled in process (100,000 `audit()` calls,
 * as many tool calls would leave), then `node dist/scripts/local.js` is
 * spawned on it, several times: *listen* is spawn → the port accepts, *ready*
 * spawn → a first authenticated `GET /api/v1/mcps` answers 200, *audit* spawn →
 * `GET /api/v1/audit?limit=1` answers with the newest record. Then, in
 * process, the longest event-loop pause while the store compacts 100,000
 * records (a write that makes the files mostly waste triggers it).
 * `node dist/bench/restart.js [--quick]` runs it alone.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { readdirSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { AUDIT, audit, auditFlushed, type AuditEntry } from '../shared/audit.js'
import { makeDeps } from '../shared/deps.js'
import { parseConfig } from '../shared/config.js'
import { setLogSink } from '../shared/log.js'
import { devToken } from '../shared/auth/dev-token.js'
import { LocalStore } from '../shared/adapters/store-local.js'
import { freePort } from '../test/support/net.js'
import { spawnChild } from './proc.js'
import { cpuMs } from './coldstart.js'
import { summarize, type Summary } from './stats.js'

export interface RestartResult {
  records: number
  /** Bytes of the store's files after the calls. */
  store_bytes: number
  listen: Summary
  ready: Summary
  audit: Summary
  /** The gateway process's CPU time (all threads) by ready and by the audit page: what load does not inflate. */
  ready_cpu_ms: Summary
  audit_cpu_ms: Summary
  /**
   * Longest event-loop pause (ms) while a compaction of the records ran, how long it ran, and the most CPU
   * the process used within any one pause (a pause with little CPU in it was the machine's, not the loop's).
   */
  compaction: { max_pause_ms: number; max_pause_cpu_ms: number; duration_ms: number }
  /** 1-minute load average before and after the restarts. */
  load: [number, number]
}

const CALL: AuditEntry = { actor: 'alice', org: null, action: 'tool.execute', mcp_id: 'Abc123Def456Ghi789Jkl0', tool: 'echo', argument_names: ['message'], outcome: 'ok', duration_ms: 7 }

/** Fills `dir` (a DATA_DIR) with `n` audited calls of 50 users, as the gateway stores them. */
export async function fillAudit(dir: string, n: number): Promise<void> {
  const d = makeDeps(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dir }))
  const sink = setLogSink(() => {})
  try {
    for (let i = 0; i < n; i++) {
      audit(d, { ...CALL, actor: `user${i % 50}`, duration_ms: i % 40 })
      // Let batches go out as they fill, as under real traffic.
      if (i % 10_000 === 9_999) await auditFlushed()
    }
    await auditFlushed()
  } finally {
    setLogSink(sink)
  }
  await (await d.store()).close()
}

const accepts = (port: number) =>
  new Promise<boolean>((res) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => { s.destroy(); res(true) })
    s.once('error', () => res(false))
  })

/** One restart: spawn → port accepts → `/mcps` answers → `/audit` answers. */
async function restartOnce(dir: string, token: string): Promise<{ listen: number; ready: number; audit: number; readyCpu: number; auditCpu: number }> {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawnChild(['dist/scripts/local.js'], { env: { ...process.env, GATEWAY_MODE: 'local', PORT: String(port), DATA_DIR: dir, METADATA_SERVER_DETECTION: 'none' } })
  const auth = { headers: { authorization: `Bearer ${token}` } }
  try {
    const until = t0 + 30_000
    let listen = 0
    while (!listen) {
      if (performance.now() > until || child.proc.exitCode !== null) throw new Error(`the gateway did not listen: ${child.stderr()}`)
      if (await accepts(port)) listen = performance.now() - t0
      else await new Promise((r) => setTimeout(r, 2))
    }
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/mcps`, auth)
    if (r.status !== 200) throw new Error(`GET /mcps: ${r.status} ${await r.text()}`)
    await r.arrayBuffer()
    const ready = performance.now() - t0
    const readyCpu = await cpuMs(child.pid)
    const a = await fetch(`http://127.0.0.1:${port}/api/v1/audit?limit=1`, auth)
    const items = ((await a.json()) as { items?: unknown[] }).items
    if (a.status !== 200 || items?.length !== 1) throw new Error(`GET /audit: ${a.status}`)
    const audit = performance.now() - t0
    return { listen, ready, audit, readyCpu, auditCpu: await cpuMs(child.pid) }
  } finally {
    await child.stop()
  }
}

/** The longest event-loop pause while the store, holding `dir`'s records, compacts them. */
async function compactionPause(dir: string): Promise<RestartResult['compaction']> {
  const store = await LocalStore.open({ dir: join(dir, 'store') })
  try {
    // Wait for whatever the open started, then make the files mostly waste: one write tips them over.
    await store.find(AUDIT, { order: { field: 'at', dir: 'desc' }, limit: 1 })
    const h = monitorEventLoopDelay({ resolution: 5 })
    let max = 0
    let maxCpu = 0
    let last = performance.now()
    let lastCpu = process.cpuUsage()
    const tick = setInterval(() => {
      const now = performance.now()
      const cpu = process.cpuUsage(lastCpu)
      max = Math.max(max, now - last)
      maxCpu = Math.max(maxCpu, (cpu.user + cpu.system) / 1000)
      last = now
      lastCpu = process.cpuUsage()
    }, 5)
    h.enable()
    const t0 = performance.now()
    const before = store.stats().compactions
    // Rewrite a record of a log collection (the part holding the 100,000 records) until its files exceed twice its live data.
    const pad = 'x'.repeat(512 * 1024)
    for (let i = 0; !store.stats().compacting && store.stats().compactions === before; i++) {
      await store.update('usage', 'bench-big', () => ({ i, pad })).catch(() => store.create('usage', 'bench-big', { i, pad }))
      if (i > 10_000) throw new Error('no compaction')
    }
    await store.compacted()
    const duration = performance.now() - t0
    clearInterval(tick)
    h.disable()
    return { max_pause_ms: Math.max(max - 5, h.max / 1e6), max_pause_cpu_ms: maxCpu, duration_ms: duration }
  } finally {
    await store.close()
  }
}

export async function restartBench(o: { quick?: boolean; reps?: number } = {}): Promise<RestartResult> {
  const n = o.quick ? 10_000 : 100_000
  const reps = o.reps ?? (o.quick ? 1 : 5)
  const dir = await mkdtemp(join(tmpdir(), 'bench-restart-'))
  try {
    await fillAudit(dir, n)
    const store_bytes = readdirSync(join(dir, 'store')).reduce((s, f) => s + statSync(join(dir, 'store', f)).size, 0)
    const token = await devToken(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dir }), { user: 'user1', ttlSec: 600 })
    const l0 = loadavg()[0]!
    const runs = []
    for (let i = 0; i < reps; i++) runs.push(await restartOnce(dir, token))
    const l1 = loadavg()[0]!
    const compaction = await compactionPause(dir)
    return {
      records: n, store_bytes,
      listen: summarize(runs.map((r) => r.listen)), ready: summarize(runs.map((r) => r.ready)), audit: summarize(runs.map((r) => r.audit)),
      ready_cpu_ms: summarize(runs.map((r) => r.readyCpu)), audit_cpu_ms: summarize(runs.map((r) => r.auditCpu)),
      compaction, load: [l0, l1],
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, reps: { type: 'string' } } })
  const r = await restartBench({ quick: values.quick, ...(values.reps ? { reps: Number(values.reps) } : {}) })
  const f = (s: Summary) => `p50 ${s.p50.toFixed(0)} ms (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)}, n ${s.n})`
  process.stdout.write([
    `restart with ${r.records} audit records (${(r.store_bytes / 1e6).toFixed(1)} MB), load average ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)}`,
    `  listen: ${f(r.listen)}`,
    `  ready (GET /mcps): ${f(r.ready)}   goal ≤ 0.5 s: ${r.ready.p50 <= 500 ? 'pass' : 'FAIL'}`,
    `  first audit page: ${f(r.audit)}`,
    `  gateway CPU by ready ${r.ready_cpu_ms.p50.toFixed(0)} ms, by the audit page ${r.audit_cpu_ms.p50.toFixed(0)} ms (p50)`,
    `  compaction of ${r.records} records: longest event-loop pause ${r.compaction.max_pause_ms.toFixed(0)} ms (at most ${r.compaction.max_pause_cpu_ms.toFixed(0)} ms of CPU in one pause) over ${r.compaction.duration_ms.toFixed(0)} ms`,
    '',
  ].join('\n'))
  process.exit(0)
}
