/**
 * The pool manager with real children: multiplexing, crash recovery with
 * backoff, hangs cured by timeout and recycle, idle eviction on an injected
 * clock, LRU at the caps, owner isolation, the child's environment, bounded
 * and redacted stderr, and no process left behind.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadCatalog, type Catalog } from '../shared/stdio/catalog.js'
import { Pool } from '../shared/stdio-pool/manager.js'
import type { PoolSpec } from '../shared/stdio-pool/spec.js'
import { homeOf } from '../shared/stdio-pool/paths.js'
import type { Msg } from '../shared/stdio-pool/process.js'
import { setLogSink } from '../shared/log.js'
import { rejects, until } from './support/assert.js'
import { alive, fakeSpec, settledUnder, text, writeTestCatalog, type TestCatalog } from './support/pool.js'

const test = suite('pool manager')
let cat: TestCatalog
let catalog: Catalog
let dataDir: string
let pool: Pool
const clock = { t: Date.now() }
const logs: string[] = []
let prevSink: (l: string) => void

const call = (s: PoolSpec, name: string, args: Record<string, unknown> = {}, id: number | string = 1, o: { onNotify?: (m: Msg) => void; meta?: object; signal?: AbortSignal } = {}) =>
  pool.request(s, { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...(o.meta ? { _meta: o.meta } : {}) } }, { onNotify: o.onNotify, signal: o.signal })

test.before(async () => {
  cat = await writeTestCatalog()
  catalog = loadCatalog(cat.file)
  dataDir = await mkdtemp(join(tmpdir(), 'pool-mgr-'))
  prevSink = setLogSink((l) => logs.push(l))
  pool = new Pool({ catalog, dataDir, maxProcesses: 6, now: () => clock.t })
})

test.after(async () => {
  await pool.shutdown(1000)
  setLogSink(prevSink)
  const left = await settledUnder(dataDir)
  await rm(dataDir, { recursive: true, force: true })
  await rm(cat.dir, { recursive: true, force: true })
  assert.equal(left, [], 'no child outlives the pool')
})

test('20 parallel calls multiplex on one server-everything process, ids mapped back', async () => {
  const s: PoolSpec = { owner: 'alice', mcp_id: 'ev', choice: { catalog_id: 'everything', params: {}, env: {} } }
  const t0 = performance.now()
  const init = await pool.initialize(s)
  const spawnMs = performance.now() - t0
  assert.is((init.serverInfo as any).name.length > 0, true)
  // Every caller uses id 7: the pool's own ids keep them apart.
  const res = await Promise.all(Array.from({ length: 20 }, (_, i) => call(s, 'echo', { message: `m${i}` }, 7)))
  res.forEach((r, i) => {
    assert.is(r.id, 7)
    assert.is(text(r), `Echo: m${i}`)
  })
  const lat: number[] = []
  for (let i = 0; i < 50; i++) {
    const t = performance.now()
    await call(s, 'echo', { message: 'x' })
    lat.push(performance.now() - t)
  }
  lat.sort((a, b) => a - b)
  console.log(`  everything: spawn+initialize ${spawnMs.toFixed(0)} ms, warm echo p50 ${lat[25]!.toFixed(2)} ms (in-process pool)`)
  const st = pool.stats()
  assert.is(st.spawns, 1)
  assert.is(st.size, 1)
  assert.ok(st.hits >= 70)
})

test('progress is routed by token to its own request, tokens mapped back', async () => {
  const s = fakeSpec('alice', 'prog')
  const seen: Record<'a' | 'b', number[]> = { a: [], b: [] }
  const [a, b] = await Promise.all(
    (['a', 'b'] as const).map((k) => call(s, 'progress', { steps: k === 'a' ? 3 : 5 }, 1, { meta: { progressToken: 'tok' }, onNotify: (m) => { assert.is(m.params!.progressToken, 'tok'); seen[k].push(m.params!.progress) } })),
  )
  assert.is(text(a!), 'steps 3')
  assert.is(text(b!), 'steps 5')
  assert.equal(seen.a, [1, 2, 3])
  assert.equal(seen.b, [1, 2, 3, 4, 5])
})

test('cancellation reaches the child under the pool id: caller gone, or notifications/cancelled', async () => {
  const s = fakeSpec('alice', 'cancel')
  const ac = new AbortController()
  const gone = call(s, 'hang', {}, 1, { signal: ac.signal })
  setTimeout(() => ac.abort(), 50)
  await rejects(() => gone)
  const named = call(s, 'hang', {}, 'c-77')
  await until(() => pool.stats().in_flight === 1, 'the named call in flight')
  pool.cancel(s, 'c-77', 'user stopped it')
  await rejects(() => named)
  const ids = JSON.parse(text(await call(s, 'cancelled')))
  assert.is(ids.length, 2)
  assert.ok(ids.every((id: unknown) => typeof id === 'number' && id !== 1), 'pool ids, not the callers\' ids')
  assert.is(pool.stats().in_flight, 0)
})

test('a child killed mid-call fails that call fast; the next call restarts it', async () => {
  const s = fakeSpec('alice', 'crashy')
  const pid1 = Number(text(await call(s, 'pid')))
  const before = pool.stats().crashes
  const t = performance.now()
  const p = call(s, 'hang')
  setTimeout(() => process.kill(pid1, 'SIGKILL'), 100)
  await rejects(() => p, (e) => e.code === 'upstream_error')
  assert.ok(performance.now() - t < 800, 'failed fast, not at the 1.5 s timeout')
  assert.is(pool.stats().crashes, before + 1)
  const pid2 = Number(text(await call(s, 'pid')))
  assert.is.not(pid2, pid1)
  // A crash from inside (exit during a request) too.
  await rejects(() => call(s, 'crash'), (e) => e.code === 'upstream_error')
  assert.is(text(await call(s, 'echo', { text: 'back' })), 'back')
  assert.ok(logs.some((l) => l.includes('"stdio pool crash"') && l.includes('"crashes"')), 'a stats line per crash')
})

test('crash loops back off: past the wait a call gets 503 with retry_after', async () => {
  const s = fakeSpec('alice', 'looping')
  for (let i = 0; i < 4; i++) await rejects(() => call(s, 'crash'))
  // 250, 500, 1000, 2000 ms: the last is longer than a call waits.
  const e = await rejects(() => call(s, 'pid'), (e) => e.code === 'unavailable')
  assert.ok(e.extra.retry_after >= 1)
})

test('a hung request times out (504) and its process is recycled', async () => {
  const s = fakeSpec('alice', 'hung')
  const pid1 = Number(text(await call(s, 'pid')))
  const hang = call(s, 'hang')
  await new Promise((r) => setTimeout(r, 300))
  // Another call on the same process fails with it (502), well before its own timeout.
  const other = call(s, 'echo', { text: 'bystander', delay_ms: 5000 })
  await rejects(() => hang, (e) => e.code === 'upstream_timeout' && e.status === 504)
  await rejects(() => other, (e) => e.code === 'upstream_error')
  await until(() => !alive(pid1), 'the hung process to be killed')
  assert.ok(pool.stats().timeouts >= 1)
  const pid2 = Number(text(await call(s, 'pid')))
  assert.is.not(pid2, pid1)
})

test('idle processes are evicted after the TTL (injected clock)', async () => {
  const s = fakeSpec('carol', 'idle')
  const pid = Number(text(await call(s, 'pid')))
  assert.is(pool.sweep(), 0)
  clock.t += 60_001
  const evictions = pool.stats().evictions
  assert.ok(pool.sweep() >= 1)
  assert.ok(pool.stats().evictions > evictions)
  await until(() => !alive(pid), 'the idle process to exit')
  assert.is(pool.peek(s), undefined)
})

test('per-owner cap: the least recently used idle process goes; busy ones never do', async () => {
  const [a, b, c] = (['m1', 'm2', 'm3'] as const).map((m) => fakeSpec('dave', m)) as [PoolSpec, PoolSpec, PoolSpec]
  const pa = Number(text(await call(a, 'pid')))
  const pb = Number(text(await call(b, 'pid')))
  clock.t += 10
  await call(a, 'pid') // b is now the least recently used
  clock.t += 10
  const pc = Number(text(await call(c, 'pid')))
  await until(() => !alive(pb), 'b to be evicted')
  assert.ok(alive(pa) && alive(pc))
  // Both of dave's processes busy: a third config gets 503, nothing is evicted.
  const busy = [call(a, 'echo', { text: '1', delay_ms: 600 }), call(c, 'echo', { text: '2', delay_ms: 600 })]
  await until(() => pool.stats().in_flight >= 2, 'both calls in flight')
  const e = await rejects(() => call(b, 'pid'), (e) => e.code === 'unavailable' && e.status === 503)
  assert.ok(e.extra.retry_after > 0)
  assert.equal((await Promise.all(busy)).map(text), ['1', '2'])
  // Another owner is not affected by dave's cap.
  assert.ok(Number(text(await call(fakeSpec('erin', 'm1'), 'pid'))) > 0)
})

test('instance cap: LRU eviction across owners', async () => {
  const small = new Pool({ catalog, dataDir, maxProcesses: 2, now: () => clock.t })
  try {
    const pids: number[] = []
    for (const o of ['o1', 'o2', 'o3']) {
      clock.t += 10
      pids.push(Number(text(await small.request(fakeSpec(o, 'x'), { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'pid' } }))))
    }
    await until(() => !alive(pids[0]!), 'the least recently used process to exit')
    assert.equal(pids.map(alive), [false, true, true])
    assert.is(small.stats().size, 2)
    assert.is(small.stats().evictions, 1)
  } finally {
    await small.shutdown(1000)
  }
})

test('owners never share a process, even for the same MCP and config', async () => {
  const [x, y] = [fakeSpec('frank', 'same'), fakeSpec('grace', 'same')]
  const [px, py] = await Promise.all([call(x, 'pid'), call(y, 'pid')])
  assert.is.not(text(px), text(py))
  const [cx, cy] = await Promise.all([call(x, 'cwd'), call(y, 'cwd')])
  assert.is.not(text(cx), text(cy))
  assert.ok(text(cx).startsWith(dataDir + '/'))
})

test('the child gets exactly the safe base plus declared vars; secrets never reach the log', async () => {
  const secret = 's3cr3t-value-' + Math.random().toString(36).slice(2)
  const s = fakeSpec('heidi', 'env', { FAKE_TOKEN: secret })
  const from = logs.length
  const env = JSON.parse(text(await call(s, 'env')))
  assert.equal(Object.keys(env).sort(), ['FAKE_TOKEN', 'HOME', 'LANG', 'NODE_ENV', 'PATH'])
  assert.is(env.HOME, text(await call(s, 'cwd')))
  await call(s, 'stderr', { lines: 200, text: `leak ${secret} leak` })
  // This process's stderr (a start-up line naming the token, then 200 lines): wait until its per-minute budget of 64 lines is spent.
  const stderr = () => logs.slice(from).filter((l) => l.includes('"stdio stderr"'))
  await until(() => stderr().length >= 64, '64 stderr lines logged')
  const lines = stderr()
  assert.ok(lines.length > 0 && lines.length <= 64, `bounded: ${lines.length}`)
  assert.ok(lines.every((l) => l.includes('[redacted]')))
  assert.not.ok(logs.some((l) => l.includes(secret)), 'the secret never appears')
  assert.is(JSON.parse(lines[0]!).catalog_id, 'fake')
})

test('a path parameter that leaves its home through a symlink is 400 at spawn, and nothing starts or is created outside', async () => {
  const outside = await mkdtemp(join(tmpdir(), 'pool-outside-'))
  try {
    const before = pool.stats().spawns
    for (const [root, link] of [['link', 'link'], ['link/sub', 'link'], ['deep/link/sub', 'deep/link'], ['dangling', 'dangling']] as const) {
      const s: PoolSpec = { owner: 'judy', mcp_id: `fs-${root}`, choice: { catalog_id: 'filesystem', params: { root }, env: {} } }
      // Planted in judy's own home, where only a process of hers could have written it.
      const home = homeOf(dataDir, Pool.key(s))
      await mkdir(join(home, link, '..'), { recursive: true })
      await symlink(link === 'dangling' ? join(outside, 'made-by-the-link') : outside, join(home, link))
      const e = await rejects(() => pool.initialize(s), (e) => e.code === 'invalid_request', root)
      assert.is(e.extra.errors[0].path, '/config/params/root')
    }
    assert.is(pool.stats().spawns, before, 'no process started')
    assert.not.ok(existsSync(join(outside, 'sub')), 'create: "dir" made nothing through the link')
    assert.not.ok(existsSync(join(outside, 'made-by-the-link')))
    // The same root without a planted link is made inside the home and served.
    const ok: PoolSpec = { owner: 'judy', mcp_id: 'fs-ok', choice: { catalog_id: 'filesystem', params: { root: 'link/sub' }, env: {} } }
    const r = await call(ok, 'list_allowed_directories')
    assert.match(text(r), join(homeOf(dataDir, Pool.key(ok)), 'link/sub'))
  } finally {
    await rm(outside, { recursive: true, force: true })
  }
})

test('shutdown stops the whole process group, grandchildren included', async () => {
  const s = fakeSpec('ivan', 'gc')
  const grandchild = Number(text(await call(s, 'grandchild')))
  assert.ok(alive(grandchild))
  const st = pool.stats()
  assert.equal(Object.keys(st).sort(), ['busy', 'crashes', 'evictions', 'hits', 'in_flight', 'max_processes', 'misses', 'size', 'spawns', 'starting', 'timeouts'])
  const t = performance.now()
  await pool.shutdown(1000)
  console.log(`  shutdown of ${st.size} processes: ${(performance.now() - t).toFixed(0)} ms`)
  // SIGKILL is sent; under a loaded machine the kernel may take a moment to retire the process.
  for (const until = Date.now() + 2000; alive(grandchild) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20))
  assert.not.ok(alive(grandchild))
  assert.equal(await settledUnder(dataDir), [])
  await rejects(() => call(s, 'pid'), (e) => e.code === 'unavailable')
})

test.run()
