/**
 * Secret values echoed back by an upstream (issue 10, finding 6): a server
 * that repeats the request's headers (an org config's bearer token and
 * X-Api-Key), a user's OAuth access token, or a stdio server that prints its
 * secret env. What it says reaches org members and the logs only with those
 * values masked, in problem details, tool results, streamed events and every
 * log line; other text is left alone.
 */
import { rm } from 'node:fs/promises'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { MCP_STATE } from '../shared/mcp/state.js'
import { startEchoSecrets } from './servers/echo-secrets.js'
import type { TestServerHandle } from './servers/tools.js'
import { parseSse } from './support/sse.js'
import { writeTestCatalog, type TestCatalog } from './support/pool.js'
import { stopPool } from '../shared/stdio-pool/instance.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { APP, connectOAuth, registerOAuth, storedTokens } from './oauth/gateway-flow.js'

const rnd = () => Math.random().toString(36).slice(2)
const BEARER = `org-bearer-${rnd()}`
const API_KEY = `org-api-key-${rnd()}`
/** A value JSON has to escape: it must be masked in its escaped forms too. */
const ODD = `odd"se\\cret-${rnd()}`
const ENV_SECRET = `env-secret-${rnd()}`
const MASK = '[redacted]'

const test = suite('secrets echoed by an upstream')
let gw: Gateway
let echo: TestServerHandle
let cat: TestCatalog
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let admin: string
let member: string
let alice: string
let orgId: string
/** Every response body and streamed event the callers got. */
const seen: string[] = []
/** Every secret value the test made, for the sweep at the end. */
const secrets = [BEARER, API_KEY, ODD, ENV_SECRET]

const run = async (token: string, id: string, tool: string, args: Record<string, unknown> = {}): Promise<Res> => {
  const r = await gw.req('POST', `/mcps/${id}/tools/${tool}/execute`, { token, body: { arguments: args } })
  seen.push(r.text)
  return r
}

async function stream(token: string, id: string, tool: string): Promise<{ text: string; events: { event: string; data: any }[] }> {
  const res = await fetch(`${gw.base}/mcps/${id}/tools/${tool}/execute`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ arguments: {} }),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  seen.push(text)
  return { text, events: parseSse(text) }
}

const leaks = (text: string) => secrets.filter((s) => text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1)))

test.before(async () => {
  cat = await writeTestCatalog()
  ;[gw, echo, as] = await Promise.all([startGateway({ env: { STDIO_CATALOG: cat.file, APP_ORIGINS: APP } }), startEchoSecrets(), startProvider({ accessTokenTtlSec: 3600 })])
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  admin = await gw.token('ada', { org: 'acme', admin: true })
  member = await gw.token('mia', { org: 'acme' })
  alice = await gw.token('alice')
  const r = await gw.req('POST', '/mcps', {
    token: admin,
    body: {
      name: 'careless', type: 'http', endpoint: echo.url, scope: 'org', auth_type: 'bearer',
      // Open: members call it without an admin's first listing (pinning is tested in governance.test.ts).
      config: { token: BEARER, headers: { 'X-Plain': 'plain-header-value' }, secret_headers: { 'X-Api-Key': API_KEY, 'X-Odd': ODD }, tool_policy: { mode: 'open' } },
    },
  })
  assert.is(r.status, 201, r.text)
  orgId = r.json.id
})

test.after(async () => {
  await Promise.allSettled([echo?.stop(), mcp?.stop(), as?.stop()])
  await gw?.close()
  await stopPool(2000)
  await rm(cat.dir, { recursive: true, force: true })
})

test('an org member\'s 502 detail from a server that repeats the headers holds no secret value', async () => {
  const r = await run(member, orgId, 'echo_headers_error')
  assert.is(r.status, 502, r.text)
  assert.is(r.json.code, 'upstream_error')
  assert.equal(leaks(r.text), [], r.text)
  assert.ok(r.json.detail.includes(MASK) && r.json.upstream.message.includes(MASK), r.text)
  // Only secret values are masked: the rest of what the server said stays.
  assert.ok(r.json.detail.includes('plain-header-value'), r.text)
})

test('a tool result that repeats the headers reaches the member with the secret values masked', async () => {
  const r = await run(member, orgId, 'echo_headers')
  assert.is(r.status, 200, r.text)
  assert.equal(leaks(r.text), [], r.text)
  const text = r.json.content[0].text as string
  assert.ok(text.includes(`Bearer ${MASK}`), text)
  assert.ok(text.includes('plain-header-value'), text)
})

test('a listing that repeats the headers: masked in the answer and in the stored upstream state', async () => {
  const r = await gw.req('GET', `/mcps/${orgId}/tools`, { token: member })
  seen.push(r.text)
  assert.is(r.status, 200, r.text)
  assert.equal(leaks(r.text), [], r.text)
  const store = await gw.deps.store()
  // The listing is stored in the background: wait (bounded) until it is there, then look inside.
  let stored = ''
  for (let i = 0; i < 100 && !stored.includes('listed for'); i++) {
    const page = await store.list<Record<string, unknown>>(MCP_STATE, { limit: 100 })
    stored = JSON.stringify(page.items)
    if (!stored.includes('listed for')) await new Promise((ok) => setTimeout(ok, 50))
  }
  assert.ok(stored.includes('listed for') && stored.includes(MASK), stored.slice(0, 500))
  assert.equal(leaks(stored), [], stored.slice(0, 500))
})

test('streamed: log and result events hold no secret value', async () => {
  const s = await stream(member, orgId, 'echo_headers_log')
  assert.equal(leaks(s.text), [], s.text)
  const log = s.events.find((e) => e.event === 'log')
  assert.ok(log && String(log.data.data).includes(MASK), s.text)
  assert.is(s.events.at(-1)?.event, 'result', s.text)
})

test('a stdio server that prints its environment: the secret env value is masked in the result', async () => {
  const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'fake', type: 'stdio', config: { catalog_id: 'fake', env: { FAKE_TOKEN: ENV_SECRET } } } })
  assert.is(c.status, 201, c.text)
  const r = await run(alice, c.json.id, 'env')
  assert.is(r.status, 200, r.text)
  assert.equal(leaks(r.text), [], r.text)
  assert.is(JSON.parse(r.json.content[0].text).FAKE_TOKEN, MASK)
})

test('OAuth: a server that repeats the access token, in a result or an error, has it masked', async () => {
  const id = await registerOAuth(gw, alice, mcp.url)
  await connectOAuth(gw, id, alice)
  const tokens = JSON.parse((await storedTokens(gw, 'alice', id))!)
  secrets.push(tokens.access_token, ...(tokens.refresh_token ? [tokens.refresh_token] : []))
  const ok = await run(alice, id, 'echo_token')
  assert.is(ok.status, 200, ok.text)
  assert.is(ok.json.content[0].text, `you sent Bearer ${MASK}`)
  const bad = await run(alice, id, 'echo_token_error')
  assert.is(bad.status, 502, bad.text)
  assert.ok(bad.json.detail.includes(`token ${MASK} is not welcome`), bad.text)
  assert.equal(leaks(ok.text + bad.text), [])
})

test('sweep: no secret value in any response, streamed event or log line', () => {
  assert.ok(gw.logs.some((l) => l.includes(MASK)), 'the upstream\'s words reached the logs (masked)')
  for (const text of [...seen, ...gw.logs]) assert.equal(leaks(text), [], text.slice(0, 500))
})

test.run()
