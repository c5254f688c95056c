/**
 * stdio servers through the public API: registered by catalog id, run in the
 * warm pool (inside the local server, as `npm start` runs it), listed and
 * executed like any other server; every injection attempt refused with nothing
 * started; each user's process their own, with a minimal environment.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGateway, type Gateway } from './support/gateway.js'
import { writeTestCatalog, type TestCatalog } from './support/pool.js'
import { poolOf, stopPool } from '../shared/stdio-pool/instance.js'
import { flushed } from '../shared/background.js'
import { until } from './support/assert.js'

const test = suite('stdio through the API')
let gw: Gateway
let cat: TestCatalog
let root: string
let alice: string
let bob: string
const SECRET = 'fake-token-' + Math.random().toString(36).slice(2)

test.before(async () => {
  process.env.GATEWAY_TEST_SECRET = 'must-not-reach-children'
  cat = await writeTestCatalog()
  root = await mkdtemp(join(tmpdir(), 'fsroot-'))
  await writeFile(join(root, 'hello.txt'), 'hi there')
  gw = await startGateway({ env: { STDIO_CATALOG: cat.file } })
  alice = await gw.token('alice')
  bob = await gw.token('bob')
})

test.after(async () => {
  // The pool first: it saves homes and releases leases through the gateway's store.
  await stopPool(2000)
  await gw.close()
  await rm(root, { recursive: true, force: true })
  await rm(cat.dir, { recursive: true, force: true })
  delete process.env.GATEWAY_TEST_SECRET
})

const spawns = async () => (await poolOf(gw.deps)).pool.stats().spawns
const add = async (token: string, config: Record<string, unknown>) => gw.req('POST', '/mcps', { token, body: { name: 'stdio', type: 'stdio', config } })
const run = (token: string, id: string, tool: string, args: Record<string, unknown> = {}) => gw.req('POST', `/mcps/${id}/tools/${tool}/execute`, { token, body: { arguments: args } })
const text = (r: { json: any }) => r.json.content[0].text as string

test('users can see the catalog: ids, parameters and env vars, never commands', async () => {
  const r = await gw.req('GET', '/stdio/catalog', { token: alice })
  assert.is(r.status, 200, r.text)
  const ids = r.json.items.map((e: { id: string }) => e.id).sort()
  assert.equal(ids, ['everything', 'fake', 'filesystem', 'memory'])
  const fs = r.json.items.find((e: { id: string }) => e.id === 'filesystem')
  assert.is(fs.params.root.required, true)
  assert.is(r.json.items.find((e: { id: string }) => e.id === 'fake').env.FAKE_TOKEN.secret, true)
  assert.not.match(r.text, process.execPath)
  assert.not.match(r.text, 'node_modules')
  assert.is((await gw.req('GET', '/stdio/catalog')).status, 401)
})

test('server-everything over stdio: registered by catalog id, tools listed, echo runs', async () => {
  const c = await add(alice, { catalog_id: 'everything' })
  assert.is(c.status, 201, c.text)
  assert.is(c.json.endpoint, null)
  assert.is(c.json.config.catalog_id, 'everything')
  const tools = await gw.req('GET', `/mcps/${c.json.id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
  assert.ok(tools.json.tools.length >= 13)
  const r = await run(alice, c.json.id, 'echo', { message: 'via the pool' })
  assert.is(r.status, 200, r.text)
  assert.is(text(r), 'Echo: via the pool')
  // The second call reuses the warm process.
  const before = await spawns()
  assert.is((await run(alice, c.json.id, 'echo', { message: 'again' })).status, 200)
  assert.is(await spawns(), before)
})

test('server-filesystem with a root in the owner\'s own directory writes and lists it', async () => {
  const c = await add(alice, { catalog_id: 'filesystem', params: { root: 'files' } })
  assert.is(c.status, 201, c.text)
  assert.is((await run(alice, c.json.id, 'write_file', { path: 'hello.txt', content: 'hi there' })).status, 200)
  const r = await run(alice, c.json.id, 'list_directory', { path: '.' })
  assert.is(r.status, 200, r.text)
  assert.match(text(r), 'hello.txt')
})

test('server-memory keeps an entity between calls', async () => {
  const c = await add(alice, { catalog_id: 'memory' })
  assert.is(c.status, 201, c.text)
  const w = await run(alice, c.json.id, 'create_entities', { entities: [{ name: 'Gateway', entityType: 'project', observations: ['warm'] }] })
  assert.is(w.status, 200, w.text)
  const g = await run(alice, c.json.id, 'read_graph')
  assert.is(g.status, 200, g.text)
  assert.match(JSON.stringify(g.json), 'Gateway')
})

test('every injection attempt is 400 and starts nothing', async () => {
  const before = await spawns()
  const bad: [string, Record<string, unknown>, Record<string, unknown>?][] = [
    ['unknown catalog id', { catalog_id: 'bash' }],
    ['no catalog id', {}],
    ['an undeclared parameter', { catalog_id: 'everything', params: { extra: 'x' } }],
    ['shell metacharacters', { catalog_id: 'filesystem', params: { root: 'x; rm -rf /' } }],
    ['command substitution', { catalog_id: 'filesystem', params: { root: '$(id)' } }],
    ['an absolute path', { catalog_id: 'filesystem', params: { root: '/etc' } }],
    ['another absolute path', { catalog_id: 'filesystem', params: { root: root } }],
    ['traversal', { catalog_id: 'filesystem', params: { root: 'files/../../x' } }],
    ['NODE_OPTIONS', { catalog_id: 'fake', env: { NODE_OPTIONS: '--require /tmp/evil.js' } }],
    ['LD_PRELOAD', { catalog_id: 'fake', env: { LD_PRELOAD: '/tmp/evil.so' } }],
    ['PATH', { catalog_id: 'fake', env: { PATH: '/tmp' } }],
    ['an undeclared env var', { catalog_id: 'everything', env: { FOO: 'bar' } }],
    ['a multi-line env value', { catalog_id: 'fake', env: { FAKE_TOKEN: 'a\nb' } }],
  ]
  for (const [what, config] of bad) {
    const r = await add(alice, config)
    assert.is(r.status, 400, `${what}: ${r.text}`)
    assert.is(r.json.code, 'invalid_request', what)
  }
  const withEndpoint = await gw.req('POST', '/mcps', { token: alice, body: { name: 'x', type: 'stdio', endpoint: 'https://e.example/mcp', config: { catalog_id: 'everything' } } })
  assert.is(withEndpoint.status, 400)
  const withAuth = await gw.req('POST', '/mcps', { token: alice, body: { name: 'x', type: 'stdio', auth_type: 'bearer', config: { catalog_id: 'everything', token: 't' } } })
  assert.is(withAuth.status, 400)
  // PATCH cannot smuggle them in either.
  const ok = await add(alice, { catalog_id: 'fake', env: { FAKE_TOKEN: SECRET } })
  assert.is(ok.status, 201, ok.text)
  const p = await gw.req('PATCH', `/mcps/${ok.json.id}`, { token: alice, body: { config: { env: { LD_PRELOAD: '/x.so' } } } })
  assert.is(p.status, 400)
  assert.is(await spawns(), before, 'no process was started')
})

test('a child gets a minimal environment: the declared vars, none of the gateway\'s', async () => {
  const c = await add(alice, { catalog_id: 'fake', env: { FAKE_TOKEN: SECRET } })
  const r = await run(alice, c.json.id, 'env')
  assert.is(r.status, 200, r.text)
  const env = JSON.parse(text(r))
  // It got the secret (the pool suite reads the value itself); what it prints back reaches the caller masked.
  assert.is(env.FAKE_TOKEN, '[redacted]')
  assert.is(env.GATEWAY_TEST_SECRET, undefined)
  assert.not.ok(Object.keys(env).some((k) => /^(GOOGLE_|GATEWAY_|LOCAL_VAULT|DATA_DIR|NODE_OPTIONS)/.test(k)), Object.keys(env).join())
  assert.equal(Object.keys(env).sort(), ['FAKE_TOKEN', 'HOME', 'LANG', 'NODE_ENV', 'PATH'])
})

test('secret env values never appear in responses, the store or the logs', async () => {
  const c = await add(alice, { catalog_id: 'fake', env: { FAKE_TOKEN: SECRET } })
  assert.not.match(c.text, SECRET)
  assert.equal(c.json.config.env_names, ['FAKE_TOKEN'])
  await run(alice, c.json.id, 'stderr', { text: SECRET })
  // The child's stderr line arrives on its own pipe: wait until it is logged (redacted).
  await until(() => gw.logs.some((l) => l.includes('"stdio stderr"') && l.includes('[redacted]')), 'the stderr line in the log')
  await flushed()
  const doc = await (await gw.deps.store()).get('mcps', c.json.id)
  assert.not.match(JSON.stringify(doc), SECRET)
  assert.not.ok(gw.logs.some((l) => l.includes(SECRET)), 'no log line carries the secret')
})

test('alice and bob never share a process, and bob cannot use alice\'s', async () => {
  const a = await add(alice, { catalog_id: 'fake' })
  const b = await add(bob, { catalog_id: 'fake' })
  const pa = text(await run(alice, a.json.id, 'pid'))
  const pb = text(await run(bob, b.json.id, 'pid'))
  assert.is.not(pa, pb)
  assert.is((await run(bob, a.json.id, 'pid')).status, 404)
  assert.is((await gw.req('GET', `/mcps/${a.json.id}/tools`, { token: bob })).status, 404)
})

test('org config with per-user env: one process per member', async () => {
  const dave = await gw.token('dave', { org: 'acme', admin: true })
  const carol = await gw.token('carol', { org: 'acme' })
  const c = await gw.req('POST', '/mcps', { token: dave, body: { name: 'org-fake', type: 'stdio', scope: 'org', config: { catalog_id: 'fake' } } })
  assert.is(c.status, 201, c.text)
  const pd = text(await run(dave, c.json.id, 'pid'))
  const pc = text(await run(carol, c.json.id, 'pid'))
  assert.is.not(pd, pc)
})

test.run()
