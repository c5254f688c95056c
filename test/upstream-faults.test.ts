/**
 * What a caller gets when the upstream misbehaves (down, hanging, JSON-RPC
 * errors, oversized or dropped responses, bad arguments), and the egress
 * policy keeping the gateway off loopback. Every failure is a specific
 * problem+json, never a 500, and never waits out a timeout it need not.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { isProblem } from './support/assert.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { freePort } from './support/net.js'

const MAX_RESULT = 65_536
/** A hang guard, not a performance claim: fast failures must not wait out the upstream timeout. */
const QUICK_MS = 4_000
const allLogs: string[] = []

async function addMcp(gw: Gateway, token: string, body: Record<string, unknown>): Promise<Res> {
  return gw.req('POST', '/mcps', { token, body: { auth_type: 'none', type: 'http', ...body } })
}

async function timed<T>(fn: () => Promise<T>): Promise<{ r: T; ms: number }> {
  const t0 = performance.now()
  const r = await fn()
  return { r, ms: performance.now() - t0 }
}

// --- faults ------------------------------------------------------------------

const faults = suite('upstream faults')
let gw: Gateway
let alice: string
let legacy: LegacyServerHandle
let modern: ModernServerHandle
const ids: Record<string, string> = {}
const echoOn = (id: string) => gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'x' } } })
const exec = (server: string, tool: string, args?: unknown) =>
  gw.req('POST', `/mcps/${ids[server]}/tools/${tool}/execute`, { token: alice, body: args === undefined ? {} : { arguments: args } })

faults.before(async () => {
  ;[gw, legacy, modern] = await Promise.all([startGateway({ env: { MAX_RESULT_BYTES: String(MAX_RESULT) } }), startLegacyServer(), startModernServer()])
  alice = await gw.token('alice')
  const targets = [['legacy', 'http', legacy.url], ['legacy-sse', 'sse', legacy.sseUrl], ['modern', 'http', modern.url]] as const
  for (const [name, type, endpoint] of targets) {
    // A long timeout, so that anything fast below is fast because it failed fast.
    const r = await addMcp(gw, alice, { name, type, endpoint, config: { timeout_ms: 20_000 } })
    assert.is(r.status, 201, r.text)
    ids[name] = r.json.id
    const h = await addMcp(gw, alice, { name: `${name}-hang`, type, endpoint, config: { timeout_ms: 500 } })
    ids[`${name}-hang`] = h.json.id
  }
})

faults.after(async () => {
  await Promise.allSettled([legacy?.stop(), modern?.stop()])
  allLogs.push(...(gw?.logs ?? []))
  await gw?.close()
})

