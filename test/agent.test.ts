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
import { closeAgentSessions } from '../shared/agent/session.js'
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { TOKENS } from '../shared/tokens/model.js'
import { startEchoSecrets } from './servers/echo-secrets.js'
import { raw } from './support/raw.js'
import { auditFlushed } from '../shared/audit.js'
import { startLegacyServer } from './servers/legacy.js'
import { TOKEN_CACHE_MS } from '../shared/tokens/verify.js'

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

/**
 * The aggregate with the test's own servers (`need`) in it. One slow to connect is left out of that
 * session by design (a line of instructions, tried again later); on a loaded CI machine that has
 * happened to server-everything (once in several full runs), so a test that needs them all connects
 * again, at most three times, and otherwise fails saying what was left out and why.
 */
async function aggregate(token: string, o: { modern?: boolean } = {}, need = ['ev', 'modern']) {
  for (let attempt = 1; ; attempt++) {
    const c = await connect(`${gw.base}/mcp`, token, o)
    const left = (c.getInstructions() ?? '').split('\n').filter((l) => need.some((slug) => l.startsWith(`- ${slug} (`)))
    if (!left.length) return c
    await c.close()
    assert.ok(attempt < 3, `left out of the aggregate in ${attempt} connects: ${left.join(' | ')}`)
    await new Promise((r) => setTimeout(r, 500))
  }
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

test('an agent at the function\'s own URL is named that URL in the 401 and the metadata; through Hosting, PUBLIC_BASE_URL', async () => {
  const pub = new URL(gw.deps.config.publicBaseUrl!)
  const fn = `mcp-abc123-uc.a.run.app.localhost:${pub.port}`
  const path = `/api/v1/mcps/${ids.ev}/mcp`
  for (const [headers, base] of [
    [{ host: fn }, `http://${fn}`],
    [{ host: fn, 'x-forwarded-host': pub.host }, gw.deps.config.publicBaseUrl],
    // A forwarded host that is not the gateway's is not believed.
    [{ host: fn, 'x-forwarded-host': 'evil.example' }, `http://${fn}`],
  ] as const) {
    const r = await raw(gw.url, { method: 'POST', path, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) })
    assert.is(r.status, 401)
    assert.is(r.headers['www-authenticate'], `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource${path}"`)
    const meta = await raw(gw.url, { method: 'GET', path: `/.well-known/oauth-protected-resource${path}`, headers })
    assert.is(meta.json.resource, `${base}${path}`)
  }
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

test('server-everything asks the agent itself: elicitation, sampling, progress and logging reach a client that answers', async () => {
  const c = new Client({ name: 'agent-test', version: '1' }, { capabilities: { elicitation: { form: {} }, sampling: {} } })
  const asked: string[] = []
  c.setRequestHandler('elicitation/create', async () => {
    asked.push('elicitation')
    return { action: 'accept', content: { name: 'Ada', check: true, firstLine: 'x', email: 'a@example.com', homepage: 'https://example.com', birthdate: '2000-01-01', integer: 1, number: 1, untitledSingleSelectEnum: 'option1', titledSingleSelectEnum: 'value1', legacyTitledEnum: 'opt1', untitledMultipleSelectEnum: ['option1'], titledMultipleSelectEnum: ['value1'] } } as any
  })
  c.setRequestHandler('sampling/createMessage', async () => {
    asked.push('sampling')
    return { role: 'assistant', content: { type: 'text', text: 'sampled-answer' }, model: 'test-model' } as any
  })
  const logs: unknown[] = []
  c.setNotificationHandler('notifications/message', (n) => { logs.push(n.params) })
  // A config of its own: the tools a client with these capabilities sees are the first set pinned
  // (on ids.ev the first set is the 13 without them, and the 3 more would be pending approval).
  const fresh = await gw.req('POST', '/mcps', { token: alice, body: { name: 'asks', type: 'http', endpoint: ev.url } })
  await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.base}/mcps/${fresh.json.id}/mcp`), { requestInit: { headers: { authorization: `Bearer ${alice}` } } }) as any)
  const names = (await c.listTools()).tools.map((t) => t.name)
  assert.ok(names.includes('trigger-elicitation-request'), names.join())
  assert.ok(names.includes('trigger-sampling-request'), names.join())
  const e = await c.callTool({ name: 'trigger-elicitation-request', arguments: {} })
  assert.match(JSON.stringify(e.content), /Ada/)
  const s = await c.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 10 } })
  assert.match(JSON.stringify(s.content), /sampled-answer/)
  assert.equal(asked, ['elicitation', 'sampling'])
  const progress: number[] = []
  const p = await c.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 3 } }, { onprogress: (x: { progress: number }) => { progress.push(x.progress) } } as any)
  assert.not.ok(p.isError)
  assert.ok(progress.length >= 1, `progress ${progress}`)
  await c.setLoggingLevel('debug')
  await c.callTool({ name: 'toggle-simulated-logging', arguments: {} })
  const t0 = Date.now()
  while (!logs.length && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100))
  assert.ok(logs.length > 0, 'a log message reached the agent')
  await c.close()
})

test('a denied tool is absent from tools/list and refused on call with a JSON-RPC error that says why', async () => {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'guarded', type: 'http', endpoint: ev.url, config: { tool_policy: { mode: 'open', deny: ['get-sum'] } } } })
  assert.is(r.status, 201, r.text)
  for (const modernEra of [false, true]) {
    const c = await connect(`${gw.base}/mcps/${r.json.id}/mcp`, alice, { modern: modernEra })
    const names = (await c.listTools()).tools.map((t) => t.name)
    assert.ok(names.includes('echo'))
    assert.not.ok(names.includes('get-sum'))
    const err = await c.callTool({ name: 'get-sum', arguments: { a: 1, b: 2 } }).then(() => undefined, (e) => e)
    assert.ok(err, 'refused')
    assert.is(err.code, -32602)
    assert.equal(err.data?.code, 'tool_denied')
    await c.close()
  }
})

test('the v1 SDK client lists and calls through both endpoints', async () => {
  for (const path of [`/mcps/${ids.ev}/mcp`, '/mcp']) {
    const c = new V1Client({ name: 'v1', version: '1' })
    await c.connect(new V1Transport(new URL(gw.base + path), { requestInit: { headers: { authorization: `Bearer ${alice}` } } }))
    const tools = (await c.listTools()).tools.map((t) => t.name)
    const echo = path === '/mcp' ? 'ev__echo' : 'echo'
    assert.ok(tools.includes(echo), tools.join())
    const r = await c.callTool({ name: echo, arguments: { message: 'v1' } })
    assert.match(JSON.stringify(r.content), /v1/)
    await c.close()
  }
})

test('the aggregate names tools <slug>__<name>, routes calls, and lists a config needing OAuth in instructions', async () => {
  const o = await gw.req('POST', '/mcps', { token: alice, body: { name: 'Needs OAuth', type: 'http', endpoint: ev.url, auth_type: 'oauth', config: { oauth: { client_id: 'c1', auth_url: 'http://127.0.0.1:9/authorize', token_url: 'http://127.0.0.1:9/token' } } } })
  assert.is(o.status, 201, o.text)
  for (const modernEra of [false, true]) {
    const c = await aggregate(alice, { modern: modernEra })
    const names = (await c.listTools()).tools.map((t) => t.name)
    assert.ok(names.includes('ev__echo') && names.includes('modern__echo'), names.join())
    assert.ok(names.every((n) => n.length <= 64))
    const r = await c.callTool({ name: 'modern__echo', arguments: { message: 'agg' } })
    assert.match(JSON.stringify(r.content), /agg/)
    assert.match(c.getInstructions() ?? '', new RegExp(`needs-oauth.*/api/v1/mcps/${o.json.id}/oauth/start`))
    await c.close()
  }
  // bob sees none of alice's servers.
  const b = await connect(`${gw.base}/mcp`, bob)
  assert.equal((await b.listTools()).tools, [])
  await b.close()
  await gw.req('DELETE', `/mcps/${o.json.id}`, { token: alice })
})

const inspectorDir = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/index.js')))
const inspector = (args: string[]) => new Promise<string>((resolve, reject) => {
  // Run from its build directory: it finds its own package.json relative to the working directory.
  execFile(process.execPath, [join(inspectorDir, 'index.js'), ...args], { cwd: inspectorDir, timeout: 60_000 }, (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out)))
})

test('the MCP Inspector CLI lists and calls through both endpoints', async () => {
  const t = await pat(alice)
  for (const [path, echo] of [[`/mcps/${ids.ev}/mcp`, 'echo'], ['/mcp', 'ev__echo']] as const) {
    const auth = ['--transport', 'http', '--header', `Authorization: Bearer ${t.token}`]
    const list = JSON.parse(await inspector([gw.base + path, ...auth, '--method', 'tools/list']))
    assert.ok(list.tools.some((x: any) => x.name === echo))
    const call = JSON.parse(await inspector([gw.base + path, ...auth, '--method', 'tools/call', '--tool-name', echo, '--tool-arg', 'message=inspected']))
    assert.match(JSON.stringify(call.content), /inspected/)
  }
})

test('a token revoked on another instance stops working here within the cache time', async () => {
  const t = await pat(alice)
  const ok = await connect(`${gw.base}/mcps/${ids.ev}/mcp`, t.token)
  await ok.close()
  // Another instance revokes: the record goes from the store; this instance's cache is not told.
  await (await gw.deps.store()).delete(TOKENS, t.id)
  const t0 = Date.now()
  let status = 0
  while (Date.now() - t0 < TOKEN_CACHE_MS + 5000) {
    status = (await gw.req('POST', `/mcps/${ids.ev}/mcp`, { token: t.token, body: { jsonrpc: '2.0', id: 1, method: 'ping' } })).status
    if (status === 401) break
    await new Promise((r) => setTimeout(r, 200))
  }
  assert.is(status, 401)
  assert.ok(Date.now() - t0 <= TOKEN_CACHE_MS + 2000, `${Date.now() - t0} ms`)
})

test('org admins list and revoke their members\' tokens; others get 404', async () => {
  const carol = await gw.token('carol', { org: 'acme' })
  const dave = await gw.token('dave', { org: 'acme', admin: true })
  const erin = await gw.token('erin', { org: 'globex', admin: true })
  const t = await pat(carol)
  const list = await gw.req('GET', '/tokens?scope=org', { token: dave })
  assert.ok(list.json.items.some((x: any) => x.id === t.id))
  assert.is((await gw.req('GET', '/tokens?scope=org', { token: carol })).status, 403)
  assert.is((await gw.req('DELETE', `/tokens/${t.id}`, { token: erin })).status, 404)
  assert.is((await gw.req('DELETE', `/tokens/${t.id}`, { token: bob })).status, 404)
  assert.is((await gw.req('DELETE', `/tokens/${t.id}`, { token: dave })).status, 204)
  // Both are audited, with the token's id and never the token.
  await auditFlushed()
  const lines = gw.logs.filter((l) => l.includes(t.id) && l.includes('"audit"'))
  assert.ok(lines.some((l) => l.includes('token.create') && l.includes('"actor":"carol"')), lines.join('\n').slice(0, 500))
  assert.ok(lines.some((l) => l.includes('token.revoke') && l.includes('"actor":"dave"')))
  assert.not.ok(gw.logs.some((l) => l.includes(t.token.slice(-43))), 'a token secret in the log')
})

test('a stored secret an upstream echoes never reaches the agent: results, errors, log messages, listings', async () => {
  const echo = await startEchoSecrets()
  try {
    const secret = 'sk-agent-proxy-0123456789abcdef'
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'careless', type: 'http', endpoint: echo.url, auth_type: 'bearer', config: { token: secret, tool_policy: { mode: 'open' } } } })
    assert.is(r.status, 201, r.text)
    for (const modernEra of [false, true]) {
      const seen: string[] = []
      const c = new Client({ name: 'agent-test', version: '1' }, modernEra ? { versionNegotiation: { mode: 'auto' } } : {})
      c.setNotificationHandler('notifications/message', (n) => { seen.push(JSON.stringify(n)) })
      const fetchSpy = async (u: any, init: any) => {
        const res = await fetch(u, init)
        const text = await res.clone().text()
        seen.push(text)
        return res
      }
      await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.base}/mcps/${r.json.id}/mcp`), { fetch: fetchSpy as any, requestInit: { headers: { authorization: `Bearer ${alice}` } } }) as any)
      seen.push(JSON.stringify(await c.listTools()))
      for (const name of ['echo_headers', 'echo_headers_error', 'echo_headers_log']) {
        seen.push(JSON.stringify(await c.callTool({ name, arguments: {} }).catch((e) => String(e?.message))))
      }
      await c.close()
      assert.ok(seen.join('').includes('you sent'), 'the tool answered')
      assert.not.ok(seen.join('\n').includes(secret), `era ${modernEra ? 'modern' : 'legacy'}: the secret reached the agent`)
    }
  } finally {
    await echo.stop()
  }
})

