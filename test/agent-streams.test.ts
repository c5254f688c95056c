/**
 * One user's held upstream streams never stall another user's calls. Each
 * 2025 agent session holds an upstream session of its own, whose client keeps
 * a standalone GET SSE stream open to the server. Those streams used to take
 * the egress pool's sockets to that origin until none was left, and every
 * later POST there (anyone's) queued behind them for ever. Now streams have
 * their own pool, and a user's 2025 sessions per endpoint are capped: over
 * the cap the least recently used one is closed, with its upstream session.
 *
 * Real parts: the 2025 test server, the gateway in local mode with a low
 * connection limit (EGRESS_CONNECTIONS_PER_ORIGIN=4) and session cap
 * (AGENT_SESSIONS_PER_USER=8), and the SDK's own client as the agent.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { startGateway, type Gateway } from './support/gateway.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { closeAgentSessions } from '../shared/agent/session.js'

const test = suite('agent streams')
const CONNECTIONS = 4
const CAP = 8
let gw: Gateway
let up: LegacyServerHandle
const users: Record<string, { token: string; pat: string; mcp: string }> = {}
const clients: Client[] = []

test.before(async () => {
  ;[gw, up] = await Promise.all([startGateway({ env: { EGRESS_CONNECTIONS_PER_ORIGIN: String(CONNECTIONS), AGENT_SESSIONS_PER_USER: String(CAP) } }), startLegacyServer()])
  for (const name of ['alice', 'bob', 'carol']) {
    const token = await gw.token(name)
    // A short timeout, so that a stalled call fails the test quickly instead of hanging it.
    const cfg = await gw.req('POST', '/mcps', { token, body: { name: 'up', type: 'http', endpoint: up.url, config: { timeout_ms: 10_000 } } })
    assert.is(cfg.status, 201, cfg.text)
    const pat = await gw.req('POST', '/tokens', { token, body: { name: 'agent' } })
    assert.is(pat.status, 201, pat.text)
    users[name] = { token, pat: pat.json.token, mcp: cfg.json.id }
  }
})

test.after(async () => {
  await Promise.allSettled(clients.map((c) => c.close()))
  closeAgentSessions()
  await gw?.close()
  await up?.stop()
})

/** A 2025 agent session on the user's one-config endpoint (the gateway opens its upstream session at initialize). */
async function session(user: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const u = users[user]!
  const client = new Client({ name: `${user}-agent`, version: '1' }, { capabilities: {} })
  const transport = new StreamableHTTPClientTransport(new URL(`${gw.base}/mcps/${u.mcp}/mcp`), { requestInit: { headers: { authorization: `Bearer ${u.pat}` } } })
  await client.connect(transport as any, { timeout: 10_000 } as any)
  clients.push(client)
  return { client, transport }
}

/** Standalone GET streams the upstream has been sent: each is held open from then on. */
const gets = () => up.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/mcp')).length

/** Waits (bounded) until `cond` holds; false if it never did. */
async function until(cond: () => boolean, ms = 10_000): Promise<boolean> {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > ms) return false
    await new Promise((r) => setTimeout(r, 20))
  }
  return true
}

async function timed<T>(fn: () => Promise<T>): Promise<{ r: T; ms: number }> {
  const t0 = performance.now()
  const r = await fn()
  return { r, ms: performance.now() - t0 }
}

const echo = (user: string) => gw.req('POST', `/mcps/${users[user]!.mcp}/tools/echo/execute`, { token: users[user]!.token, body: { arguments: { message: 'hi' } } })

test('alice holds more upstream streams than the connection limit allows: bob\'s execute to the same server completes within 5 s, and her sessions all work', async () => {
  const before = gets()
  // As many sessions as the pool has sockets to that origin: their GET streams would take them all.
  for (let i = 0; i < CONNECTIONS; i++) await session('alice')
  assert.ok(await until(() => gets() - before >= CONNECTIONS), `${gets() - before} GET streams held`)
  const first = await timed(() => echo('bob'))
  assert.is(first.r.status, 200, first.r.text)
  // Generous under CPU contention; before the fix it waited for the call's 10 s timeout (504).
  assert.ok(first.ms < 5_000, `bob's call took ${first.ms} ms`)
  // More than the limit: they still connect (each needs POSTs), and every one of them answers.
  const more = []
  for (let i = 0; i < 3; i++) more.push(await session('alice'))
  assert.ok(await until(() => gets() - before >= CONNECTIONS + 3), `${gets() - before} GET streams held`)
  for (const s of more) assert.ok((await s.client.listTools()).tools.some((t) => t.name === 'echo'))
  const second = await timed(() => echo('bob'))
  assert.is(second.r.status, 200, second.r.text)
  assert.ok(second.ms < 5_000, `bob's call took ${second.ms} ms`)
})

test('carol opens more 2025 sessions than the cap: her least recently used ones are closed (404: initialize again) with their upstream sessions; alice\'s are not touched', async () => {
  const aliceOne = await session('alice')
  const upstreamBefore = up.sessionIds().length
  const carol = []
  for (let i = 0; i < CAP; i++) carol.push(await session('carol'))
  // Used since: the first of carol's is now her most recent, so the next three are the ones closed.
  assert.ok((await carol[0]!.client.listTools()).tools.length > 0)
  for (let i = 0; i < 3; i++) carol.push(await session('carol'))
  // Her upstream sessions stay at the cap: the closed ones ended upstream too (DELETE), not at the 5-minute idle sweep.
  assert.ok(await until(() => up.sessionIds().length === upstreamBefore + CAP), `${up.sessionIds().length - upstreamBefore} upstream sessions for carol`)
  for (const [i, s] of carol.entries()) {
    const r = await fetch(`${gw.base}/mcps/${users.carol!.mcp}/mcp`, {
      method: 'POST', signal: AbortSignal.timeout(10_000),
      headers: { authorization: `Bearer ${users.carol!.pat}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': s.transport.sessionId! },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
    })
    await r.text()
    assert.is(r.status, i >= 1 && i <= 3 ? 404 : 200, `carol's session ${i}`)
  }
  // Per user: alice's session (older than all of carol's) still answers.
  assert.ok((await aliceOne.client.listTools()).tools.some((t) => t.name === 'echo'))
})

test.run()
