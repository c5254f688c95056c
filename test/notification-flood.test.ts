/**
 * Notification floods from a hostile upstream (issue 10, finding 5): a call
 * whose answer carries 100,000 notifications completes with the answer, the
 * gateway's memory stays bounded, `list_changed` is acted on once per call,
 * progress reaches the caller in a burst of 10, then at most 10 a second, other
 * notifications are capped, the call's `timeout_ms` holds, and another
 * user's request made meanwhile completes promptly.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { startHostileNotify, type HostileNotifyHandle } from './servers/hostile-notify.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { parseSse } from './support/sse.js'
import { fakeSpec, poolHeaders, writeTestCatalog, type TestCatalog } from './support/pool.js'
import { stopPool } from '../shared/stdio-pool/instance.js'
import { rm } from 'node:fs/promises'

/** RSS growth allowed while one flooded call runs (before the fix: about 800 MB for list_changed, 400 MB for progress). */
const RSS_BOUND_MB = 150
/** Another user's echo, made while the flood is being handled (generous: two shared cores). */
const OTHER_BOUND_MS = 2_000
/** The flood: 100,000 list_changed, about 8.4 MB of SSE, under the 10 MiB cap. */
const FLOOD = 100_000
/** Progress and log notifications are longer: 50,000 stay under the cap (about 6 MB). */
const UNDER_CAP = 50_000
const TIMEOUT_MS = 3_000
/** How far past `timeout_ms` the 504 may come (a busy machine, not a stretched timer). */
const TIMEOUT_SLACK_MS = 1_500

const test = suite('notification floods')
let gw: Gateway
let hostile: HostileNotifyHandle
let plain: ModernServerHandle
let alice: string
let bob: string
let bobEcho: string
let cat: TestCatalog
const ids: Record<string, string> = {}
const figures: Record<string, unknown> = {}

const transports = ['legacy', 'modern', 'sse'] as const
const endpointOf = (t: (typeof transports)[number]) => (t === 'legacy' ? hostile.url : t === 'modern' ? hostile.modernUrl : hostile.sseUrl)

test.before(async () => {
  cat = await writeTestCatalog({ fake: { request_timeout_ms: 30_000 } })
  ;[gw, hostile, plain] = await Promise.all([startGateway({ env: { STDIO_CATALOG: cat.file } }), startHostileNotify(), startModernServer()])
  alice = await gw.token('alice')
  bob = await gw.token('bob')
  for (const t of transports) {
    for (const [suffix, timeout_ms] of [['', 60_000], ['-short', TIMEOUT_MS]] as const) {
      const r = await gw.req('POST', '/mcps', { token: alice, body: { name: `hostile-${t}${suffix}`, type: t === 'sse' ? 'sse' : 'http', endpoint: endpointOf(t), auth_type: 'none', config: { timeout_ms } } })
      assert.is(r.status, 201, r.text)
      ids[t + suffix] = r.json.id
    }
  }
  const b = await gw.req('POST', '/mcps', { token: bob, body: { name: 'plain', type: 'http', endpoint: plain.url, auth_type: 'none' } })
  assert.is(b.status, 201, b.text)
  bobEcho = b.json.id
})

test.after(async () => {
  console.log(`  notification floods: ${JSON.stringify(figures)}`)
  await Promise.allSettled([hostile?.stop(), plain?.stop()])
  await gw?.close()
  await stopPool(2000)
  await rm(cat.dir, { recursive: true, force: true })
})

/**
 * Runs `call` while sampling RSS and, in a loop, another user's echo; returns
 * the call's outcome, the RSS growth (MB) and the slowest of the other calls.
 */
async function underFlood<T>(call: () => Promise<T>): Promise<{ r: T; rssMb: number; otherMs: number; ms: number }> {
  const base = process.memoryUsage().rss
  let peak = base
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 20)
  let done = false
  let otherMs = 0
  let otherFailed = ''
  const other = (async () => {
    while (!done) {
      const t0 = performance.now()
      const r = await gw.req('POST', `/mcps/${bobEcho}/tools/echo/execute`, { token: bob, body: { arguments: { message: 'meanwhile' } } }).catch((e) => ({ status: 0, text: String(e) }))
      otherMs = Math.max(otherMs, performance.now() - t0)
      if (r.status !== 200) otherFailed ||= `${r.status} ${r.text.slice(0, 200)}`
      await new Promise((res) => setTimeout(res, 50))
    }
  })()
  const t0 = performance.now()
  try {
    const r = await call()
    const ms = performance.now() - t0
    done = true
    await other
    assert.is(otherFailed, '', `another user's call failed: ${otherFailed}`)
    return { r, rssMb: (peak - base) / 2 ** 20, otherMs, ms }
  } finally {
    done = true
    clearInterval(sampler)
    await other
  }
}

