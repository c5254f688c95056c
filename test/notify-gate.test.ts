/**
 * The notification gate (shared/mcp/notify.ts) and the SSE gate under the
 * guarded fetch: list_changed once, progress at most 10 a second with the
 * latest one released before the answer, other notifications capped, and
 * responses always through.
 */
import { createServer, type Server, type ServerResponse } from 'node:http'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { CALL_LIMITS, NotificationGate, STREAM_LIMITS, type Message } from '../shared/mcp/notify.js'
import { guardedFetch } from '../shared/egress/fetch.js'
import type { EgressPolicy } from '../shared/egress/policy.js'

const test = suite('notification gate')

const run = (g: NotificationGate, ms: Message[]) => {
  const out: Message[] = []
  for (const m of ms) g.pass(m, (x) => out.push(x!))
  return out
}
const listChanged = (what = 'tools') => ({ jsonrpc: '2.0', method: `notifications/${what}/list_changed` })
const progress = (token: string | number, progress: number) => ({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress } })
const logLine = (i: number) => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: i } })

test('list_changed goes once per method in a call', () => {
  const g = new NotificationGate()
  const out = run(g, [listChanged(), listChanged(), listChanged('prompts'), listChanged(), listChanged('prompts')])
  assert.equal(out.map((m) => m.method), ['notifications/tools/list_changed', 'notifications/prompts/list_changed'])
  assert.is(g.dropped.list_changed, 3)
})

test('progress: a burst of 10, then at most 10 a second; the latest held goes just before its answer', () => {
  let now = 0
  const g = new NotificationGate(CALL_LIMITS, () => now)
  const out: Message[] = []
  const emit = (x: Message | undefined) => out.push(x!)
  for (let i = 0; i < 1000; i++) {
    now = i // 1000 notifications over one second
    g.pass(progress(7, i), emit)
  }
  const seen = out.map((m) => (m.params as { progress: number }).progress)
  assert.equal(seen.slice(0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  assert.ok(out.length >= 18 && out.length <= 20, `${out.length}: ${seen}`)
  g.pass({ jsonrpc: '2.0', id: 7, result: {} }, emit)
  assert.equal((out.at(-2)!.params as { progress: number }).progress, 999)
  assert.ok('result' in out.at(-1)!)
  // The one held and released late counts as dropped when it was held.
  assert.is(g.dropped.progress, 1000 - (out.length - 2))
})

test('log lines, resource updates, unknown notifications and server requests: 100 in all per call', () => {
  const g = new NotificationGate()
  const out = run(g, [
    ...Array.from({ length: 80 }, (_, i) => logLine(i)),
    ...Array.from({ length: 80 }, (_, i) => ({ jsonrpc: '2.0', method: i % 2 ? 'notifications/resources/updated' : 'notifications/x-flood', params: {} })),
    { jsonrpc: '2.0', id: 'srv', method: 'ping' },
    { jsonrpc: '2.0', id: 1, result: {} },
  ])
  assert.is(out.length, 101)
  assert.ok('result' in out.at(-1)!, 'the answer always passes')
  assert.is(g.dropped.other, 61)
})

test('on a long-lived stream the counts start again every window', () => {
  let now = 0
  const g = new NotificationGate(STREAM_LIMITS, () => now)
  assert.is(run(g, [listChanged(), listChanged()]).length, 1)
  now += STREAM_LIMITS.windowMs
  assert.is(run(g, [listChanged(), listChanged()]).length, 1)
})

// --- under the guarded fetch -------------------------------------------------

const policy: EgressPolicy = { requireHttps: false, allowLoopback: true, allowlist: [] }
let server: Server
let base: string
let answer: (res: ServerResponse) => void = (res) => res.end()
test.before(async () => {
  server = createServer((req, res) => req.resume().on('end', () => answer(res)))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`
})
test.after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }))

const RESULT = { jsonrpc: '2.0', id: 1, result: { content: [] } }
const frame = (m: unknown) => `event: message\ndata: ${JSON.stringify(m)}\n\n`
const gated = (collect: boolean) => guardedFetch(policy, { maxBytes: 1 << 20, collect: () => collect, gate: () => new NotificationGate() })
const post = (f: ReturnType<typeof guardedFetch>) => f(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })

test('a collected SSE answer keeps one list_changed of 10,000, then the response', async () => {
  answer = (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.end(frame(listChanged()).repeat(10_000) + frame(RESULT))
  }
  assert.equal(await (await post(gated(true))).json(), [listChanged(), RESULT])
})

test('a streamed SSE answer, and one handed over because the server asked something, are gated too', async () => {
  const ping = { jsonrpc: '2.0', id: 'srv-1', method: 'ping' }
  for (const [collect, head] of [[false, ''], [true, frame(ping)]] as const) {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(head + frame(listChanged()).repeat(5_000) + frame(logLine(1)).repeat(500) + frame(RESULT))
    }
    const r = await post(gated(collect))
    assert.is(r.headers.get('content-type'), 'text/event-stream')
    const events = (await r.text()).split('\n\n').filter(Boolean).map((e) => JSON.parse(e.split('data: ')[1]!))
    assert.is(events.filter((m) => m.method === 'notifications/tools/list_changed').length, 1)
    assert.is(events.filter((m) => m.method === 'notifications/message').length, head ? 99 : 100)
    assert.equal(events.at(-1), RESULT)
  }
})

test('a JSON batch answer is gated', async () => {
  answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify([...Array.from({ length: 1000 }, () => listChanged()), RESULT]))
  }
  assert.equal(await (await post(gated(false))).json(), [listChanged(), RESULT])
})

test.run()
