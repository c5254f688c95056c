/**
 * Issue 17 §3: GET /api/v1/audit and GET /api/v1/mcps/{id}/usage through the
 * real gateway in local mode, on the local store and on Firestore (the official
 * emulator), against a real MCP server (test/servers/mutable.ts):
 * who sees which records, filters and pages, the query's validation, usage
 * per user and per org, and that no argument or result is ever stored or shown.
 */
import { randomUUID } from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { FirestoreStore } from '../shared/adapters/store-firestore.js'
import { AUDIT } from '../shared/audit.js'
import type { Store } from '../shared/ports.js'
import { USAGE } from '../shared/usage/counters.js'
import { needs } from './support/components.js'
import { emulatorFirestore, noEmulator, startFirestoreEmulator } from './support/firestore-emulator.js'
import { startGateway, type Gateway } from './support/gateway.js'
import { startMutableServer, tool, type MutableServer } from './servers/mutable.js'
import { auditFlushed } from '../shared/audit.js'
import { storeText } from './support/store-text.js'

const emu = await startFirestoreEmulator()

for (const adapter of ['local', 'firestore'] as const) {
const test = needs(suite(`audit and usage API (${adapter} store)`), adapter === 'firestore' && !emu ? noEmulator() : null)
let gw: Gateway
let srv: MutableServer
let alice: string, bob: string, carol: string, dave: string
const ids: Record<string, string> = {}
// Goes into arguments and comes back in results: it must never reach the store or the audit API.
const MARKER = 'arg-value-7f3c9e'

const exec = (id: string, token: string, name: string, args: Record<string, unknown> = {}) =>
  gw.req('POST', `/mcps/${id}/tools/${name}/execute`, { token, body: { arguments: args } })

test.before(async () => { try { await setup() } catch (e) { console.error(e); throw e } })
async function setup() {
  let over = {}
  if (adapter === 'firestore') {
    const store = new FirestoreStore({ projectId: emu!.projectId, prefix: `a${randomUUID().slice(0, 8)}_`, firestore: await emulatorFirestore(emu!) })
    over = { store: async () => store }
  }
  gw = await startGateway({ env: { QUOTA_VAULT_WRITES_PER_MINUTE: '1000' }, over })
  srv = await startMutableServer({ tools: [tool('echo', 'Echoes', { message: { type: 'string' } }), tool('other', 'Other')] })
  alice = await gw.token('alice')
  bob = await gw.token('bob')
  carol = await gw.token('carol', { org: 'acme' })
  dave = await gw.token('dave', { org: 'acme', admin: true })
  const make = async (token: string, body: Record<string, unknown>) => {
    const r = await gw.req('POST', '/mcps', { token, body: { name: 'audited', type: 'http', endpoint: srv.url, ...body } })
    assert.is(r.status, 201, r.text)
    return r.json.id as string
  }
  ids.alice = await make(alice, { config: { tool_policy: { mode: 'open', deny: ['other'] } } })
  ids.acme = await make(dave, { scope: 'org' })
  for (let i = 0; i < 3; i++) assert.is((await exec(ids.alice, alice, 'echo', { message: `${MARKER}-${i}` })).status, 200)
  assert.is((await exec(ids.alice, alice, 'other')).status, 404) // a denied tool reads as missing
  assert.is((await exec(ids.acme, dave, 'echo', { message: MARKER })).status, 200)
  assert.is((await exec(ids.acme, carol, 'echo', { message: MARKER })).status, 200)
  assert.is((await exec(ids.acme, carol, 'echo', { message: MARKER })).status, 200)
  await auditFlushed()
}
test.after(async () => {
  await gw?.close()
  await srv?.stop()
})

const audit = (token: string, q = '') => gw.req('GET', `/audit${q}`, { token })

test('a user sees their own records, newest first, as stored less the TTL field', async () => {
  const r = await audit(alice)
  assert.is(r.status, 200, r.text)
  assert.is(r.json.next_cursor, null)
  const items = r.json.items as any[]
  assert.equal(items.map((i) => i.action), ['tool.blocked', 'tool.execute', 'tool.execute', 'tool.execute', 'mcp.create'])
  assert.ok(items.every((i) => i.actor === 'alice' && i.org === null))
  const ats = items.map((i) => Date.parse(i.at))
  assert.equal([...ats].sort((a, b) => b - a), ats)
  const run = items[1]
  assert.equal(Object.keys(run).sort(), ['action', 'actor', 'argument_names', 'at', 'duration_ms', 'id', 'mcp_id', 'org', 'outcome', 'tool'])
  assert.equal(run.argument_names, ['message'])
  assert.is(run.mcp_id, ids.alice)
  assert.match(run.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  assert.equal({ outcome: items[0].outcome, code: items[0].code }, { outcome: 'denied', code: 'tool_denied' })
  assert.equal((await audit(bob)).json.items, [])
})

test('an org admin sees every record of the org; a member only their own', async () => {
  const admin = (await audit(dave)).json.items as any[]
  assert.equal(new Set(admin.map((i) => i.actor)), new Set(['dave', 'carol']))
  assert.ok(admin.every((i) => i.org === 'acme'))
  const member = (await audit(carol)).json.items as any[]
  assert.is(member.length, 2)
  assert.ok(member.every((i) => i.actor === 'carol'))
})

test('filters by config, action and time; pages with next_cursor', async () => {
  const runs = (await audit(alice, `?action=tool.execute&mcp_id=${ids.alice}`)).json.items as any[]
  assert.is(runs.length, 3)
  assert.equal((await audit(alice, `?mcp_id=${ids.acme}`)).json.items, [])
  const all = (await audit(alice)).json.items as any[]
  // since inclusive, until exclusive: exactly the records in between.
  const from = all[3].at, to = all[1].at
  const mid = (await audit(alice, `?since=${from}&until=${to}`)).json.items as any[]
  assert.equal(mid.map((i) => i.id), all.slice(2, 4).map((i) => i.id))
  const seen: string[] = []
  let cursor = ''
  for (let i = 0; i < 10; i++) {
    const p = await audit(alice, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
    assert.is(p.status, 200, p.text)
    assert.ok(p.json.items.length <= 2)
    seen.push(...p.json.items.map((x: any) => x.id))
    if (!p.json.next_cursor) break
    cursor = p.json.next_cursor
  }
  assert.equal(seen, all.map((i) => i.id))
})

test('a bad query is a 400 invalid_request naming the parameter', async () => {
  for (const [q, path] of [['?since=yesterday', '/since'], ['?until=2026-13-01T00:00:00Z', '/until'], ['?since=2026-02-30T00:00:00Z', '/since'], ['?limit=0', '/limit'], ['?limit=201', '/limit'], ['?action=tool.run', '/action'], ['?cursor=bm9wZQ', undefined], ['?color=red', '/color']] as const) {
    const r = await audit(alice, q)
    assert.is(r.status, 400, `${q}: ${r.text}`)
    assert.is(r.json.code, 'invalid_request')
    if (path) assert.ok(r.json.errors.some((e: { path: string }) => e.path === path), `${q}: ${r.text}`)
  }
  assert.is((await gw.req('GET', '/audit')).status, 401)
})

test('usage: calls, errors by code and latency for the caller; 404 for a config they cannot see', async () => {
  const u = await gw.req('GET', `/mcps/${ids.alice}/usage`, { token: alice })
  assert.is(u.status, 200, u.text)
  assert.is(u.json.mcp_id, ids.alice)
  assert.is(u.json.window, '24h')
  assert.is(u.json.scope, 'user')
  assert.is(u.json.calls, 4)
  assert.equal(u.json.errors, { tool_denied: 1 })
  assert.ok(u.json.latency_ms.p50 >= 1 && u.json.latency_ms.p95 >= u.json.latency_ms.p50, u.text)
  assert.ok(Date.parse(u.json.until) - Date.parse(u.json.since) >= 24 * 3600_000)
  assert.is((await gw.req('GET', `/mcps/${ids.alice}/usage?window=1h`, { token: alice })).json.calls, 4)
  assert.is((await gw.req('GET', `/mcps/${ids.alice}/usage`, { token: bob })).status, 404)
  assert.is((await gw.req('GET', `/mcps/${ids.alice}/usage`, { token: dave })).status, 404)
  const bad = await gw.req('GET', `/mcps/${ids.alice}/usage?window=2d`, { token: alice })
  assert.is(bad.status, 400)
  assert.ok(bad.json.errors.some((e: { path: string }) => e.path === '/window'))
})

test('usage of an org config: the admin sees the org, a member only their own calls', async () => {
  const admin = await gw.req('GET', `/mcps/${ids.acme}/usage?window=7d`, { token: dave })
  assert.equal({ scope: admin.json.scope, calls: admin.json.calls, errors: admin.json.errors }, { scope: 'org', calls: 3, errors: {} })
  const member = await gw.req('GET', `/mcps/${ids.acme}/usage`, { token: carol })
  assert.equal({ scope: member.json.scope, calls: member.json.calls }, { scope: 'user', calls: 2 })
  const none = await gw.req('GET', `/mcps/${ids.acme}/usage`, { token: alice })
  assert.is(none.status, 404)
})

test('no argument value or result is stored or shown', async () => {
  await auditFlushed()
  const store: Store = await gw.deps.store()
  const stored = JSON.stringify(await Promise.all([AUDIT, USAGE].map((c) => store.list(c, { limit: 1000 }))))
  assert.ok(stored.includes('"tool.execute"'), 'the audit records are in the store')
  assert.not.ok(stored.includes(MARKER), 'an argument value or result reached the store')
  if (adapter === 'local') assert.not.ok(storeText(gw.dataDir).includes(MARKER), 'an argument value or result reached the store files')
  for (const t of [alice, carol, dave]) assert.not.ok((await audit(t)).text.includes(MARKER))
})

test.run()
}
