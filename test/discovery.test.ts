/**
 * Discovery end to end: a registry on loopback implementing the generic MCP
 * Registry API (test/support/registry-server.ts) serving real server.json
 * entries (test/fixtures/registry), a real server-everything as the remote,
 * and the gateway in local mode. Search and paging, incremental refresh, the
 * setup form, registering a remote with URL variables and a secret header and
 * calling it, a deprecated entry, an upgrade, a package matched to the stdio
 * catalog, and hostile entries: a clear 4xx and nothing stored.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { isProblem } from './support/assert.js'
import { startEverything, type EverythingHandle } from './support/everything.js'
import { fixture, manifest, startRegistry, type RegistryHandle } from './support/registry-server.js'
import { serviceToken } from '../shared/auth/service-token.js'
import { ENTRIES, type EntryRecord } from '../shared/discovery/cache.js'
import { readSecrets } from '../shared/registry/read.js'
import type { McpConfig } from '../shared/registry/model.js'
import { storeText as storeFiles } from './support/store-text.js'

const SECRET = 'sk-discovery-secret-7f3a9c'
const SECRET2 = 'sk-discovery-rotated-41be02'
const AUDIENCE = 'urn:test:registry-refresh'
const EV = 'io.github.gateway-tests/everything'

interface Ctx { gw: Gateway; reg: RegistryHandle; ev: EverythingHandle; t: Record<string, string>; id?: string }
const test = suite<Ctx>('discovery')

test.before(async (c) => {
  c.reg = await startRegistry({ hostile: true })
  c.ev = await startEverything('streamableHttp')
  const dir = mkdtempSync(join(tmpdir(), 'disc-cat-'))
  const file = join(dir, 'catalog.json')
  writeFileSync(file, JSON.stringify({ servers: [{ id: 'everything', command: 'node', package: '@modelcontextprotocol/server-everything', script: 'dist/index.js', args: ['stdio'] }] }))
  c.gw = await startGateway({ env: { REGISTRY_SOURCES: c.reg.url, STDIO_CATALOG: file, REGISTRY_REFRESH_AUDIENCE: AUDIENCE } })
  c.t = {
    alice: await c.gw.token('alice'), bob: await c.gw.token('bob'),
    carol: await c.gw.token('carol', { org: 'acme' }), dave: await c.gw.token('dave', { org: 'acme', admin: true }), erin: await c.gw.token('erin', { org: 'globex', admin: true }),
  }
})
test.after(async (c) => {
  await c.gw?.close()
  await c.ev?.stop()
  await c.reg?.close()
})

const names = async (c: Ctx) => (await (await c.gw.deps.store()).list<EntryRecord>(ENTRIES, { limit: 1000 })).items.map((r) => r.data.name)
const configCount = async (c: Ctx) => (await c.gw.req('GET', '/mcps?limit=100', { token: c.t.alice })).json.items.length
const storeText = (c: Ctx) => storeFiles(c.gw.dataDir)

test('search pages through the latest entries; hostile entries are skipped, never stored', async (c) => {
  const seen: string[] = []
  let cursor: string | null = null
  for (let i = 0; i < 10; i++) {
    const r = await c.gw.req('GET', `/registry/servers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: c.t.alice })
    assert.is(r.status, 200, r.text)
    assert.ok(r.json.items.length <= 2)
    seen.push(...r.json.items.map((x: { name: string }) => x.name))
    cursor = r.json.next_cursor
    if (!cursor) break
  }
  assert.is(cursor, null, 'paging ends')
  assert.equal(seen.sort(), manifest().entries.map((e) => fixture(e.file).name).sort())
  const stored = await names(c)
  for (const bad of ['io.github.user/verbose', 'no-namespace-separator', 'io.github.user/weather-future']) assert.not.ok(stored.includes(bad), bad)
  const w = await c.gw.req('GET', '/registry/servers?search=WEATHER', { token: c.t.alice })
  assert.equal(w.json.items.map((x: { name: string }) => x.name).sort(), ['io.github.user/local-weather', 'io.github.user/remote-weather', 'io.github.user/weather'])
  // The listing came from the registry's generic API, all versions on the first pass.
  assert.ok(c.reg.requests.some((u) => u.pathname === '/v0.1/servers' && !u.searchParams.has('updated_since')))
  isProblem(await c.gw.req('GET', '/registry/servers?limit=0', { token: c.t.alice }), 400, 'invalid_request', { path: '/limit' })
  isProblem(await c.gw.req('GET', '/registry/servers'), 401, 'unauthenticated')
})

test('items say what the gateway can do: registrable remotes, stdio packages the catalog runs, a deprecated status', async (c) => {
  const all = (await c.gw.req('GET', '/registry/servers?limit=100', { token: c.t.alice })).json.items as any[]
  const by = (n: string) => all.find((x) => x.name === n)
  assert.is(by('io.github.user/weather').status, 'deprecated')
  assert.is(by(EV).status, 'active')
  assert.equal(by('io.github.gateway-tests/server-everything').packages.map((p: any) => p.catalog_ids), [['everything']])
  assert.equal(by('io.github.user/local-weather').packages, [], 'a package the catalog does not run is not offered')
  const rw = by('io.github.user/remote-weather')
  assert.is(rw.remotes[0].registrable, true)
  assert.is(rw.title, 'Remote Weather')
  assert.is(rw.icons[0].src, 'https://example.com/icon.png')
})

test('detail: versions and a setup form from URL variables and headers; the slash in the name as is or encoded', async (c) => {
  const n = c.reg.requests.length
  const a = await c.gw.req('GET', `/registry/servers/${EV}`, { token: c.t.alice })
  const b = await c.gw.req('GET', `/registry/servers/${encodeURIComponent(EV)}`, { token: c.t.alice })
  assert.is(c.reg.requests.length, n, 'answered from the cache while it is fresh')
  assert.is(a.status, 200, a.text)
  assert.equal(a.json, b.json)
  const form = a.json.remotes[0].form
  assert.equal(form.required, ['host', 'X-Api-Key'])
  assert.is(form.properties['X-Api-Key'].writeOnly, true)
  assert.equal(form.properties['X-Api-Key'].examples, ['sk-...'])
  assert.equal(form.properties['X-Team'].enum, ['blue', 'green'])
  assert.is(form.properties['X-Team'].default, 'blue')
  assert.is(form.properties.host['x-mcp-target'], 'url')
  assert.equal(a.json.versions.map((v: any) => v.version), ['1.0.0'])
  const pkg = (await c.gw.req('GET', '/registry/servers/io.github.gateway-tests/server-everything', { token: c.t.alice })).json
  assert.is(pkg.packages[0].forms[0].catalog_id, 'everything')
  isProblem(await c.gw.req('GET', '/registry/servers/io.github.user/nope', { token: c.t.alice }), 404, 'not_found')
  isProblem(await c.gw.req('GET', '/registry/servers/io.github.user/verbose', { token: c.t.alice }), 400, 'invalid_request')
  assert.not.ok((await names(c)).includes('io.github.user/verbose'))
})

test('a remote with a URL variable and a secret header registers and runs; the secret is only in the vault', async (c) => {
  const host = `127.0.0.1:${c.ev.port}`
  const r = await c.gw.req('POST', '/mcps', { token: c.t.alice, body: { from_registry: { name: EV, values: { host, 'X-Api-Key': SECRET } } } })
  assert.is(r.status, 201, r.text)
  assert.is(r.json.endpoint, `http://${host}/mcp`)
  assert.is(r.json.type, 'http')
  assert.equal(r.json.config.headers, { 'X-Team': 'blue' })
  assert.equal(r.json.config.secret_header_names, ['X-Api-Key'])
  assert.equal(r.json.registry.name, EV)
  assert.is(r.json.registry.version, '1.0.0')
  assert.is(r.json.registry.latest_version, '1.0.0')
  assert.is(r.json.registry.status, 'active')
  assert.is(r.json.registry.update_available, false)
  assert.equal(r.json.registry.secret_names, ['X-Api-Key'])
  c.id = r.json.id
  const run = await c.gw.req('POST', `/mcps/${c.id}/tools/echo/execute`, { token: c.t.alice, body: { arguments: { message: 'hi' } } })
  assert.is(run.status, 200, run.text)
  assert.is(run.json.content[0].text, 'Echo: hi')
  assert.not.ok(r.text.includes(SECRET) || run.text.includes(SECRET))
  assert.not.ok(c.gw.logs.some((l) => l.includes(SECRET)), 'not in logs')
  assert.not.ok(storeText(c).includes(SECRET), 'not in the store')
  isProblem(await c.gw.req('GET', `/mcps/${c.id}`, { token: c.t.bob }), 404, 'not_found')
  // A remote that wants OAuth: registered as any OAuth config, waiting for the user to connect.
  const o = await c.gw.req('POST', '/mcps', { token: c.t.alice, body: { auth_type: 'oauth', from_registry: { name: EV, values: { host, 'X-Api-Key': SECRET } } } })
  assert.is(o.status, 201, o.text)
  assert.is(o.json.auth_type, 'oauth')
  assert.is(o.json.status, 'needs_auth')
  assert.is((await c.gw.req('DELETE', `/mcps/${o.json.id}`, { token: c.t.alice })).status, 204)
  isProblem(await c.gw.req('POST', '/mcps', { token: c.t.alice, body: { auth_type: 'oauth', from_registry: { name: 'io.github.user/remote-weather', values: { Authorization: 'Bearer t' } } } }), 400, 'invalid_request', { path: '/auth_type' })
})

test('hostile values and entries: a clear 4xx, nothing stored', async (c) => {
  const before = await configCount(c)
  const post = (body: unknown) => c.gw.req('POST', '/mcps', { token: c.t.alice, body })
  isProblem(await post({ from_registry: { name: 'io.github.gateway-tests/metadata-host' } }), 403, 'egress_denied', { path: '/from_registry/values/host' })
  isProblem(await post({ from_registry: { name: EV, values: { host: '10.0.0.1:80', 'X-Api-Key': SECRET } } }), 403, 'egress_denied', { path: '/from_registry/values/host' })
  isProblem(await post({ from_registry: { name: EV, values: { host: 'evil.example/x?', 'X-Api-Key': SECRET } } }), 400, 'invalid_request', { path: '/from_registry/values/host' })
  isProblem(await post({ from_registry: { name: EV, values: { host: `127.0.0.1:${c.ev.port}` } } }), 400, 'invalid_request', { path: '/from_registry/values/X-Api-Key' })
  isProblem(await post({ from_registry: { name: EV, values: { host: `127.0.0.1:${c.ev.port}`, 'X-Api-Key': SECRET, 'X-Team': 'red' } } }), 400, 'invalid_request', { path: '/from_registry/values/X-Team' })
  isProblem(await post({ from_registry: { name: EV, values: { host: `127.0.0.1:${c.ev.port}`, 'X-Api-Key': 'a\r\nX-Evil: 1' } } }), 400, 'invalid_request', { path: '/from_registry/values/X-Api-Key' })
  isProblem(await post({ from_registry: { name: EV, values: { nope: 'x' } } }), 400, 'invalid_request', { path: '/from_registry/values/nope' })
  isProblem(await post({ from_registry: { name: 'io.github.user/weather-future' } }), 400, 'invalid_request')
  isProblem(await post({ from_registry: { name: 'io.github.user/weather' } }), 400, 'invalid_request', { path: '/from_registry/remote' })
  isProblem(await post({ from_registry: { name: EV }, type: 'http' }), 400, 'invalid_request')
  assert.is(await configCount(c), before)
})

test('the scheduled refresh reads incrementally (updated_since) and only with a service token', async (c) => {
  isProblem(await c.gw.req('POST', '/registry/refresh'), 401, 'unauthenticated')
  isProblem(await c.gw.req('POST', '/registry/refresh', { token: c.t.alice }), 401, 'unauthenticated')
  const m = manifest()
  const later = m.later[0]!
  c.reg.publish({ server: fixture(later.file), status: later.status, publishedAt: later.publishedAt, updatedAt: later.updatedAt })
  const old = c.reg.entries.find((e) => e.server.name === EV && e.server.version === '1.0.0')!
  old.status = 'deprecated'
  old.updatedAt = '2025-12-10T11:00:00Z'
  const gone = c.reg.entries.find((e) => e.server.name === 'io.github.gateway-tests/metadata-host')!
  gone.status = 'deleted'
  gone.updatedAt = '2025-12-10T12:00:00Z'
  const n = c.reg.requests.length
  const token = await serviceToken(c.gw.deps, AUDIENCE)
  const r = await c.gw.req('POST', '/registry/refresh', { token })
  assert.is(r.status, 200, r.text)
  assert.is(r.json.sources[0].complete, true)
  assert.is(r.json.sources[0].stored, 3, 'only what changed since the last pass')
  const asked = c.reg.requests.slice(n).filter((u) => u.pathname === '/v0.1/servers')
  assert.ok(asked.length >= 1)
  // Past the newest updatedAt of the first pass, skipped hostile entries included.
  for (const u of asked) assert.is(u.searchParams.get('updated_since'), '2025-12-04T12:00:00.000Z')
  const d = (await c.gw.req('GET', `/registry/servers/${EV}`, { token: c.t.alice })).json
  assert.is(d.version, '1.1.0')
  assert.equal(d.versions.map((v: any) => [v.version, v.status, v.is_latest]), [['1.1.0', 'active', true], ['1.0.0', 'deprecated', false]])
  // A deleted server leaves search, and cannot be registered.
  const listed = (await c.gw.req('GET', '/registry/servers?limit=100', { token: c.t.alice })).json.items.map((x: any) => x.name)
  assert.not.ok(listed.includes('io.github.gateway-tests/metadata-host'))
  assert.ok(listed.includes(EV))
  isProblem(await c.gw.req('POST', '/mcps', { token: c.t.alice, body: { from_registry: { name: 'io.github.gateway-tests/metadata-host' } } }), 400, 'invalid_request', { path: '/from_registry/version' })
})

test('the config view flags a newer version and a deprecated one; upgrade asks only for the new required value', async (c) => {
  const v = await c.gw.req('GET', `/mcps/${c.id}`, { token: c.t.alice })
  assert.equal(
    { ...v.json.registry, values: undefined, source: undefined, remote: undefined, secret_names: undefined },
    { name: EV, version: '1.0.0', latest_version: '1.1.0', status: 'deprecated', update_available: true, deprecated: true, deleted: false, values: undefined, source: undefined, remote: undefined, secret_names: undefined },
  )
  isProblem(await c.gw.req('POST', `/mcps/${c.id}/upgrade`, { token: c.t.bob, body: {} }), 404, 'not_found')
  // The key was rotated since registration: the upgrade keeps the current one.
  const rotated = await c.gw.req('PATCH', `/mcps/${c.id}`, { token: c.t.alice, body: { config: { secret_headers: { 'X-Api-Key': SECRET2 } } } })
  assert.is(rotated.status, 200, rotated.text)
  const missing = await c.gw.req('POST', `/mcps/${c.id}/upgrade`, { token: c.t.alice, body: {} })
  isProblem(missing, 400, 'invalid_request', { path: '/values/X-Region' })
  assert.is(missing.json.errors.length, 1, 'only the new required value')
  const up = await c.gw.req('POST', `/mcps/${c.id}/upgrade`, { token: c.t.alice, body: { values: { 'X-Region': 'eu' } } })
  assert.is(up.status, 200, up.text)
  assert.is(up.json.registry.version, '1.1.0')
  assert.is(up.json.registry.update_available, false)
  assert.equal(up.json.config.headers, { 'X-Team': 'blue', 'X-Region': 'eu' })
  assert.equal(up.json.config.secret_header_names, ['X-Api-Key'])
  const stored = (await (await c.gw.deps.store()).get<McpConfig>('mcps', c.id!))!
  assert.is((await readSecrets(c.gw.deps, stored.data)).headers?.['X-Api-Key'], SECRET2)
  const run = await c.gw.req('POST', `/mcps/${c.id}/tools/echo/execute`, { token: c.t.alice, body: { arguments: { message: 'again' } } })
  assert.is(run.json.content[0].text, 'Echo: again', run.text)
  for (const s of [SECRET, SECRET2]) assert.not.ok(up.text.includes(s) || storeText(c).includes(s) || c.gw.logs.some((l) => l.includes(s)), 'no secret out')
})

test('org admins propose a registry package for the stdio catalog; only a stored proposal', async (c) => {
  const body = { name: 'io.github.user/local-weather', version: '1.0.0', note: 'for the weather team' }
  isProblem(await c.gw.req('POST', '/registry/proposals', { token: c.t.carol, body }), 403, 'forbidden')
  isProblem(await c.gw.req('POST', '/registry/proposals', { token: c.t.alice, body }), 403, 'forbidden')
  const p = await c.gw.req('POST', '/registry/proposals', { token: c.t.dave, body })
  assert.is(p.status, 201, p.text)
  assert.equal(p.json.package, { registry_type: 'npm', identifier: '@modelcontextprotocol/server-weather', version: '1.0.0', file_sha256: null, transport: 'stdio' })
  isProblem(await c.gw.req('POST', '/registry/proposals', { token: c.t.dave, body: { name: 'io.github.gateway-tests/server-everything', version: '2026.8.31' } }), 409, 'conflict')
  assert.is((await c.gw.req('GET', '/registry/proposals', { token: c.t.dave })).json.items.length, 1)
  assert.is((await c.gw.req('GET', '/registry/proposals', { token: c.t.erin })).json.items.length, 0, 'another org sees none')
  // Nothing new can run: the catalog is the operator's file.
  assert.equal((await c.gw.req('GET', '/stdio/catalog', { token: c.t.dave })).json.items.map((x: any) => x.id), ['everything'])
})

test.run()

// ---------------------------------------------------------------------------
// A registry that misbehaves: bounded, clean failures; what was cached keeps serving.

interface HCtx { gw: Gateway; reg: RegistryHandle; t: string }
const hostile = suite<HCtx>('discovery: hostile registry')

hostile.before(async (c) => {
  c.reg = await startRegistry()
  c.gw = await startGateway({ env: { REGISTRY_SOURCES: c.reg.url, REGISTRY_REFRESH_SEC: '0', REGISTRY_MAX_BYTES: '65536', REGISTRY_TIMEOUT_MS: '1500' } })
  c.t = await c.gw.token('alice')
})
hostile.after(async (c) => {
  await c.gw?.close()
  await c.reg?.close()
})

const refused = async (c: HCtx, status: number, code: string) => {
  const r = await c.gw.req('GET', '/registry/servers', { token: c.t })
  isProblem(r, status, code)
  assert.not.ok(r.text.includes(c.reg.url.replace('http://', '')) && status >= 500 && /ECONN|stack/.test(r.text), 'no internals')
}

hostile('a registry never read: an oversized answer, an error, not JSON, a hang are each a clean 5xx, and nothing is cached', async (c) => {
  c.reg.override = { status: 200, body: JSON.stringify({ servers: [], pad: 'x'.repeat(200_000) }) }
  await refused(c, 502, 'upstream_response_too_large')
  c.reg.override = { status: 500, body: '{"error":"boom"}' }
  await refused(c, 502, 'upstream_error')
  c.reg.override = { status: 200, body: '<html>' }
  await refused(c, 502, 'upstream_error')
  c.reg.override = { status: 200, body: JSON.stringify({ servers: 'no' }) }
  await refused(c, 502, 'upstream_error')
  c.reg.override = 'hang'
  const t0 = Date.now()
  await refused(c, 504, 'upstream_timeout')
  assert.ok(Date.now() - t0 < 10_000, 'bounded by REGISTRY_TIMEOUT_MS')
  assert.equal((await (await c.gw.deps.store()).list(ENTRIES, { limit: 10 })).items, [])
})

hostile('a dropped connection is retried once; dropped twice, the refresh gives up and the cache answers', async (c) => {
  c.reg.override = undefined
  c.reg.resets = 1
  const n = c.gw.logs.length
  const ok = await c.gw.req('GET', '/registry/servers', { token: c.t })
  assert.is(ok.status, 200, ok.text)
  assert.is(c.reg.resets, 0)
  assert.not.ok(c.gw.logs.slice(n).some((l) => l.includes('answering from the cache')), 'the retry succeeded')
  c.reg.resets = 3
  const stale = await c.gw.req('GET', '/registry/servers', { token: c.t })
  assert.is(stale.status, 200, stale.text)
  assert.is(c.reg.resets, 1, 'two attempts, no more')
  assert.ok(c.gw.logs.slice(n).some((l) => l.includes('answering from the cache')))
  c.reg.resets = 0
})

hostile('once read, a failing registry leaves search answering from the cache', async (c) => {
  c.reg.override = undefined
  const ok = await c.gw.req('GET', '/registry/servers?limit=100', { token: c.t })
  assert.is(ok.status, 200, ok.text)
  const n = ok.json.items.length
  assert.ok(n > 0)
  c.reg.override = { status: 503, body: '{}' }
  const again = await c.gw.req('GET', '/registry/servers?limit=100', { token: c.t })
  assert.is(again.status, 200, again.text)
  assert.is(again.json.items.length, n)
  assert.ok(c.gw.logs.some((l) => l.includes('answering from the cache')))
  c.reg.override = undefined
})

hostile('a registry on an address the egress policy refuses is never read', async () => {
  const reg = await startRegistry()
  const gw = await startGateway({ env: { REGISTRY_SOURCES: reg.url, EGRESS_ALLOW_LOOPBACK: 'false' } })
  try {
    const r = await gw.req('GET', '/registry/servers', { token: await gw.token('alice') })
    isProblem(r, 403, 'egress_denied')
    assert.is(reg.requests.length, 0)
  } finally {
    await gw.close()
    await reg.close()
  }
})

hostile.run()
