/**
 * The MCP endpoint for agents (issue 16): personal access tokens, and
 * `/api/v1/mcps/{id}/mcp` proxying a registered server for clients nobody
 * here wrote (the v2 and v1 SDK clients, in both protocol generations).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Client } from '@modelcontextprotocol/client'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { startGateway, type Gateway } from './support/gateway.js'
import { startEverything, type EverythingHandle } from './support/everything.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { closeAgentSessions } from '../shared/agent/serve.js'

const test = suite('agent')
let gw: Gateway
let ev: EverythingHandle
let modern: ModernServerHandle
let alice: string
let bob: string
const ids: Record<string, string> = {}

test.before(async () => {
  ev = await startEverything('streamableHttp')
  modern = await startModernServer()
  gw = await startGateway()
  alice = await gw.token('alice')
  bob = await gw.token('bob')
  for (const [k, endpoint] of [['ev', ev.url], ['modern', modern.url]] as const) {
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: k, type: 'http', endpoint } })
    assert.is(r.status, 201, r.text)
    ids[k] = r.json.id
  }
})
test.after(async () => {
  closeAgentSessions()
  await gw?.close()
  await ev?.stop()
  await modern?.stop()
})

async function pat(token: string, body: unknown = { name: 'agent' }) {
  const r = await gw.req('POST', '/tokens', { token, body })
  assert.is(r.status, 201, r.text)
  return r.json as { id: string; token: string }
}

async function connect(url: string, token: string, o: { modern?: boolean; capabilities?: Record<string, unknown> } = {}) {
  const client = new Client({ name: 'agent-test', version: '1' }, { capabilities: o.capabilities ?? {}, ...(o.modern ? { versionNegotiation: { mode: 'auto' } } : {}) })
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } })
  await client.connect(transport as any)
  return client
}

test('a token is shown once, listed without its secret, and works on the MCP endpoint only', async () => {
  const t = await pat(alice, { name: 'laptop', expires_in: 3600, scopes: ['mcp'] })
  assert.match(t.token, /^mgw_/)
  const list = await gw.req('GET', '/tokens', { token: alice })
  assert.is(list.status, 200)
  assert.ok(list.json.items.some((x: any) => x.id === t.id && x.name === 'laptop'))
  assert.not.ok(list.text.includes(t.token.slice(-43)))
  // Never on the management API.
  const mgmt = await gw.req('GET', '/mcps', { token: t.token })
  assert.is(mgmt.status, 401)
  assert.match(mgmt.json.detail, /only on the MCP endpoints/)
  // On the MCP endpoint it is alice.
  const c = await connect(`${gw.base}/mcps/${ids.ev}/mcp`, t.token)
  const tools = await c.listTools()
  assert.ok(tools.tools.some((x) => x.name === 'echo'))
  const r = await c.callTool({ name: 'echo', arguments: { message: 'hi' } })
  assert.match(JSON.stringify(r.content), /hi/)
  await c.close()
})

test('401 names the protected-resource metadata, which names the issuer', async () => {
  const r = await gw.req('POST', `/mcps/${ids.ev}/mcp`, { body: { jsonrpc: '2.0', id: 1, method: 'ping' } })
  assert.is(r.status, 401)
  const m = /resource_metadata="([^"]+)"/.exec(r.headers.get('www-authenticate') ?? '')
  assert.ok(m, r.headers.get('www-authenticate') ?? '')
  const meta = await fetch(m![1]!).then((x) => x.json())
  assert.is(meta.resource, `${gw.base}/mcps/${ids.ev}/mcp`)
  assert.equal(meta.authorization_servers, [gw.deps.config.auth.issuer])
})

test('v2 client, 2025 session and 2026-07-28, lists and calls through the proxy', async () => {
  for (const modernEra of [false, true]) {
    for (const id of [ids.ev, ids.modern]) {
      const c = await connect(`${gw.base}/mcps/${id}/mcp`, alice, { modern: modernEra })
      const { tools } = await c.listTools()
      assert.ok(tools.length > 0)
      const r = await c.callTool({ name: 'echo', arguments: { message: 'hey' } })
      assert.match(JSON.stringify(r.content), /hey/, `${modernEra} ${id}`)
      await c.close()
    }
  }
})

test('bob gets 404 for alice\'s MCP, with an ID token or a token of his own', async () => {
  const t = await pat(bob)
  for (const tok of [bob, t.token]) {
    const r = await gw.req('POST', `/mcps/${ids.ev}/mcp`, { token: tok, headers: { accept: 'application/json, text/event-stream' }, body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } } })
    assert.is(r.status, 404, r.text)
  }
})

test('a revoked token stops working', async () => {
  const t = await pat(alice)
  const c = await connect(`${gw.base}/mcps/${ids.ev}/mcp`, t.token)
  await c.close()
  const del = await gw.req('DELETE', `/tokens/${t.id}`, { token: alice })
  assert.is(del.status, 204)
  const r = await gw.req('POST', `/mcps/${ids.ev}/mcp`, { token: t.token, body: { jsonrpc: '2.0', id: 1, method: 'ping' } })
  assert.is(r.status, 401)
})

test.run()
