/**
 * The deployed bundle (scripts/bundle.ts) as a new instance runs it: listing and
 * execute under the Functions Framework, through the bundled MCP client SDK (its
 * Node shims replaced by shared/mcp/sdk-shims.ts) and undici's parts
 * (shared/egress/undici.ts), with the SDK's result checks and the gateway's
 * output-schema validation in force; and what the bundle leaves out so that a
 * cold instance starts faster.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseConfig } from '../shared/config.js'
import { makeDeps } from '../shared/deps.js'
import { create } from '../shared/registry/write.js'
import { devToken } from '../shared/auth/dev-token.js'
import { freePort, waitForPort } from './support/net.js'
import { startHostileSchemaServer } from './servers/hostile-schema.js'
import type { TestServerHandle } from './servers/tools.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const FF = join(root, 'node_modules/@google-cloud/functions-framework/build/src/main.js')
const test = suite('bundle')

let dataDir = ''
let server: TestServerHandle
let token = ''
let id = ''
test.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gw-bundle-'))
  server = await startHostileSchemaServer()
  const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir })
  const d = makeDeps(config)
  token = await devToken(config, { user: 'alice' })
  id = (await create(d, { sub: 'alice', admin: false }, { name: 'schemas', type: 'http', endpoint: server.url })).id
  // The child processes take the local store's lock in turn (once the audit record is written).
  await (await import('../shared/background.js')).flushed()
  await (await d.store()).close()
})
test.after(async () => {
  await server?.stop()
  await rm(dataDir, { recursive: true, force: true })
})

/** A new instance of `fn` from the bundle: one request, then the process stops. */
async function once(fn: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const port = await freePort()
  const child = spawn(process.execPath, [FF, `--target=${fn}`, `--source=${join(root, 'dist/bundle/index.js')}`, `--port=${port}`], {
    env: { ...process.env, GATEWAY_MODE: 'local', DATA_DIR: dataDir, METADATA_SERVER_DETECTION: 'none' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-4000) })
  try {
    await waitForPort(port, 20_000)
    const headers: Record<string, string> = { authorization: `Bearer ${token}` }
    if (body) headers['content-type'] = 'application/json'
    const r = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(20_000) })
    const text = await r.text()
    try {
      return { status: r.status, json: JSON.parse(text) }
    } catch {
      throw new Error(`${fn}: ${r.status} ${text.slice(0, 300)}; stderr: ${stderr}`)
    }
  } finally {
    child.kill()
    await new Promise((r) => child.once('exit', r))
  }
}

test('a new instance lists tools and calls one through the bundled client', async () => {
  const l = await once('listing', 'GET', `/mcps/${id}/tools`)
  assert.is(l.status, 200, JSON.stringify(l.json))
  assert.ok(l.json.tools.some((t: { name: string }) => t.name === 'redos_out'), JSON.stringify(l.json).slice(0, 300))
  const x = await once('execute', 'POST', `/mcps/${id}/tools/big_repeat/execute`, { arguments: {} })
  assert.is(x.status, 200, JSON.stringify(x.json))
  assert.equal(x.json.content, [{ type: 'text', text: 'reached: big_repeat' }])
})

test('a new instance refuses a structured result that breaks the tool output schema (502)', async () => {
  const x = await once('execute', 'POST', `/mcps/${id}/tools/redos_out/execute`, { arguments: {} })
  assert.is(x.status, 502, JSON.stringify(x.json))
  assert.is(x.json.code, 'upstream_error')
  assert.match(x.json.detail, /output schema/)
})

test("the bundle leaves out undici's index (fetch, WebSocket, mocks) and the client SDK's ajv", () => {
  const meta = JSON.parse(readFileSync(join(root, 'dist/bundle-meta.json'), 'utf8')) as { inputs: Record<string, unknown> }
  const inputs = Object.keys(meta.inputs)
  assert.ok(inputs.some((f) => f.includes('undici/lib/dispatcher/agent.js')), 'undici is bundled')
  assert.ok(inputs.some((f) => f.includes('@modelcontextprotocol/client/dist/')), 'the client SDK is bundled')
  assert.equal(inputs.filter((f) => /undici\/index\.js$|undici\/lib\/web\/websocket\/|undici\/lib\/mock\//.test(f)), [])
  assert.equal(inputs.filter((f) => /@modelcontextprotocol\/client\/dist\/(ajvProvider|shimsNode)/.test(f)), [])
})

test.run()