const exec = (id: string, args: unknown) => gw.req('POST', `/mcps/${id}/tools/flood/execute`, { token: alice, body: { arguments: args } })

async function stream(id: string, args: unknown): Promise<{ status: number; events: { event: string; data: any }[] }> {
  const res = await fetch(`${gw.base}/mcps/${id}/tools/flood/execute`, {
    method: 'POST',
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ arguments: args }),
    signal: AbortSignal.timeout(60_000),
  })
  const text = await res.text()
  return { status: res.status, events: res.ok ? parseSse(text) : [] }
}

for (const t of transports) {
  test(`${t}: 100,000 tools/list_changed on one answer: the answer arrives, memory stays bounded, another user is not stalled`, async () => {
    const { r, rssMb, otherMs, ms } = await underFlood(() => exec(ids[t]!, { kind: 'list_changed', count: FLOOD }))
    figures[`${t} list_changed`] = { ms: Math.round(ms), rss_mb: Math.round(rssMb), other_ms: Math.round(otherMs) }
    assert.is((r as Res).status, 200, (r as Res).text.slice(0, 300))
    assert.is((r as Res).json.content[0].text, 'survived')
    assert.ok(rssMb < RSS_BOUND_MB, `RSS grew ${rssMb.toFixed(0)} MB`)
    assert.ok(otherMs < OTHER_BOUND_MS, `another user's call took ${otherMs.toFixed(0)} ms`)
    if (t !== 'sse') {
      // Acted on once: the rest were dropped before the SDK saw them, and the request's log line says so.
      const noted = gw.logs.map((l) => JSON.parse(l)).filter((l) => l.notifications_dropped).at(-1)
      assert.is(noted?.notifications_dropped?.list_changed, FLOOD - 1, JSON.stringify(noted))
    }
  })

  test(`${t}: a streamed call flooded with 50,000 progress notifications forwards a burst of 10, then at most 10 a second`, async () => {
    const { r, rssMb, otherMs, ms } = await underFlood(() => stream(ids[t]!, { kind: 'progress', count: UNDER_CAP }))
    const progress = r.events.filter((e) => e.event === 'progress').length
    figures[`${t} progress`] = { ms: Math.round(ms), rss_mb: Math.round(rssMb), other_ms: Math.round(otherMs), forwarded: progress }
    assert.is(r.status, 200)
    assert.is(r.events.at(-1)?.event, 'result', JSON.stringify(r.events.at(-1)))
    assert.ok(progress >= 1, 'no progress at all')
    assert.ok(progress <= 12 + (ms / 1000) * 10, `${progress} progress events in ${ms.toFixed(0)} ms`)
    assert.ok(rssMb < RSS_BOUND_MB, `RSS grew ${rssMb.toFixed(0)} MB`)
    assert.ok(otherMs < OTHER_BOUND_MS, `another user's call took ${otherMs.toFixed(0)} ms`)
  })

  test(`${t}: a streamed call flooded with log, resource and unknown notifications: logs capped, the answer arrives`, async () => {
    const { r, rssMb, otherMs, ms } = await underFlood(() => stream(ids[t]!, { kind: 'mixed', count: UNDER_CAP }))
    const logs = r.events.filter((e) => e.event === 'log').length
    figures[`${t} mixed`] = { ms: Math.round(ms), rss_mb: Math.round(rssMb), other_ms: Math.round(otherMs), logs }
    assert.is(r.status, 200)
    assert.is(r.events.at(-1)?.event, 'result', JSON.stringify(r.events.at(-1)))
    assert.ok(logs <= 100, `${logs} log events`)
    assert.ok(rssMb < RSS_BOUND_MB, `RSS grew ${rssMb.toFixed(0)} MB`)
    assert.ok(otherMs < OTHER_BOUND_MS, `another user's call took ${otherMs.toFixed(0)} ms`)
  })

  test(`${t}: a flood that never ends is cut at timeout_ms, not later`, async () => {
    const { r, otherMs, ms } = await underFlood(() => exec(ids[`${t}-short`]!, { kind: 'mixed', forever: true }))
    figures[`${t} endless`] = { ms: Math.round(ms), other_ms: Math.round(otherMs) }
    // 504, or 502 when the flood passes the byte cap first (a fast server): either way, in time.
    assert.ok(['upstream_timeout', 'upstream_response_too_large'].includes((r as Res).json?.code), (r as Res).text.slice(0, 300))
    assert.ok(ms < TIMEOUT_MS + TIMEOUT_SLACK_MS, `${ms.toFixed(0)} ms for a ${TIMEOUT_MS} ms timeout`)
    assert.ok(otherMs < OTHER_BOUND_MS, `another user's call took ${otherMs.toFixed(0)} ms`)
  })
}

