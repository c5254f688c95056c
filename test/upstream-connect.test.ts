/**
 * Every upstream connect settles within the config's timeout, whatever the
 * upstream holds: the MCP SDK bounds the handshake's requests but not its
 * `notifications/initialized`, whose POST an upstream (or a connection pool
 * full of that upstream's open streams, as in the fuzz suite) can hold for
 * ever. Such a connect used to stay in the warm map unsettled: every later
 * call of that caller and config waited on it and timed out, and shutdown
 * waited on it for ever.
 *
 * The upstream is the real 2025 test server behind a proxy that, when armed,
 * holds the next `notifications/initialized` POST without answering.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { startGateway, type Gateway } from './support/gateway.js'
import { isProblem } from './support/assert.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { closeSessions } from '../shared/mcp/sessions.js'

const test = suite('upstream connect')
let gw: Gateway
let legacy: LegacyServerHandle
let proxy: Awaited<ReturnType<typeof holdingProxy>>
let alice: string
const ids: Record<string, string> = {}

/** Forwards to `target`; `arm()` makes it hold the next `notifications/initialized` (emits 'held'). */
async function holdingProxy(target: string) {
  const up = new URL(target)
  let armed = false
  const held: ServerResponse[] = []
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    if (armed && body.toString().includes('"notifications/initialized"')) {
      armed = false
      held.push(res)
      server.emit('held')
      return
    }
    const headers = { ...req.headers, host: up.host }
    const out = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    out.on('error', () => res.destroy())
    res.on('close', () => out.destroy())
    out.end(body)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${up.pathname}`,
    arm: () => { armed = true },
    held: () => once(server, 'held'),
    close: () => new Promise<void>((r) => { for (const h of held) h.destroy(); server.closeAllConnections(); server.close(() => r()) }),
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ r: T; ms: number }> {
  const t0 = performance.now()
  const r = await fn()
  return { r, ms: performance.now() - t0 }
}

const echo = (id: string) => gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'x' } } })

test.before(async () => {
  ;[gw, legacy] = await Promise.all([startGateway(), startLegacyServer()])
  proxy = await holdingProxy(legacy.url)
  alice = await gw.token('alice')
  for (const [name, timeout_ms] of [['short', 1000], ['long', 20_000]] as const) {
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name, type: 'http', endpoint: proxy.url, auth_type: 'none', config: { timeout_ms } } })
    assert.is(r.status, 201, r.text)
    ids[name] = r.json.id
  }
})

test.after(async () => {
  await gw?.close()
  await proxy?.close()
  await legacy?.stop()
})

test('a connect whose notifications/initialized is never answered: that call is a 504 upstream_timeout within its timeout, and the next call connects again and succeeds', async () => {
  proxy.arm()
  const first = await timed(() => echo(ids.short!))
  isProblem(first.r, 504, 'upstream_timeout')
  // Generous: the timeout is 1 s; a hang would be the test's own 30 s request timeout.
  assert.ok(first.ms < 10_000, `${first.ms} ms`)
  // The failed connect left the warm map: this call does not wait on it.
  const second = await timed(() => echo(ids.short!))
  assert.is(second.r.status, 200, second.r.text)
  assert.ok(second.ms < 10_000, `${second.ms} ms`)
})

test('shutdown with a connect in flight: it ends at once (not at the config\'s 20 s timeout), and the waiting call gets a clean problem', async () => {
  proxy.arm()
  const held = proxy.held()
  const call = timed(() => echo(ids.long!))
  await held
  const shut = await timed(() => closeSessions())
  assert.ok(shut.ms < 5_000, `closeSessions took ${shut.ms} ms`)
  const { r, ms } = await call
  isProblem(r, 503, 'unavailable')
  assert.ok(ms < 10_000, `${ms} ms`)
})

test.run()