faults('a server that is down is a quick 502 upstream_error', async () => {
  const port = await freePort()
  const r = await addMcp(gw, alice, { name: 'down', endpoint: `http://127.0.0.1:${port}/mcp` })
  const { r: res, ms } = await timed(() => gw.req('POST', `/mcps/${r.json.id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'x' } } }))
  isProblem(res, 502, 'upstream_error')
  assert.ok(ms < QUICK_MS, `${ms} ms`)
  const list = await gw.req('GET', `/mcps/${r.json.id}/tools`, { token: alice })
  isProblem(list, 502, 'upstream_error')
})

faults('an SSE server that refuses its stream: its HTTP status, as for streamable HTTP (503 is 502 http_status, 401 is 409)', async () => {
  let status = 503
  const refusing = createServer((req, res) => {
    req.resume()
    res.writeHead(status, { 'content-type': 'text/plain' }).end('no')
  })
  await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()))
  try {
    const { port } = refusing.address() as AddressInfo
    const r = await addMcp(gw, alice, { name: 'refusing-sse', type: 'sse', endpoint: `http://127.0.0.1:${port}/sse` })
    assert.is(r.status, 201, r.text)
    const down = await echoOn(r.json.id)
    isProblem(down, 502, 'upstream_error')
    assert.equal(down.json.upstream, { reason: 'http_status', http_status: 503 }, down.text)
    status = 401
    const unauthorized = await echoOn(r.json.id)
    isProblem(unauthorized, 409, 'authorization_required')
    assert.is(unauthorized.json.upstream_status, 401, unauthorized.text)
  } finally {
    refusing.closeAllConnections()
    await new Promise((r) => refusing.close(r))
  }
})

for (const name of ['legacy', 'legacy-sse', 'modern']) {
  const server = () => (name === 'modern' ? modern : legacy)
  faults(`${name}: a tool hanging past config.timeout_ms is 504 upstream_timeout`, async () => {
    const { r, ms } = await timed(() => gw.req('POST', `/mcps/${ids[`${name}-hang`]}/tools/slow/execute`, { token: alice, body: { arguments: { ms: 5000 } } }))
    isProblem(r, 504, 'upstream_timeout')
    assert.ok(ms < QUICK_MS, `${ms} ms`)
  })

  faults(`${name}: a JSON-RPC error is 502 upstream_error with upstream.code and message`, async () => {
    const r = await exec(name, 'rpc_error')
    isProblem(r, 502, 'upstream_error')
    assert.is(r.json.upstream.code, -32001)
    assert.is(r.json.upstream.message, 'deliberate failure')
  })

  faults(`${name}: a tool result with isError is 200 is_error: true`, async () => {
    const r = await exec(name, 'fail')
    assert.is(r.status, 200, r.text)
    assert.equal(r.json, { content: [{ type: 'text', text: 'it failed' }], structured_content: null, is_error: true, status: 'completed' })
  })

  faults(`${name}: a result over MAX_RESULT_BYTES is 502 upstream_response_too_large; the gateway stays healthy`, async () => {
    const r = await exec(name, 'big', { bytes: 200_000 })
    isProblem(r, 502, 'upstream_response_too_large')
    assert.is(r.json.limit, MAX_RESULT)
    const small = await exec(name, 'big', { bytes: 1000 })
    assert.is(small.status, 200, small.text)
    assert.is(small.json.content[0].text.length, 1000)
    const health = await gw.req('GET', '/health')
    assert.is(health.status, 200, health.text)
  })

  faults(`${name}: a connection dropped mid-response is a quick 502`, async () => {
    const { r, ms } = await timed(() => exec(name, 'drop'))
    isProblem(r, 502, 'upstream_error')
    assert.ok(ms < QUICK_MS, `waited ${ms} ms: the timeout, not the drop, ended the call`)
    const after = await exec(name, 'echo', { message: 'still fine' })
    assert.is(after.status, 200, after.text)
  })

  faults(`${name}: arguments that break the input schema are 400 with errors; no tools/call reaches upstream`, async () => {
    const listed = await gw.req('GET', `/mcps/${ids[name]}/tools`, { token: alice })
    assert.is(listed.status, 200, listed.text)
    const s = server()
    s.reset()
    for (const args of [{}, { message: 42 }, { message: 'x', extra: true }]) {
      const r = await exec(name, 'echo', args)
      isProblem(r, 400, 'invalid_request')
      assert.ok(Array.isArray(r.json.errors) && r.json.errors.length > 0, r.text)
      assert.ok(r.json.errors.every((e: { path: string }) => e.path.startsWith('/arguments')), r.text)
    }
    const calls = s.requests.flatMap((q) => q.jsonrpcMethods).filter((m) => m === 'tools/call')
    assert.is(calls.length, 0)
  })

  faults(`${name}: an unknown tool is 404`, async () => {
    await gw.req('GET', `/mcps/${ids[name]}/tools`, { token: alice })
    const s = server()
    s.reset()
    const r = await exec(name, 'no_such_tool', {})
    isProblem(r, 404, 'not_found')
    assert.not.ok(s.requests.some((q) => q.jsonrpcMethods.includes('tools/call')))
  })
}

for (const name of ['legacy', 'modern']) {
  faults(`${name}: never listed, a call goes straight up; a refusal is checked against the definition (400, 404), a success costs no tools/list`, async () => {
    const s = name === 'modern' ? modern : legacy
    const r = await addMcp(gw, alice, { name: `${name}-unlisted`, endpoint: s.url })
    const run = (tool: string, args: unknown) => gw.req('POST', `/mcps/${r.json.id}/tools/${tool}/execute`, { token: alice, body: { arguments: args } })
    const methods = () => s.requests.flatMap((q) => q.jsonrpcMethods)
    s.reset()
    const ok = await run('echo', { message: 'first' })
    assert.is(ok.status, 200, ok.text)
    assert.not.ok(methods().includes('tools/list'), methods().join(' '))
    s.reset()
    const bad = await run('echo', { message: 42 })
    isProblem(bad, 400, 'invalid_request')
    assert.ok(bad.json.errors.some((e: { path: string }) => e.path === '/arguments/message'), bad.text)
    assert.equal(methods().filter((m) => m.startsWith('tools/')), ['tools/call', 'tools/list'])
    // Now the definitions are known: the next bad call never leaves the gateway.
    s.reset()
    isProblem(await run('echo', { message: 43 }), 400, 'invalid_request')
    assert.not.ok(methods().includes('tools/call'))
    const fresh = await addMcp(gw, alice, { name: `${name}-unlisted-2`, endpoint: s.url })
    const unknown = await gw.req('POST', `/mcps/${fresh.json.id}/tools/no_such_tool/execute`, { token: alice, body: {} })
    isProblem(unknown, 404, 'not_found')
  })
}

faults('no upstream fault became a 500', () => {
  assert.not.ok(gw.logs.some((l) => l.includes('"status":500')), 'a 500 was logged')
  assert.not.ok(gw.logs.some((l) => l.includes('unhandled')), 'an unhandled error was logged')
})

// --- egress ------------------------------------------------------------------

const egress = suite('egress')
let server: ModernServerHandle
let sseServer: LegacyServerHandle

egress.before(async () => {
  ;[server, sseServer] = await Promise.all([startModernServer(), startLegacyServer()])
})

egress.after(async () => {
  await Promise.allSettled([server?.stop(), sseServer?.stop()])
})

const endpoints = () => ({
  plain: server.url,
  mapped: `http://[::ffff:127.0.0.1]:${server.port}/mcp`,
  hex: `http://0x7f.0.0.1:${server.port}/mcp`,
})

egress('loopback is refused at registration and at execute time when EGRESS_ALLOW_LOOPBACK=false, over http and sse alike', async () => {
  const g = await startGateway({ env: { EGRESS_ALLOW_LOOPBACK: 'false' } })
  try {
    const t = await g.token('alice')
    const cases = [
      ...Object.entries(endpoints()).map(([kind, endpoint]) => ({ kind, type: 'http', endpoint, s: server as { reset(): void; requests: unknown[] } })),
      { kind: 'sse', type: 'sse', endpoint: sseServer.sseUrl, s: sseServer },
    ]
    for (const { kind, type, endpoint, s } of cases) {
      s.reset()
      const denied = await addMcp(g, t, { name: kind, type, endpoint })
      assert.is(denied.status, 400, `${kind}: ${denied.text}`)
      assert.is(denied.json.errors[0].path, '/endpoint')
      // A config registered while loopback was allowed (policy tightened since) is still refused when called.
      ;(g.deps.config as { allowLoopback: boolean }).allowLoopback = true
      const ok = await addMcp(g, t, { name: kind, type, endpoint })
      ;(g.deps.config as { allowLoopback: boolean }).allowLoopback = false
      assert.is(ok.status, 201, ok.text)
      const r = await g.req('POST', `/mcps/${ok.json.id}/tools/echo/execute`, { token: t, body: { arguments: { message: 'x' } } })
      isProblem(r, 403, 'egress_denied')
      const l = await g.req('GET', `/mcps/${ok.json.id}/tools`, { token: t })
      isProblem(l, 403, 'egress_denied')
      assert.is(s.requests.length, 0, `${kind}: something reached the server`)
    }
  } finally {
    allLogs.push(...g.logs)
    await g.close()
  }
})

egress('local mode: plain http to a host that is not loopback is refused at registration, saying how to allow it', async () => {
  const g = await startGateway()
  try {
    const t = await g.token('alice')
    for (const type of ['http', 'sse']) {
      const r = await addMcp(g, t, { name: 'remote', type, endpoint: 'http://example.com/mcp' })
      isProblem(r, 400, 'invalid_request')
      assert.is(r.json.errors[0].path, '/endpoint')
      assert.match(r.json.detail, /https/)
      assert.match(r.json.detail, /EGRESS_ALLOWLIST/)
    }
    const https = await addMcp(g, t, { name: 'remote', endpoint: 'https://example.com/mcp' })
    assert.is(https.status, 201, https.text)
  } finally {
    allLogs.push(...g.logs)
    await g.close()
  }
  const allowed = await startGateway({ env: { EGRESS_ALLOWLIST: 'example.com' } })
  try {
    const r = await addMcp(allowed, await allowed.token('alice'), { name: 'remote', endpoint: 'http://example.com/mcp' })
    assert.is(r.status, 201, r.text)
  } finally {
    allLogs.push(...allowed.logs)
    await allowed.close()
  }
})

egress('EGRESS_ALLOWLIST=127.0.0.1 lets the same loopback server through', async () => {
  const g = await startGateway({ env: { EGRESS_ALLOW_LOOPBACK: 'false', EGRESS_ALLOWLIST: '127.0.0.1' } })
  try {
    const t = await g.token('alice')
    for (const [kind, endpoint] of Object.entries(endpoints())) {
      server.reset()
      const c = await addMcp(g, t, { name: kind, endpoint })
      assert.is(c.status, 201, `${kind}: ${c.text}`)
      const r = await g.req('POST', `/mcps/${c.json.id}/tools/echo/execute`, { token: t, body: { arguments: { message: kind } } })
      assert.is(r.status, 200, `${kind}: ${r.text}`)
      assert.is(r.json.content[0].text, `Echo: ${kind}`)
      assert.ok(server.requests.length > 0)
    }
  } finally {
    allLogs.push(...g.logs)
    await g.close()
  }
})

egress('no log line from this file holds a caller JWT', () => {
  assert.ok(allLogs.length > 0)
  for (const l of allLogs) assert.not.ok(/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./.test(l), l.slice(0, 300))
})

faults.run()
egress.run()
