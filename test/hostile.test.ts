/**
 * Hostile upstreams: for each way an MCP server can misbehave
 * (test/servers/hostile.ts, in a process of its own), the gateway
 *
 * - answers in bounded time (the config's timeout plus slack) with a
 *   problem+json, or with a clean result where that is right;
 * - grows its RSS by less than RSS_BOUND_MB, at the peak (sampled) and after
 *   a GC;
 * - keeps serving: bob's `echo` against a healthy server, repeated all the
 *   while, never takes longer than OTHER_USER_MS. This is what catches a
 *   stalled event loop.
 *
 * A table of the figures is printed. Modes whose fix is on another branch
 * (PENDING_FIXES) are skipped loudly; HOSTILE_PENDING=run runs them anyway.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { DEEP, FLOOD, HUGE_BYTES, MODES, PROGRESS, SCHEMA_PROPERTIES, TOOLS, startHostileServer, type Era, type HostileServer, type Mode } from './servers/hostile.js'
import { parseSse } from './support/sse.js'

/** alice's hostile configs wait this long for an answer. */
const TIMEOUT_MS = 2500
/** Every answer comes within the timeout plus this (a busy 2-core machine). */
const SLACK_MS = 4000
const RSS_BOUND_MB = 150
const OTHER_USER_MS = 2000
/** No request of this suite waits longer, even for a gateway that stalls (a pending mode run with HOSTILE_PENDING=run). */
const CAP_MS = 120_000

/**
 * Modes whose fix is being made on another branch (issue 10, finding N).
 * They fail today, for the reason in their `expect`; delete an entry once its
 * fix is merged. HOSTILE_PENDING=run runs them anyway.
 */
const PENDING_FIXES: Partial<Record<Mode, number>> = {}
const RUN_PENDING = process.env.HOSTILE_PENDING === 'run'
/** HOSTILE_MODES=flood,progress runs only those modes. */
const ONLY = process.env.HOSTILE_MODES?.split(',').filter(Boolean)

setFlagsFromString('--expose-gc')
const gc = ((globalThis as { gc?: () => void }).gc ?? runInNewContext('gc')) as () => void
const MB = 1 << 20
const rssMB = () => process.memoryUsage().rss / MB

interface Ctx {
  gw: Gateway
  hs: HostileServer
  healthy: LegacyServerHandle
  alice: string
  bob: string
  carol: string
  dave: string
  bobMcp: string
  secrets: { token: string; key: string }
}

interface Case {
  mode: Mode
  era: Era
  /** alice's steps against a config for the mode; the last answer is the row's. Defaults to executing `go`. */
  run?(t: Ctx, id: string): Promise<Res>
  /** What the answer must be. */
  expect(r: Res, t: Ctx, logs: string): Promise<void> | void
}

function isProblem(r: Res, status: number | number[], code?: string | string[]) {
  const statuses = [status].flat()
  assert.ok(statuses.includes(r.status), `expected ${statuses.join('/')}: ${r.status} ${r.text.slice(0, 300)}`)
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/)
  assert.is(r.json.status, r.status)
  if (code) assert.ok([code].flat().includes(r.json.code), `code ${r.json.code}: ${r.text.slice(0, 300)}`)
}

/** A bounded clean failure: a 5xx that says the upstream failed (never `internal`). */
const upstreamFailed = (r: Res) => isProblem(r, [502, 504], ['upstream_error', 'upstream_timeout', 'upstream_response_too_large'])

/** A request to the gateway. Not gw.req: its 30 s cap would hide how long a stall really lasts. */
async function req(t: Ctx, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await fetch(t.gw.base + path, {
    method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(CAP_MS),
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  })
  const text = await res.text()
  let json: any
  try { json = JSON.parse(text) } catch { json = undefined }
  return { status: res.status, headers: res.headers, text, json }
}

const execute = (t: Ctx, id: string, args: unknown = {}, o: { token?: string; headers?: Record<string, string> } = {}) =>
  req(t, 'POST', `/mcps/${id}/tools/go/execute`, o.token ?? t.alice, { arguments: args }, o.headers)
