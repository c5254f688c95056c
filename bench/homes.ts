/**
 * Item 7b: persistent stdio homes (issue 15), in process. A warm call through a
 * pool with homes and leases vs one without (interleaved: the lease costs
 * nothing on the warm path), and a cold start (spawn + initialize + first
 * call of server-memory) restoring a 1 MiB saved home vs starting with none.
 * `node dist/bench/homes.js [--quick]` runs it alone.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { loadCatalog } from '../shared/stdio/catalog.js'
import { Pool } from '../shared/stdio-pool/manager.js'
import { Homes } from '../shared/stdio-pool/homes.js'
import { LocalStore } from '../shared/adapters/store-local.js'
import { LocalBlobStore } from '../shared/adapters/homes-local.js'
import { systemClock } from '../shared/ports.js'
import type { PoolSpec } from '../shared/stdio-pool/spec.js'
import { homeOf } from '../shared/stdio-pool/paths.js'
import { interleave, summarize, type Summary } from './stats.js'
import { setLogSink } from '../shared/log.js'

export interface HomesResult {
  warm_with_homes: Summary
  warm_without: Summary
  cold_restored_1mib: Summary
  cold_without: Summary
  /** cold restored p50 / cold without p50 */
  cold_ratio: number
}

const require = createRequire(import.meta.url)

export async function homesBench(o: { rounds: number; warmup: number; coldReps: number }): Promise<HomesResult> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-homes-'))
  const catFile = join(dir, 'catalog.json')
  await writeFile(catFile, JSON.stringify({ servers: [{ id: 'memory', command: process.execPath, args: [require.resolve('@modelcontextprotocol/server-memory/dist/index.js')], fixed_env: { MEMORY_FILE_PATH: '{home}/memory.jsonl' }, limits: { max_per_owner: 50, max_processes: 50 } }] }))
  const catalog = loadCatalog(catFile)
  const store = await LocalStore.open({ dir: join(dir, 'store') })
  const blobs = new LocalBlobStore(join(dir, 'homes'))
  const key = randomBytes(32)
  const withHomes = () => {
    const homes = new Homes({ store, blobs, key, clock: systemClock, leaseTtlMs: 60_000 })
    const dataDir = join(dir, `pool-${randomBytes(4).toString('hex')}`)
    return { homes, dataDir, pool: new Pool({ catalog, dataDir, maxProcesses: 50, homes }) }
  }
  const spec = (owner: string): PoolSpec => ({ owner, mcp_id: 'bench', choice: { catalog_id: 'memory', params: {}, env: {} } })
  const call = (p: Pool, s: PoolSpec, id: number) => p.request(s, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'read_graph', arguments: {} } })
  try {
    // Warm: the same call to a running process, with and without homes.
    const a = withHomes()
    await a.homes.leases.beat()
    const b = new Pool({ catalog, dataDir: join(dir, 'pool-plain'), maxProcesses: 50 })
    await call(a.pool, spec('warm'), 0)
    await call(b, spec('warm'), 0)
    let n = 1
    const warm = await interleave({ warm_with_homes: () => call(a.pool, spec('warm'), n++), warm_without: () => call(b, spec('warm'), n++) }, o)
    // A saved home of 1 MiB (random bytes: gzip cannot shrink it) for the cold starts to restore.
    const seed = spec('cold')
    await call(a.pool, seed, 0)
    await writeFile(join(homeOf(a.dataDir, Pool.key(seed)), 'blob.bin'), randomBytes(1 << 20))
    await a.pool.shutdown(2000)
    await b.shutdown(2000)
    await a.homes.close()
    const restored: number[] = []
    const plain: number[] = []
    for (let i = 0; i < o.coldReps; i++) {
      // Restored: a fresh instance (no lease, no local home) restores 1 MiB, spawns, calls.
      const c = withHomes()
      await c.homes.leases.beat()
      let t0 = performance.now()
      const r = await call(c.pool, seed, 1)
      restored.push(performance.now() - t0)
      if (r.error) throw new Error(r.error.message)
      await c.pool.shutdown(2000)
      await c.homes.close()
      // Without: a fresh pool without homes spawns and calls.
      const d = new Pool({ catalog, dataDir: join(dir, `pool-plain-${i}`), maxProcesses: 50 })
      t0 = performance.now()
      await call(d, spec(`plain${i}`), 1)
      plain.push(performance.now() - t0)
      await d.shutdown(2000)
    }
    const cr = summarize(restored)
    const cp = summarize(plain)
    return { ...warm, cold_restored_1mib: cr, cold_without: cp, cold_ratio: cr.p50 / cp.p50 }
  } finally {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' } } })
  setLogSink(() => {})
  const r = await homesBench(values.quick ? { rounds: 10, warmup: 3, coldReps: 2 } : { rounds: 300, warmup: 30, coldReps: 10 })
  const row = (name: string, s: Summary) => `| ${name} | ${s.p50.toFixed(2)} | ${s.p95.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.n} |`
  console.log(['| path (server-memory, read_graph) | p50 ms | p95 | p99 | n |', '|---|---|---|---|---|',
    row('warm call, pool with homes and leases', r.warm_with_homes), row('warm call, pool without', r.warm_without),
    row('cold start restoring a 1 MiB home', r.cold_restored_1mib), row('cold start without a home', r.cold_without)].join('\n'))
  console.log(`\ncold restored / cold without p50: ${r.cold_ratio.toFixed(2)}× (goal < 2×)`)
}