test('tenancy through the aggregate: others see none of alice\'s servers with either credential; org members see the org\'s', async () => {
  const dave = await gw.token('dave', { org: 'acme', admin: true })
  const carol = await gw.token('carol', { org: 'acme' })
  const erin = await gw.token('erin', { org: 'globex', admin: true })
  const org = await gw.req('POST', '/mcps', { token: dave, body: { name: 'Acme Tools', type: 'http', endpoint: ev.url, scope: 'org', config: { tool_policy: { mode: 'open' } } } })
  assert.is(org.status, 201, org.text)
  for (const who of [bob, (await pat(bob)).token, erin, (await pat(erin)).token]) {
    const c = await connect(`${gw.base}/mcp`, who)
    const names = (await c.listTools()).tools.map((t) => t.name)
    assert.not.ok(names.some((n) => n.startsWith('ev__') || n.startsWith('modern__') || n.startsWith('acme-tools__')), names.join())
    const err = await c.callTool({ name: 'ev__echo', arguments: { message: 'x' } }).then(() => undefined, (e) => e)
    assert.is(err?.code, -32602)
    await c.close()
  }
  for (const who of [carol, (await pat(carol)).token]) {
    const c = await connect(`${gw.base}/mcp`, who)
    const r = await c.callTool({ name: 'acme-tools__echo', arguments: { message: 'org' } })
    assert.match(JSON.stringify(r.content), /org/)
    assert.not.ok((await c.listTools()).tools.some((t) => t.name.startsWith('ev__')))
    await c.close()
  }
  await gw.req('DELETE', `/mcps/${org.json.id}`, { token: dave })
})

