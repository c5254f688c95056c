/**
 * The pool function in local mode, through the gateway's own HTTP server and
 * the official v2 client: real stdio servers behind the streamable-HTTP
 * bridge, service-token auth before anything else, the catalog re-check, SSE
 * for notifications, and no orphans after SIGTERM.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { startGateway, type Gateway } from './support/gateway.js'
import { freePort, waitForPort } from './support/net.js'
import { makeDeps } from '../shared/deps.js'
import { parseConfig } from '../shared/config.js'
import { stopPool } from '../shared/stdio-pool/instance.js'
import type { PoolSpec } from '../shared/stdio-pool/spec.js'
import { fakeSpec, poolHeaders, settledUnder, writeTestCatalog, type TestCatalog } from './support/pool.js'

const test = suite('pool http')
let gw: Gateway
let cat: TestCatalog
let poolDir: string
let fsRoot: string
const ev: PoolSpec = { owner: 'alice', mcp_id: 'ev1', choice: { catalog_id: 'everything', params: {}, env: {} } }

test.before(async () => {
  cat = await writeTestCatalog()
  poolDir = await mkdtemp(join(tmpdir(), 'pool-http-'))
  fsRoot = await mkdtemp(join(tmpdir(), 'pool-fs-'))
  await writeFile(join(fsRoot, 'hello.txt'), 'hi')
  gw = await startGateway({ env: { STDIO_CATALOG: cat.file, POOL_DATA_DIR: poolDir } })
})

test.after(async () => {
  // The pool first: it saves homes and releases leases through the gateway's store.
  await stopPool(1000)
  await gw.close()
  const left = await settledUnder(poolDir)
  for (const d of [poolDir, fsRoot, cat.dir]) await rm(d, { recursive: true, force: true })
  assert.equal(left, [], 'no orphans')
})

const POOL = () => `${gw.url}/api/v1/pool/mcp`

async function connect(spec: PoolSpec): Promise<Client> {
  const client = new Client({ name: 'pool-test', version: '1.0.0' }, { capabilities: {}, versionNegotiation: { mode: 'auto' } })
  await client.connect(new StreamableHTTPClientTransport(new URL(POOL()), { requestInit: { headers: await poolHeaders(gw.deps, spec) } }))
  return client
}

const health = async () => (await gw.req('GET', `${gw.url}/api/v1/pool/health`, { headers: await poolHeaders(gw.deps, ev) })).json
const post = (body: unknown, headers: Record<string, string>) => gw.req('POST', POOL(), { body, headers: { accept: 'application/json, text/event-stream', ...headers } })

test('server-everything through the pool: list tools, call echo; one warm process serves every call and the next client', async () => {
  const spec: PoolSpec = { ...ev, mcp_id: 'ev-warm' }
  const before = await health()
  const c = await connect(spec)
  try {
    const { tools } = await c.listTools()
    assert.ok(tools.some((t) => t.name === 'echo'))
    const r: any = await c.callTool({ name: 'echo', arguments: { message: 'hello' } })
    assert.is(r.content[0].text, 'Echo: hello')
    for (let i = 0; i < 30; i++) assert.is(((await c.callTool({ name: 'echo', arguments: { message: `x${i}` } })) as any).content[0].text, `Echo: x${i}`)
  } finally {
    await c.close()
  }
  const fresh = await connect(spec)
  assert.is(((await fresh.callTool({ name: 'echo', arguments: { message: 'y' } })) as any).content[0].text, 'Echo: y')
  await fresh.close()
  // Latency is measured by the benchmark (npm run bench, item 7), not here.
  const after = await health()
  assert.is(after.spawns - before.spawns, 1, 'one process for both clients')
  assert.ok(after.hits - before.hits >= 31, `the warm process served the calls (hits ${after.hits - before.hits})`)
})

test('server-filesystem lists a directory; server-memory creates and reads an entity', async () => {
  // The root is a directory in alice's own home, made on first use.
  const fs = await connect({ owner: 'alice', mcp_id: 'fs1', choice: { catalog_id: 'filesystem', params: { root: 'files' }, env: {} } })
  const w: any = await fs.callTool({ name: 'write_file', arguments: { path: 'hello.txt', content: 'hi' } })
  assert.not.ok(w.isError, JSON.stringify(w))
  const r: any = await fs.callTool({ name: 'list_directory', arguments: { path: '.' } })
  assert.match(r.content[0].text, 'hello.txt')
  await fs.close()
  const mem = await connect({ owner: 'alice', mcp_id: 'mem1', choice: { catalog_id: 'memory', params: {}, env: {} } })
  await mem.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] } })
  const g: any = await mem.callTool({ name: 'open_nodes', arguments: { names: ['Ada'] } })
  assert.match(JSON.stringify(g), 'wrote the first program')
  await mem.close()
})

test('progress streams as SSE before the response, with the caller’s token', async () => {
  const h = await poolHeaders(gw.deps, fakeSpec('alice', 'p1'))
  const r = await post({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'progress', arguments: { steps: 3 }, _meta: { progressToken: 42 } } }, h)
  assert.match(r.headers.get('content-type') ?? '', 'text/event-stream')
  const msgs = r.text.split('\n').filter((l) => l.startsWith('data:')).map((l) => JSON.parse(l.slice(5)))
  assert.equal(msgs.map((m) => m.method ?? 'response'), ['notifications/progress', 'notifications/progress', 'notifications/progress', 'response'])
  assert.is(msgs[0].params.progressToken, 42)
  assert.is(msgs[3].id, 'call-1')
  // The v2 client sees the same through onprogress.
  const c = await connect(fakeSpec('alice', 'p1'))
  const seen: number[] = []
  await c.callTool({ name: 'progress', arguments: { steps: 4 } }, { onprogress: (p) => seen.push(p.progress) })
  assert.equal(seen, [1, 2, 3, 4])
  await c.close()
})

test('no token, a user token or a foreign key: 401, and nothing is spawned', async () => {
  const before = (await health()).spawns
  const spec = fakeSpec('mallory', 'x')
  const xs = (await poolHeaders(gw.deps, spec))['x-stdio-spec']!
  const other = await mkdtemp(join(tmpdir(), 'pool-key-'))
  const foreign = (await poolHeaders(makeDeps(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: other })), spec)).authorization
  await rm(other, { recursive: true, force: true })
  const user = `Bearer ${await gw.token('mallory')}`
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }
  for (const authorization of [undefined, 'Bearer nope', user, foreign]) {
    const r = await post(init, { 'x-stdio-spec': xs, ...(authorization ? { authorization } : {}) })
    assert.is(r.status, 401, String(authorization))
    assert.is(r.json.code, 'unauthenticated')
  }
  for (const m of ['GET', 'DELETE']) assert.is((await gw.req(m, POOL(), { headers: { 'x-stdio-spec': xs } })).status, 401)
  assert.is((await gw.req('GET', `${gw.url}/api/v1/pool/health`)).status, 401)
  assert.is((await health()).spawns, before)
})

test('an invalid choice is 400 and spawns nothing; discover is -32601 without a spawn; GET is 405', async () => {
  const before = (await health()).spawns
  const bad: PoolSpec[] = [
    { owner: 'alice', mcp_id: 'b1', choice: { catalog_id: 'nope', params: {}, env: {} } },
    { owner: 'alice', mcp_id: 'b2', choice: { catalog_id: 'filesystem', params: { root: '/etc' }, env: {} } },
    { owner: 'alice', mcp_id: 'b3', choice: { catalog_id: 'everything', params: {}, env: { NODE_OPTIONS: '--require=/tmp/x.js' } } },
    { owner: 'alice', mcp_id: 'b4', choice: { catalog_id: 'fake', params: { cmd: 'sh' }, env: {} } },
    // Valid for the catalog's pattern, but it is where every owner's home lives.
    { owner: 'alice', mcp_id: 'b5', choice: { catalog_id: 'filesystem', params: { root: poolDir }, env: {} } },
    { owner: 'alice', mcp_id: 'b6', choice: { catalog_id: 'fake', params: {}, env: { FAKE_TOKEN: `${poolDir}/../${poolDir.split('/').pop()}/x` } } },
  ]
  for (const spec of bad) {
    const r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, await poolHeaders(gw.deps, spec))
    assert.is(r.status, 400, JSON.stringify(spec.choice))
    assert.is(r.json.code, 'invalid_request')
  }
  const h = await poolHeaders(gw.deps, fakeSpec('alice', 'never'))
  const d = await post({ jsonrpc: '2.0', id: 9, method: 'server/discover', params: {} }, h)
  assert.is(d.json.error.code, -32601)
  assert.is(d.json.id, 9)
  const g = await gw.req('GET', POOL(), { headers: h })
  assert.is(g.status, 405)
  assert.is(g.headers.get('allow'), 'POST')
  assert.is((await health()).spawns, before)
})

test('health shows the pool figures', async () => {
  const before = await health()
  for (const k of ['size', 'hits', 'misses', 'spawns', 'evictions', 'crashes', 'timeouts', 'in_flight']) assert.type(before[k], 'number', k)
  assert.is(before.configured, true)
  const c = await connect(fakeSpec('alice', 'health-figures'))
  await c.callTool({ name: 'pid', arguments: {} })
  await c.close()
  const h = await health()
  assert.is(h.spawns, before.spawns + 1)
  assert.is(h.misses, before.misses + 1)
  assert.ok(h.size >= 1 && h.size <= before.size + 1, `size ${before.size} -> ${h.size}`)
})

test('SIGTERM to a local gateway leaves no stdio child behind', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'pool-sig-data-'))
  const pdir = await mkdtemp(join(tmpdir(), 'pool-sig-'))
  const port = await freePort()
  const env = { GATEWAY_MODE: 'local', PORT: String(port), DATA_DIR: dataDir, STDIO_CATALOG: cat.file, POOL_DATA_DIR: pdir }
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/scripts/local.js')], { env: { ...process.env, ...env }, stdio: 'ignore' })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  try {
    await waitForPort(port, 15_000)
    const d = makeDeps(parseConfig(env))
    for (const o of ['u1', 'u2', 'u3']) {
      const h = await poolHeaders(d, fakeSpec(o, 'warm'))
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/pool/mcp`, {
        method: 'POST', headers: { ...h, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'grandchild' } }), signal: AbortSignal.timeout(10_000),
      })
      assert.is(r.status, 200, await r.text())
    }
    const warm = await settledUnder(pdir, 0)
    assert.is(warm.length, 6, 'three servers and their grandchildren')
    child.kill('SIGTERM')
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))])
    assert.is(code, 0)
    assert.equal(await settledUnder(pdir, 2000), [], 'no orphans after SIGTERM')
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await exited
    await rm(dataDir, { recursive: true, force: true })
    await rm(pdir, { recursive: true, force: true })
  }
})

test.run()