test('a flood past MAX_RESULT_BYTES is 502 upstream_response_too_large: every notification byte counts, dropped or not', async () => {
  const { r, rssMb, otherMs } = await underFlood(() => stream(ids.modern!, { kind: 'progress', count: 150_000 }))
  figures['modern progress over the cap'] = { rss_mb: Math.round(rssMb), other_ms: Math.round(otherMs) }
  assert.is(r.events.at(-1)?.event, 'error', JSON.stringify(r.events.at(-1)))
  assert.is(r.events.at(-1)?.data.code, 'upstream_response_too_large')
  assert.ok(rssMb < RSS_BOUND_MB, `RSS grew ${rssMb.toFixed(0)} MB`)
})

test('stdio: the pool forwards a flooded call\'s progress at most about 10 a second and at most 100 log lines', async () => {
  const headers = { ...(await poolHeaders(gw.deps, fakeSpec('alice', 'flood'))), 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
  const post = async (args: Record<string, unknown>) => {
    const t0 = performance.now()
    const res = await fetch(`${gw.url}/api/v1/pool/mcp`, {
      method: 'POST', headers, signal: AbortSignal.timeout(60_000),
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'flood', arguments: args, _meta: { progressToken: 'tok' } } }),
    })
    const events = parseSse(await res.text())
    return { events, ms: performance.now() - t0 }
  }
  const p = await post({ kind: 'progress', count: UNDER_CAP })
  const progress = p.events.filter((e) => e.data.method === 'notifications/progress')
  assert.is(p.events.at(-1)?.data.result?.content?.[0]?.text, 'flooded')
  assert.ok(progress.length >= 1 && progress.length <= 12 + (p.ms / 1000) * 10, `${progress.length} progress in ${p.ms.toFixed(0)} ms`)
  assert.ok(progress.every((e) => e.data.params.progressToken === 'tok'))
  assert.is(progress.at(-1)!.data.params.progress, UNDER_CAP - 1, 'the last progress goes just before the answer')
  const l = await post({ kind: 'log', count: UNDER_CAP })
  const logs = l.events.filter((e) => e.data.method === 'notifications/message')
  assert.is(l.events.at(-1)?.data.result?.content?.[0]?.text, 'flooded')
  assert.is(logs.length, 100)
  figures['stdio pool'] = { progress: progress.length, progress_ms: Math.round(p.ms), logs: logs.length }
})

test('stdio: a streamed execute flooded with progress through the gateway: bounded, and another user is not stalled', async () => {
  const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'fake', type: 'stdio', config: { catalog_id: 'fake', env: { FAKE_TOKEN: 'x' } } } })
  assert.is(c.status, 201, c.text)
  const { r, rssMb, otherMs, ms } = await underFlood(() => stream(c.json.id, { kind: 'progress', count: UNDER_CAP }))
  const progress = r.events.filter((e) => e.event === 'progress').length
  figures['stdio progress'] = { ms: Math.round(ms), rss_mb: Math.round(rssMb), other_ms: Math.round(otherMs), forwarded: progress }
  assert.is(r.events.at(-1)?.event, 'result', JSON.stringify(r.events.at(-1)))
  assert.ok(progress <= 12 + (ms / 1000) * 10, `${progress} progress events in ${ms.toFixed(0)} ms`)
  assert.ok(rssMb < RSS_BOUND_MB, `RSS grew ${rssMb.toFixed(0)} MB`)
  assert.ok(otherMs < OTHER_BOUND_MS, `another user's call took ${otherMs.toFixed(0)} ms`)
})

test.run()
