/**
 * The gateway wired as in production: Firestore (the official emulator) as the
 * store and Secret Manager (the real client against an in-test gRPC server) as
 * the vault, driven through the public API against a real upstream.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { randomUUID } from 'node:crypto'
import { FirestoreStore } from '../shared/adapters/store-firestore.js'
import { SecretManagerVault } from '../shared/adapters/vault-secret-manager.js'
import { emulatorFirestore, noEmulator, startFirestoreEmulator } from './support/firestore-emulator.js'
import { needs } from './support/components.js'
import { startSecretManagerFake, type SecretManagerFake } from './support/secret-manager-fake.js'
import { startGateway, type Gateway } from './support/gateway.js'
import { auditFlushed } from '../shared/audit.js'
import { startLegacyServer, type LegacyServerHandle } from '../test/servers/legacy.js'

const emu = await startFirestoreEmulator()
const test = needs(suite('production adapters end to end'), emu ? null : noEmulator())

let gw: Gateway
let sm: SecretManagerFake
let up: LegacyServerHandle
let firestore: Awaited<ReturnType<typeof emulatorFirestore>>
const prefix = `e2e${randomUUID().slice(0, 6)}_`
const TOKEN = 'upstream-token-' + randomUUID()

test.before(async () => {
  firestore = await emulatorFirestore(emu!)
  sm = await startSecretManagerFake()
  up = await startLegacyServer({ requireBearer: TOKEN })
  const store = new FirestoreStore({ projectId: emu!.projectId, prefix, firestore })
  const vault = new SecretManagerVault({ projectId: 'proj', prefix: 'mcpgw-', client: await sm.client() })
  gw = await startGateway({ env: { STORE: 'firestore', VAULT: 'secret-manager' }, over: { store: async () => store, vault: async () => vault } })
})

test.after(async () => {
  await gw.close()
  await up.stop()
  await sm.stop()
  await firestore.terminate()
  await emu!.stop()
})

test('register, list tools, execute and delete with Firestore and Secret Manager behind the API', async () => {
  const alice = await gw.token('alice')
  const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'prod', type: 'http', endpoint: up.url, auth_type: 'bearer', config: { token: TOKEN, secret_headers: { 'X-Key': 'hdr-secret-1' } } } })
  assert.is(c.status, 201, c.text)
  const id = c.json.id

  // Firestore holds the config without secrets; Secret Manager holds them under an opaque id.
  const doc = (await firestore.collection(`${prefix}mcps`).doc(id).get()).data()!
  const text = JSON.stringify(doc)
  assert.not.match(text, TOKEN)
  assert.not.match(text, 'hdr-secret-1')
  const names = [...sm.secrets().keys()]
  assert.is(names.length, 1)
  assert.not.match(names[0]!, id)
  assert.not.match(names[0]!, 'alice')

  const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
  assert.ok(tools.json.tools.some((t: { name: string }) => t.name === 'echo'))

  const run = await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'hi' } } })
  assert.is(run.status, 200, run.text)
  assert.equal(run.json.content, [{ type: 'text', text: 'Echo: hi' }])
  assert.ok(up.requests.some((r) => r.headers.authorization === `Bearer ${TOKEN}` && r.headers['x-key'] === 'hdr-secret-1'))

  // Audit records landed in Firestore.
  await auditFlushed()
  const audits = await firestore.collection(`${prefix}audit`).get()
  const actions = audits.docs.map((d) => d.data().d.action).sort()
  assert.equal(actions, ['mcp.create', 'tool.execute'])

  const del = await gw.req('DELETE', `/mcps/${id}`, { token: alice })
  assert.is(del.status, 204)
  assert.is(sm.secrets().size, 0, 'secret deleted with the config')
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).status, 404)
})

test('bob gets 404 for alice\'s MCP on the Firestore store too', async () => {
  const alice = await gw.token('alice')
  const bob = await gw.token('bob')
  const c = await gw.req('POST', '/mcps', { token: alice, body: { name: 'a', type: 'http', endpoint: up.url } })
  assert.is((await gw.req('GET', `/mcps/${c.json.id}`, { token: bob })).status, 404)
  assert.is((await gw.req('GET', '/mcps', { token: bob })).json.items.length, 0)
})

test('cursor pagination over Firestore returns every config exactly once', async () => {
  const carol = await gw.token('carol')
  const made = new Set<string>()
  for (let i = 0; i < 5; i++) made.add((await gw.req('POST', '/mcps', { token: carol, body: { name: `c${i}`, type: 'http', endpoint: up.url } })).json.id)
  const seen: string[] = []
  let cursor: string | null = null
  for (let page = 0; page < 10; page++) {
    const r: any = await gw.req('GET', `/mcps?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: carol })
    assert.is(r.status, 200, r.text)
    seen.push(...r.json.items.map((x: { id: string }) => x.id))
    cursor = r.json.next_cursor
    if (!cursor) break
  }
  assert.equal(seen.sort(), [...made].sort())
})

test('health reports both production adapters reachable', async () => {
  const h = await gw.req('GET', '/health')
  assert.is(h.status, 200, h.text)
  assert.is(h.json.store.ok, true)
  assert.is(h.json.vault.ok, true)
  assert.is(h.json.store.adapter, 'firestore')
})

test.run()
