/**
 * The benchmark's quick mode, run as part of the suite so the bench cannot rot.
 * Only the SHAPE of the output is checked (every row present, numbers finite,
 * files written); speed is never asserted.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runBench, type Results } from '../bench/run.js'
import type { Summary } from '../bench/stats.js'

const test = suite('bench smoke')
let dir = ''
let out: Awaited<ReturnType<typeof runBench>>

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-bench-smoke-'))
  out = await runBench({ quick: true, out: join(dir, 'latest.json'), progress: () => {} })
})

test.after(async () => {
  await rm(dir, { recursive: true, force: true })
})

const finite = (n: unknown, what: string) => assert.ok(typeof n === 'number' && Number.isFinite(n), `${what} is a finite number (got ${n})`)
function summary(s: Summary, what: string) {
  for (const k of ['p50', 'p95', 'p99', 'throughput'] as const) finite(s[k], `${what}.${k}`)
  assert.ok(s.n > 0, `${what} has samples`)
  assert.is(s.errors, 0, `${what} had no errors`)
}

test('writes the JSON and the Markdown it prints', async () => {
  const json: Results = JSON.parse(await readFile(out.json, 'utf8'))
  assert.equal(json.goals, out.results.goals)
  assert.is(await readFile(out.md, 'utf8'), out.markdown)
  for (const h of ['## Goals', '## 1.', '## 2.', '## 3.', '## 4.', '## 5.', '## 6.', '## 7.', '## 8.', '## 9.', '## 10.']) assert.ok(out.markdown.includes(h), h)
  assert.ok(out.markdown.includes('stdio via the warm pool'))
  assert.ok(json.meta.quick)
  finite(json.meta.cpus, 'cpus')
})

test('agent proxy: both downstream eras against REST execute, per upstream era, with the goal line', () => {
  const r = out.results
  assert.is(r.agent?.length, 2)
  for (const x of r.agent!) {
    for (const k of ['proxy_2025', 'proxy_2026', 'fetch_2025', 'fetch_2026', 'rest_execute', 'direct_warm'] as const) summary(x.latency[k], `${x.upstream} ${k}`)
    finite(x.ratio_2025, 'ratio 2025')
    finite(x.ratio_2026, 'ratio 2026')
    finite(x.ratio_fetch_2025, 'ratio 2025, fetch client')
    finite(x.ratio_fetch_2026, 'ratio 2026, fetch client')
  }
  assert.ok(r.goals.some((g) => g.goal.startsWith('agent proxy p50 ≤ 1.1× REST execute, SDK client')))
  assert.ok(r.goals.some((g) => g.goal.startsWith('agent proxy p50 ≤ 1.1× REST execute, same HTTP client as REST')))
  // Both goal lines, told apart, and the SDK client's rows kept.
  assert.ok(out.markdown.includes('proxy (SDK client) / REST') && out.markdown.includes('proxy (same HTTP client as REST) / REST'))
  assert.ok(out.markdown.includes('proxy 2026, SDK client') && out.markdown.includes('proxy 2026, fetch'))
  assert.is(r.agent![0]!.session.upstream_initialize, 0)
})

test('execute latency: gateway, warm and short-lived rows for both protocol generations', () => {
  const r = out.results
  assert.equal(r.latency.map((l) => l.era), ['legacy', 'modern', 'legacy'], 'legacy.ts, modern.ts, server-everything')
  for (const l of r.latency) {
    summary(l.gateway, `${l.era} gateway`)
    summary(l.direct_warm, `${l.era} warm`)
    summary(l.gateway_vs_short, `${l.era} gateway (short pair)`)
    summary(l.direct_short, `${l.era} short`)
    finite(l.ratio_p50, 'ratio')
    finite(l.delta_p95_ms, 'delta p95')
  }
})

test('the floor: a bare proxy hop is measured against the same direct session, per server', () => {
  const r = out.results
  assert.equal(r.floor.map((x) => x.server), r.latency.map((l) => l.server))
  for (const x of r.floor) {
    summary(x.proxy, `${x.server} proxy`)
    summary(x.direct_warm, `${x.server} direct`)
    finite(x.ratio_p50, 'floor ratio')
  }
  assert.ok(out.markdown.includes('a bare proxy hop alone'), 'the goal line quotes the floor')
})

test('upstream counts, store ops and listing have cold and warm rows', () => {
  const r = out.results
  assert.is(r.upstream.length, 2)
  for (const u of r.upstream) {
    assert.ok(u.cold.posts >= 1 && u.warm.posts >= 1, 'the upstream saw POSTs')
    assert.ok(u.cold.jsonrpc.includes('tools/call'))
  }
  assert.is(r.store_ops.length, 1)
  for (const p of [r.store_ops[0]!.cold, r.store_ops[0]!.warm]) {
    finite(p.store.reads, 'store reads')
    finite(p.vault.reads, 'vault reads')
  }
  assert.is(r.listing.length, 3, 'legacy, modern (ttlMs 0), modern with a ttl hint')
  for (const l of r.listing) { summary(l.cold, 'cold listing'); summary(l.warm, 'warm listing') }
})

test('cold start and throughput rows are present and finite', () => {
  const r = out.results
  assert.equal(r.cold_start.map((c) => c.function), ['trivial', 'registry'])
  for (const c of r.cold_start) { finite(c.spawn_to_2xx.p50, `${c.function} cold start`); finite(c.ratio_vs_trivial, 'ratio') }
  assert.equal(r.cold_start[0]!.heavy_modules, [], 'the trivial function loads nothing heavy')
  assert.is(r.throughput.length, 2)
  for (const t of r.throughput) {
    assert.ok(t.levels.length >= 1)
    for (const l of t.levels) {
      finite(l.gateway.throughput, 'gateway calls/s')
      finite(l.direct.throughput, 'direct calls/s')
      assert.ok(l.gateway.calls > 0 && l.direct.calls > 0)
    }
  }
})

test('rate limiter: execute with and without limits, per store, and the limiter alone', () => {
  const [r] = out.results.rate_limit
  assert.ok(r, 'item 8 ran')
  assert.ok(r!.pairs.length >= 1 && r!.pairs[0]!.store === 'memory')
  for (const p of r!.pairs) {
    summary(p.without, `${p.store} without limits`)
    summary(p.with, `${p.store} with limits`)
    finite(p.added_p50_ms, 'added p50')
  }
  finite(r!.alone.memory_take.p50, 'memory take')
  assert.ok(r!.pairs.length === 2 ? r!.alone.redis_ping !== null : r!.note !== null, 'a Redis row, or a note saying why not')
})

test('elicitation: a round trip through the gateway and directly, for both eras', () => {
  const es = out.results.elicitation
  assert.is(es.length, 2)
  for (const e of es) {
    summary(e.gateway, `${e.era} gateway round trip`)
    summary(e.direct, `${e.era} direct round trip`)
    finite(e.added_p50_ms, 'added p50')
    // The plain pair its goal compares with, measured in the same loop.
    summary(e.plain_gateway!, `${e.era} plain execute in the loop`)
    summary(e.plain_direct!, `${e.era} plain direct call in the loop`)
    finite(e.plain_overhead_ms, 'plain overhead in the loop')
    const g = out.results.goals.find((x) => x.goal.startsWith('elicitation round') && x.goal.includes(e.server))
    assert.ok(g && g.pass !== null && g.measured.includes(`plain execute overhead ${e.plain_overhead_ms!.toFixed(2)} ms`), `the goal uses the loop's overhead (${g?.measured})`)
  }
})

test('every goal has a verdict or says why not', () => {
  for (const g of out.results.goals) {
    assert.type(g.goal, 'string')
    assert.type(g.measured, 'string')
    assert.ok(g.pass === null || typeof g.pass === 'boolean')
  }
})

test.run()
