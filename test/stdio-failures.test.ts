/**
 * stdio servers that cannot run say why. One that exits at start is
 * `502 upstream_error` with `reason: "process_exited"`, its exit code and its
 * last stderr lines (user secrets redacted), not "the MCP server answered HTTP
 * 502". With stdio turned off (no `STDIO_CATALOG`), registering one is 400 and
 * using one registered before is 503, both naming `STDIO_CATALOG`.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGateway, type Gateway } from './support/gateway.js'
import { isProblem } from './support/assert.js'
import { stopPool } from '../shared/stdio-pool/instance.js'

const SECRET = 'sk-live-' + Math.random().toString(36).slice(2) + 'abcdef'

/** Writes two lines to stderr (the second repeats its API key) and exits 3, as a server missing its configuration does. */
const EXITS = String.raw`
process.stderr.write('loading configuration\n')
process.stderr.write('fatal: API key ' + process.env.API_KEY + ' was refused by the provider\n')
process.exit(3)
`

let dir: string
let catalog: string
let data: string

async function writeCatalog(): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'stdio-fail-'))
  data = await mkdtemp(join(tmpdir(), 'stdio-fail-data-'))
  const script = join(dir, 'exits.cjs')
  await writeFile(script, EXITS)
  catalog = join(dir, 'catalog.json')
  await writeFile(catalog, JSON.stringify({ servers: [{ id: 'exits', command: process.execPath, args: [script], env: { API_KEY: { secret: true, required: true } } }] }))
}

const exited = suite('a stdio server that exits at start')
let gw: Gateway
let alice: string
let id: string

exited.before(async () => {
  await writeCatalog()
  gw = await startGateway({ env: { STDIO_CATALOG: catalog, DATA_DIR: data } })
  alice = await gw.token('alice')
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'exits', type: 'stdio', config: { catalog_id: 'exits', env: { API_KEY: SECRET } } } })
  assert.is(r.status, 201, r.text)
  id = r.json.id
})

exited.after(async () => {
  await gw?.close()
  await stopPool(2000)
})

exited('execute and listing: 502 process_exited with the exit code and the last stderr lines, the key redacted', async () => {
  const answers = [
    await gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: {} } }),
    await gw.req('GET', `/mcps/${id}/tools`, { token: alice }),
  ]
  for (const [i, r] of answers.entries()) {
    // A crash loop backs off: past the first tries the pool turns callers away (503) with the same details.
    if (i > 0 && r.status === 503) isProblem(r, 503, 'unavailable')
    else isProblem(r, 502, 'upstream_error')
    const up = r.json.upstream
    assert.is(up?.reason, 'process_exited', r.text)
    assert.is(up.exit_code, 3, r.text)
    assert.equal(up.stderr, ['loading configuration', 'fatal: API key [redacted] was refused by the provider'], r.text)
    assert.match(r.json.detail, /exited with code 3/)
    assert.not.match(r.json.detail, /answered HTTP/)
    assert.not.ok(r.text.includes(SECRET), 'the key is in the answer')
  }
  assert.not.ok(gw.logs.some((l) => l.includes(SECRET)), 'the key is in the log')
})

exited('a health check says the same: ok false, process_exited, the exit code and the stderr lines', async () => {
  const r = await gw.req('POST', `/mcps/${id}/check`, { token: alice })
  assert.is(r.status, 200, r.text)
  assert.is(r.json.ok, false, r.text)
  assert.is(r.json.error.reason, 'process_exited', r.text)
  assert.is(r.json.error.upstream.exit_code, 3, r.text)
  assert.is(r.json.error.upstream.stderr.at(-1), 'fatal: API key [redacted] was refused by the provider')
  assert.not.ok(r.text.includes(SECRET))
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.health.error.reason, 'process_exited', v.text)
})

exited.run()

const off = suite('stdio turned off (no STDIO_CATALOG)')
let gw2: Gateway

off.before(async () => {
  // The same data (store, vault), restarted without a catalog: the operator turned stdio off.
  gw2 = await startGateway({ env: { DATA_DIR: data } })
  alice = await gw2.token('alice')
})

off.after(async () => {
  await gw2?.close()
  await rm(dir, { recursive: true, force: true })
  await rm(data, { recursive: true, force: true })
})

off('registering a stdio server is 400 naming STDIO_CATALOG', async () => {
  const r = await gw2.req('POST', '/mcps', { token: alice, body: { name: 'exits', type: 'stdio', config: { catalog_id: 'exits' } } })
  isProblem(r, 400, 'invalid_request', { path: '/type' })
  assert.match(r.json.detail, /STDIO_CATALOG/)
})

off('a stdio config registered before is 503 naming STDIO_CATALOG, on listing and execute', async () => {
  const view = await gw2.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(view.status, 200, view.text)
  for (const r of [
    await gw2.req('GET', `/mcps/${id}/tools`, { token: alice }),
    await gw2.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: {} } }),
  ]) {
    isProblem(r, 503, 'unavailable')
    assert.match(r.json.detail, /STDIO_CATALOG/)
    assert.is(r.json.reason, 'stdio_disabled', r.text)
  }
})

off.run()