const listThenExecute = (args: unknown) => async (t: Ctx, id: string) => {
  const l = await req(t, 'GET', `/mcps/${id}/tools`, t.alice, undefined, { 'cache-control': 'no-cache' })
  assert.is(l.status, 200, l.text.slice(0, 300))
  return execute(t, id, args)
}
const noSecrets = (r: Res, t: Ctx, logs: string) => {
  for (const s of [t.secrets.token, t.secrets.key]) {
    assert.not.ok(r.text.includes(s), 'a secret header value in the answer')
    assert.not.ok(logs.includes(s), 'a secret header value in the logs')
  }
}

const CASES: Case[] = [
  { mode: 'ok', era: 'legacy', expect: (r) => assert.is(r.json?.content?.[0]?.text, 'done', r.text) },
  { mode: 'ok', era: 'modern', expect: (r) => assert.is(r.json?.content?.[0]?.text, 'done', r.text) },
  ...(['legacy', 'modern'] as const).flatMap((era): Case[] => [
    {
      mode: 'huge', era,
      async expect(r, t) {
        isProblem(r, 502, 'upstream_response_too_large')
        // The gateway hung up: the server got nowhere near sending it all.
        const sent = await t.hs.waitFor((e) => e.type === 'sent' && e.mode === 'huge' && e.era === era)
        assert.ok(sent.type === 'sent' && sent.bytes < HUGE_BYTES / 4, `the server sent ${sent.type === 'sent' ? sent.bytes : '?'} bytes`)
      },
    },
    { mode: 'slowloris', era, expect: (r) => isProblem(r, 504, 'upstream_timeout') },
    { mode: 'slowheaders', era, expect: (r) => isProblem(r, 504, 'upstream_timeout') },
    { mode: 'garbage', era, expect: upstreamFailed },
    { mode: 'garbagejson', era, expect: upstreamFailed },
    { mode: 'wrongid', era, expect: upstreamFailed },
    { mode: 'gzip', era, expect: upstreamFailed },
    // Pending finding 9: today 500 (a stack overflow serialising the result).
    { mode: 'deep', era, expect: (r) => isProblem(r, 502, 'upstream_error') },
    // Pending finding 5: today the call outlives its timeout by seconds, stalling everyone, and (legacy) keeps every notification.
    { mode: 'flood', era, expect: (r) => (r.status === 200 ? assert.is(r.json?.content?.[0]?.text, 'done', r.text.slice(0, 300)) : upstreamFailed(r)) },
  ]),
  {
    mode: 'tools10k', era: 'legacy',
    run: (t, id) => req(t, 'GET', `/mcps/${id}/tools`, t.alice),
    expect: (r) => {
      assert.is(r.status, 200, r.text.slice(0, 300))
      assert.is(r.json.tools.length, TOOLS)
    },
  },
  {
    // The MCP client stops after 64 pages; any bounded answer is fine.
    mode: 'cursor', era: 'legacy',
    run: (t, id) => req(t, 'GET', `/mcps/${id}/tools`, t.alice),
    expect: (r) => (r.status === 200 ? assert.ok(r.json.tools.length <= 64) : upstreamFailed(r)),
  },
  {
    // Pending finding 5: today each one is forwarded (over 10,000 before the timeout ends the call, all 80,000 with a longer one).
    mode: 'progress', era: 'legacy',
    run: (t, id) => execute(t, id, {}, { headers: { accept: 'text/event-stream' } }),
    expect: (r) => {
      assert.is(r.status, 200, r.text.slice(0, 300))
      const events = parseSse(r.text)
      assert.ok(['result', 'error'].includes(events.at(-1)?.event ?? ''), `the stream ends with ${JSON.stringify(events.at(-1)).slice(0, 200)}`)
      const forwarded = events.filter((e) => e.event === 'progress').length
      assert.ok(forwarded < 1000, `${forwarded} of ${PROGRESS} progress notifications forwarded`)
    },
  },
  {
    // Pending finding 1: today compiling the schema stalls everyone for tens of seconds.
    mode: 'schema', era: 'legacy', run: listThenExecute({}),
    expect: (r) => assert.is(r.status, 200, r.text.slice(0, 300)),
  },
  {
    // Pending finding 2: today the pattern runs on V8's backtracking engine and stalls everyone.
    mode: 'redos', era: 'legacy', run: listThenExecute({ s: 'a'.repeat(30) + '!' }),
    expect: (r) => (r.status === 400 ? isProblem(r, 400, 'invalid_request') : assert.is(r.status, 200, r.text.slice(0, 300))),
  },
  {
    // Pending finding 6: today the org's X-Api-Key reaches a member in the 502 detail, and the logs.
    mode: 'echo', era: 'legacy',
    run: (t, id) => execute(t, id, {}, { token: t.carol }),
    async expect(r, t, logs) {
      isProblem(r, 502, 'upstream_error')
      const got = await t.hs.waitFor((e) => e.type === 'request' && e.mode === 'echo' && e.method === 'tools/call')
      assert.is(got.type === 'request' && got.headers['x-api-key'], t.secrets.key, 'the server really got the secret to echo')
      noSecrets(r, t, logs)
    },
  },
  {
    mode: 'echoresult', era: 'legacy',
    run: (t, id) => execute(t, id, {}, { token: t.carol }),
    expect: (r, t, logs) => {
      assert.is(r.status, 200, r.text.slice(0, 300))
      noSecrets(r, t, logs)
    },
  },
]