test('found by fuzzing: /mcps/%2e%2e/mcp is no endpoint (not the aggregate its dot segment resolves to)', async () => {
  for (const seg of ['%2e%2e', '%2E%2e', '..', '.', '%2e']) {
    const r = await raw(gw.url, { method: 'POST', path: `/api/v1/mcps/${seg}/mcp`, headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }) })
    // `..` resolves to /mcp (the aggregate), `.` to /mcps/mcp (a config id): neither may answer here.
    assert.ok(r.status === 404 || r.status === 405, `${seg}: ${r.status} ${r.text.slice(0, 200)}`)
    const meta = await raw(gw.url, { method: 'GET', path: `/.well-known/oauth-protected-resource/api/v1/mcps/${seg}/mcp`, headers: {} })
    assert.ok(meta.status === 404 || meta.status === 405, `metadata ${seg}: ${meta.status} ${meta.text.slice(0, 200)}`)
  }
})

test('cancellation passes through: the agent cancels, the upstream is told (notifications/cancelled)', async () => {
  const up = await startLegacyServer()
  try {
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'slowpoke', type: 'http', endpoint: up.url, config: { tool_policy: { mode: 'open' } } } })
    const c = await connect(`${gw.base}/mcps/${r.json.id}/mcp`, alice)
    await c.callTool({ name: 'echo', arguments: { message: 'warm' } })
    up.reset()
    const ac = new AbortController()
    const call = c.callTool({ name: 'slow', arguments: { ms: 20_000 } }, { signal: ac.signal } as any).then(() => 'answered', () => 'cancelled')
    // Cancel once the call has reached the upstream.
    const t0 = Date.now()
    while (!up.requests.some((q) => q.jsonrpcMethods.includes('tools/call')) && Date.now() - t0 < 10_000) await new Promise((x) => setTimeout(x, 20))
    ac.abort()
    assert.is(await call, 'cancelled')
    while (!up.requests.some((q) => q.jsonrpcMethods.includes('notifications/cancelled')) && Date.now() - t0 < 15_000) await new Promise((x) => setTimeout(x, 50))
    assert.ok(up.requests.some((q) => q.jsonrpcMethods.includes('notifications/cancelled')), JSON.stringify(up.requests.map((q) => q.jsonrpcMethods)))
    assert.ok(Date.now() - t0 < 15_000)
    await c.close()
  } finally {
    await up.stop()
  }
})

