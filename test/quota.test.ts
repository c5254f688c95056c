/**
 * Per-tenant quotas through the public API (local store): configs per user and
 * per org, and vault writes per user per minute. Beyond them: 429 problem+json
 * with a stable code and Retry-After, nothing written to the vault, other users
 * unaffected; deleting frees a place; concurrent creates never pass the limit.
 * test/quota-firestore.test.ts runs the same records on the Firestore emulator.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { MCPS, type McpConfig } from '../shared/registry/model.js'

const test = suite('quotas')
let gw: Gateway
let offset = 0
const clock = { now: () => Date.now() + offset }
const QUOTA = { QUOTA_CONFIGS_PER_USER: '4', QUOTA_CONFIGS_PER_ORG: '2', QUOTA_VAULT_WRITES_PER_MINUTE: '3' }

test.before(async () => {
  gw = await startGateway({ env: QUOTA, over: { clock } })
})
test.after(async () => {
  await gw.close()
})

const plain = (n = 0) => ({ name: `s${n}`, type: 'http', endpoint: 'http://127.0.0.1:9/mcp' })
const bearer = (n = 0) => ({ ...plain(n), auth_type: 'bearer', config: { token: `secret-${n}-${Math.random().toString(36).slice(2)}` } })
const create = (token: string, body: unknown) => gw.req('POST', '/mcps', { token, body })
const vaultEntries = async () => (await readdir(join(gw.dataDir, 'vault')).catch(() => [] as string[])).length

function isTooMany(r: Res, code: 'quota_exceeded' | 'rate_limited', what: string) {
  assert.is(r.status, 429, `${what}: ${r.text}`)
  assert.match(r.headers.get('content-type') ?? '', 'application/problem+json')
  assert.is(r.json.code, code, what)
  const after = Number(r.headers.get('retry-after'))
  assert.ok(Number.isInteger(after) && after >= 1 && after <= 60, `Retry-After ${r.headers.get('retry-after')}`)
}

test('configs past the per-user quota are 429 quota_exceeded; another user is unaffected; deleting frees a place', async () => {
  const alice = await gw.token('alice')
  const ids: string[] = []
  for (let i = 0; i < 4; i++) {
    const r = await create(alice, plain(i))
    assert.is(r.status, 201, r.text)
    ids.push(r.json.id)
  }
  const vault = await vaultEntries()
  const over = await create(alice, bearer(9))
  isTooMany(over, 'quota_exceeded', 'fifth config')
  assert.equal(over.json.quota, { name: 'configs_per_user', limit: 4 })
  assert.is(await vaultEntries(), vault, 'a refused create writes no secret')
  const bob = await gw.token('bob')
  assert.is((await create(bob, plain())).status, 201, 'bob has his own quota')
  assert.is((await gw.req('DELETE', `/mcps/${ids[0]}`, { token: alice })).status, 204)
  assert.is((await create(alice, plain(5))).status, 201, 'the deleted config freed its place')
  isTooMany(await create(alice, plain(6)), 'quota_exceeded', 'full again')
  assert.is((await gw.req('GET', '/mcps', { token: alice })).json.items.length, 4)
})

test('org configs count against the org, not against the admin who made them', async () => {
  const dave = await gw.token('dave', { org: 'acme', admin: true })
  const org = (n: number) => ({ ...plain(n), scope: 'org' })
  assert.is((await create(dave, org(1))).status, 201)
  assert.is((await create(dave, org(2))).status, 201)
  const over = await create(dave, org(3))
  isTooMany(over, 'quota_exceeded', 'third org config')
  assert.equal(over.json.quota, { name: 'configs_per_org', limit: 2 })
  assert.is((await create(dave, plain(1))).status, 201, 'dave\'s own quota is separate')
  const other = await gw.token('olga', { org: 'globex', admin: true })
  assert.is((await create(other, org(1))).status, 201, 'another org is unaffected')
})

test('vault writes past the per-minute limit are 429 rate_limited, write nothing, and come back the next minute', async () => {
  const erin = await gw.token('erin')
  const made: string[] = []
  for (let i = 0; i < 3; i++) {
    const r = await create(erin, bearer(i))
    assert.is(r.status, 201, r.text)
    made.push(r.json.id)
  }
  const vault = await vaultEntries()
  const over = await create(erin, bearer(3))
  isTooMany(over, 'rate_limited', 'fourth secret write')
  assert.equal(over.json.quota, { name: 'vault_writes_per_minute', limit: 3 })
  // A new token is a vault write too.
  const patch = await gw.req('PATCH', `/mcps/${made[0]}`, { token: erin, body: { config: { token: 'rotated-token' } } })
  isTooMany(patch, 'rate_limited', 'token rotation')
  assert.is(await vaultEntries(), vault, 'nothing was written for the refused requests')
  assert.is((await gw.req('GET', '/mcps', { token: erin })).json.items.length, 3)
  // Configs without secrets do not touch the vault; other users have their own budget.
  const p = await create(erin, plain())
  assert.is(p.status, 201, p.text)
  assert.is((await create(await gw.token('frank'), bearer())).status, 201)
  assert.is((await gw.req('DELETE', `/mcps/${p.json.id}`, { token: erin })).status, 204)
  offset += 60_000
  const next = await create(erin, bearer(4))
  assert.is(next.status, 201, `a new minute, a new budget: ${next.text}`)
})

test('concurrent creates never pass the quota', async () => {
  const gina = await gw.token('gina')
  const res = await Promise.all(Array.from({ length: 12 }, (_, i) => create(gina, plain(i))))
  const codes = res.map((r) => r.status).sort()
  assert.equal(codes, [...Array(4).fill(201), ...Array(8).fill(429)], JSON.stringify(codes))
  assert.is((await gw.req('GET', '/mcps', { token: gina })).json.items.length, 4)
})

test('configs from before quotas existed are counted', async () => {
  const store = await gw.deps.store()
  const now = Date.now()
  for (let i = 0; i < 4; i++) {
    const doc: McpConfig = {
      name: `old${i}`, type: 'http', endpoint: 'http://127.0.0.1:9/mcp', auth_type: 'none', scope: 'user', tenant: 'u:hank', owner_id: 'hank', org_id: null,
      config: {}, secret_ref: null, has_token: false, secret_header_names: [], has_client_secret: false, status: 'ready', created_at: now, updated_at: now,
    }
    await store.create(MCPS, `old-hank-${i}`, doc)
  }
  const hank = await gw.token('hank')
  isTooMany(await create(hank, plain()), 'quota_exceeded', 'hank already holds 4')
  assert.is((await gw.req('DELETE', '/mcps/old-hank-0', { token: hank })).status, 204)
  assert.is((await create(hank, plain())).status, 201)
})

test.run()