// ---------------------------------------------------------------------------

interface Row { mode: string; era: Era; answer: string; ms: number; peakMB: number; retainedMB: number; otherMaxMs: number; otherCalls: number; loopMaxMs: number }
const rows: (Row | { mode: string; era: Era; pending: number })[] = []

/** bob's echo, again and again until `stop`; each latency counted from when it was due (a stalled timer counts too). */
async function otherUser(t: Ctx, stop: () => boolean): Promise<{ max: number; n: number }> {
  let max = 0
  let n = 0
  let due = performance.now()
  do {
    const t0 = Math.min(performance.now(), due)
    const r = await req(t, 'POST', `/mcps/${t.bobMcp}/tools/echo/execute`, t.bob, { arguments: { message: `hi ${n}` } })
    assert.is(r.status, 200, `bob: ${r.text.slice(0, 200)}`)
    max = Math.max(max, performance.now() - t0)
    n++
    due = performance.now() + 20
    await new Promise((r) => setTimeout(r, 20))
  } while (!stop())
  return { max, n }
}

async function configFor(t: Ctx, c: Case): Promise<string> {
  // The secret echo is the finding's case: an org config with secrets, used by a member.
  const echo = c.mode === 'echo' || c.mode === 'echoresult'
  const r = await t.gw.req('POST', '/mcps', {
    token: echo ? t.dave : t.alice,
    body: {
      name: `${c.mode}-${c.era}`, type: 'http', endpoint: t.hs.url(c.mode, c.era),
      ...(echo ? { scope: 'org', auth_type: 'bearer', config: { timeout_ms: TIMEOUT_MS, token: t.secrets.token, secret_headers: { 'X-Api-Key': t.secrets.key }, tool_policy: { mode: 'open' } } } : { config: { timeout_ms: TIMEOUT_MS } }),
    },
  })
  assert.is(r.status, 201, r.text)
  return r.json.id
}

const hostile = suite<Ctx>('hostile upstreams', {} as Ctx)

hostile.before(async (t) => {
  ;[t.hs, t.healthy, t.gw] = await Promise.all([startHostileServer(), startLegacyServer(), startGateway()])
  t.alice = await t.gw.token('alice')
  t.bob = await t.gw.token('bob')
  t.carol = await t.gw.token('carol', { org: 'acme' })
  t.dave = await t.gw.token('dave', { org: 'acme', admin: true })
  const rnd = () => Math.random().toString(36).slice(2)
  t.secrets = { token: `org-token-${rnd()}`, key: `org-api-key-${rnd()}` }
  const b = await t.gw.req('POST', '/mcps', { token: t.bob, body: { name: 'healthy', type: 'http', endpoint: t.healthy.url } })
  assert.is(b.status, 201, b.text)
  t.bobMcp = b.json.id
  // Warm: bob's calls are checked against known tools, on a kept-alive connection.
  assert.is((await t.gw.req('GET', `/mcps/${t.bobMcp}/tools`, { token: t.bob })).status, 200)
  await otherUser(t, () => true)
})