test('the aggregate carries prompts and resources too, namespaced, and reads route back to their server', async () => {
  const c = await aggregate(alice)
  const prompts = (await c.listPrompts()).prompts
  const simple = prompts.find((p) => p.name.startsWith('ev__') && !(p.arguments ?? []).some((a) => a.required))
  assert.ok(simple, prompts.map((p) => p.name).join())
  const got = await c.getPrompt({ name: simple!.name, arguments: {} })
  assert.ok(got.messages.length > 0)
  const resources = (await c.listResources()).resources
  const mine = resources.filter((r) => r.uri.startsWith('mcpgw://ev/'))
  assert.ok(mine.length > 0, resources.map((r) => r.uri).slice(0, 5).join())
  const read = await c.readResource({ uri: mine[0]!.uri })
  assert.is(read.contents[0]!.uri, mine[0]!.uri)
  const err = await c.readResource({ uri: 'mcpgw://nobody/x' }).then(() => undefined, (e) => e)
  assert.is(err?.code, -32602)
  await c.close()
})

test('the aggregate carries resource templates (namespaced, expanding to URIs that read back), completions and logging levels', async () => {
  const c = await aggregate(alice)
  const caps = c.getServerCapabilities()!
  assert.ok(caps.completions && caps.logging, JSON.stringify(caps))
  const templates = (await c.listResourceTemplates()).resourceTemplates
  const text = templates.find((t) => t.uriTemplate.startsWith('mcpgw://ev/') && t.uriTemplate.includes('dynamic%2Ftext'))
  assert.ok(text, templates.map((t) => t.uriTemplate).join())
  assert.is(text!.uriTemplate, `mcpgw://ev/${encodeURIComponent('demo://resource/dynamic/text/')}{resourceId}`)
  const uri = text!.uriTemplate.replace('{resourceId}', '7')
  const read = await c.readResource({ uri })
  assert.is(read.contents[0]!.uri, uri)
  assert.match(JSON.stringify(read.contents), /7/)
  // Completions: a prompt's arguments and a template's variables, mapped back to the config's own names.
  const p = await c.complete({ ref: { type: 'ref/prompt', name: 'ev__completable-prompt' }, argument: { name: 'department', value: 'Eng' } })
  assert.equal(p.completion.values, ['Engineering'])
  const r = await c.complete({ ref: { type: 'ref/resource', uri: text!.uriTemplate }, argument: { name: 'resourceId', value: '1' } })
  assert.ok(r.completion.values.length > 0, JSON.stringify(r))
  const bad = await c.complete({ ref: { type: 'ref/prompt', name: 'nobody__x' }, argument: { name: 'a', value: '' } }).then(() => undefined, (e) => e)
  assert.is(bad?.code, -32602)
  // One level for all: the servers that log take it.
  await c.setLoggingLevel('debug')
  await c.close()
})

test('a server that never answers does not hold up the aggregate: it is a line of instructions, the others work', async () => {
  const { createServer } = await import('node:net')
  const sockets = new Set<import('node:net').Socket>()
  const hang = createServer((sock) => { sockets.add(sock) })
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r))
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'Sleepy', type: 'http', endpoint: `http://127.0.0.1:${(hang.address() as { port: number }).port}/mcp`, config: { timeout_ms: 60_000 } } })
  try {
    const t0 = Date.now()
    const c = await connect(`${gw.base}/mcp`, alice)
    assert.ok(Date.now() - t0 < 15_000, `initialize took ${Date.now() - t0} ms`)
    assert.match(c.getInstructions() ?? '', /sleepy \(Sleepy\)/)
    const r2 = await c.callTool({ name: 'modern__echo', arguments: { message: 'still here' } })
    assert.match(JSON.stringify(r2.content), /still here/)
    await c.close()
  } finally {
    await gw.req('DELETE', `/mcps/${r.json.id}`, { token: alice })
    for (const s of sockets) s.destroy()
    hang.close()
  }
})

test('a browser page from a foreign Origin is refused (DNS rebinding); an agent sends none', async () => {
  const body = { jsonrpc: '2.0', id: 1, method: 'ping' }
  const r = await gw.req('POST', `/mcps/${ids.ev}/mcp`, { token: alice, body, headers: { origin: 'https://evil.example' } })
  assert.is(r.status, 403)
  assert.is(r.json.code, 'forbidden')
  const agg = await gw.req('POST', '/mcp', { token: alice, body, headers: { origin: 'https://evil.example' } })
  assert.is(agg.status, 403)
})

test.run()