hostile.after(async (t) => {
  const num = (x: number) => String(Math.round(x))
  const table = [['mode', 'era', 'gateway answer', 'time ms', 'RSS peak Δ MB', 'RSS after GC Δ MB', "bob's max ms (calls)", 'loop max delay ms']]
  const order = (r: { mode: string; era: Era }) => CASES.findIndex((c) => c.mode === r.mode && c.era === r.era)
  for (const r of rows.sort((a, b) => order(a) - order(b))) {
    table.push('pending' in r
      ? [r.mode, r.era, `PENDING: finding ${r.pending}`, '', '', '', '', '']
      : [r.mode, r.era, r.answer, num(r.ms), num(r.peakMB), num(r.retainedMB), `${num(r.otherMaxMs)} (${r.otherCalls})`, num(r.loopMaxMs)])
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)))
  console.log(`\nhostile upstreams (timeout ${TIMEOUT_MS} ms; bounds: answer < ${TIMEOUT_MS + SLACK_MS} ms, RSS peak Δ < ${RSS_BOUND_MB} MB, bob < ${OTHER_USER_MS} ms)`)
  for (const row of table) console.log('  ' + row.map((c, i) => c.padEnd(widths[i]!)).join('  '))
  await t.gw?.close()
  await Promise.all([t.hs?.stop(), t.healthy?.stop()])
  assert.ok(t.hs.child.exitCode !== null || t.hs.child.signalCode !== null, 'the hostile server process is gone')
})

for (const c of CASES.filter((x) => !ONLY || ONLY.includes(x.mode))) {
  const name = `${c.mode} (${c.era}): ${MODES[c.mode]}`
  const pending = PENDING_FIXES[c.mode]
  if (pending && !RUN_PENDING) {
    console.log(`PENDING: finding ${pending}: hostile mode "${c.mode}" (${c.era}) is skipped until its fix is merged (PENDING_FIXES in test/hostile.test.ts)`)
    rows.push({ mode: c.mode, era: c.era, pending })
    hostile.skip(name, () => {})
    continue
  }
  hostile(name, async (t) => {
    const id = await configFor(t, c)
    const logsBefore = t.gw.logs.length
    gc()
    const rss0 = rssMB()
    let peak = rss0
    const sampler = setInterval(() => { peak = Math.max(peak, rssMB()) }, 20)
    const loop = monitorEventLoopDelay({ resolution: 10 })
    loop.enable()
    let finished = false
    // Settled now, so that a failing bob cannot be an unhandled rejection while alice waits.
    const other = otherUser(t, () => finished).then((v) => v, (e: Error) => ({ max: Infinity, n: 0, error: e }))
    const t0 = performance.now()
    let r: Res | Error
    try {
      r = await (c.run ?? ((x: Ctx, i: string) => execute(x, i)))(t, id)
    } catch (e) {
      r = e as Error
    } finally {
      finished = true
    }
    const ms = performance.now() - t0
    const bob = await other
    clearInterval(sampler)
    loop.disable()
    peak = Math.max(peak, rssMB())
    gc()
    const row: Row = {
      mode: c.mode, era: c.era, ms,
      answer: r instanceof Error ? `no answer: ${r.name}` : `${r.status} ${r.json?.code ?? (r.headers.get('content-type') ?? '').split(';')[0]}`,
      peakMB: peak - rss0, retainedMB: rssMB() - rss0, otherMaxMs: bob.max, otherCalls: bob.n, loopMaxMs: loop.max / 1e6,
    }
    rows.push(row)
    if (r instanceof Error) throw r
    if ('error' in bob) throw bob.error
    await c.expect(r, t, t.gw.logs.slice(logsBefore).join('\n'))
    assert.ok(ms < TIMEOUT_MS + SLACK_MS, `answered after ${Math.round(ms)} ms`)
    assert.ok(row.peakMB < RSS_BOUND_MB, `RSS grew by ${Math.round(row.peakMB)} MB`)
    assert.ok(bob.max < OTHER_USER_MS, `bob waited ${Math.round(bob.max)} ms while alice's call was in progress`)
  })
}

hostile('no hostile upstream became a 500 or an unhandled error', (t) => {
  const logs = t.gw.logs.join('\n')
  assert.not.ok(/"status":500\b/.test(logs), 'a 500 was logged')
  assert.not.ok(logs.includes('unhandled'), 'an unhandled error was logged')
  // Sizes the modes promise, so a weakened server cannot pass unnoticed.
  assert.ok(FLOOD >= 100_000 && DEEP >= 200_000 && SCHEMA_PROPERTIES >= 10_000 && HUGE_BYTES >= 256 * MB)
})

hostile.run()
