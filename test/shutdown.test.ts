/**
 * SIGTERM under the Functions Framework (as deployed): the framework exits at
 * once, but stdio children still get their grace period, so a server that
 * cleans up on SIGTERM gets to, and nothing outlives the pool.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeDeps } from '../shared/deps.js'
import { parseConfig } from '../shared/config.js'
import { serviceToken } from '../shared/auth/service-token.js'
import { encodeSpec } from '../shared/stdio-pool/spec.js'
import { freePort, waitForPort } from './support/net.js'
import { alive } from './support/pool.js'

const test = suite('shutdown')
const root = fileURLToPath(new URL('../../', import.meta.url))

/** A stdio MCP server that leaves a mark in its home when it is asked to stop. */
const GRACEFUL = String.raw`
const fs = require('node:fs')
process.on('SIGTERM', () => { fs.writeFileSync(process.env.HOME + '/terminated-gracefully', String(process.pid)); process.exit(0) })
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line)
  const send = (r) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, ...r }) + '\n')
  if (m.method === 'initialize') return send({ result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'graceful', version: '1' } } })
  if (m.method === 'tools/list') return send({ result: { tools: [{ name: 'pid', inputSchema: { type: 'object' } }] } })
  if (m.method === 'tools/call') return send({ result: { content: [{ type: 'text', text: String(process.pid) }] } })
  if (m.id !== undefined) send({ error: { code: -32601, message: 'no' } })
})
`

test('the framework\'s SIGTERM waits for stdio children to stop gracefully', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gw-shutdown-'))
  const script = join(dir, 'graceful.cjs')
  await writeFile(script, GRACEFUL)
  const catalog = join(dir, 'catalog.json')
  await writeFile(catalog, JSON.stringify({ servers: [{ id: 'graceful', command: process.execPath, args: [script] }] }))
  const port = await freePort()
  const env = { ...process.env, GATEWAY_MODE: 'local', DATA_DIR: join(dir, 'data'), PORT: String(port), STDIO_CATALOG: catalog, POOL_DATA_DIR: join(dir, 'pool') }
  const child = spawn(process.execPath, [join(root, 'node_modules/@google-cloud/functions-framework/build/src/main.js'), '--target=stdio-pool', `--source=${join(root, 'dist/bundle/index.js')}`, `--port=${port}`], { env, stdio: 'ignore' })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  try {
    await waitForPort(port, 15_000)
    const d = makeDeps(parseConfig(env))
    const headers = {
      authorization: `Bearer ${await serviceToken(d, d.config.poolAudience!)}`,
      'x-stdio-spec': encodeSpec({ owner: 'alice', mcp_id: 'm1', choice: { catalog_id: 'graceful', params: {}, env: {} } }),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    }
    const call = await fetch(`http://127.0.0.1:${port}/api/v1/pool/mcp`, {
      method: 'POST', headers, signal: AbortSignal.timeout(10_000),
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'pid', arguments: {} } }),
    })
    assert.is(call.status, 200, await call.clone().text())
    const pid = Number(/"text":"(\d+)"/.exec(await call.text())![1])
    assert.ok(alive(pid), 'the stdio child runs')
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise((_, rej) => setTimeout(() => rej(new Error('no exit within 12 s')), 12_000))])
    const homes = readdirSync(join(dir, 'pool'))
    assert.ok(homes.some((h) => existsSync(join(dir, 'pool', h, 'terminated-gracefully'))), 'the child ran its SIGTERM handler')
    assert.not.ok(alive(pid), 'no orphan')
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await rm(dir, { recursive: true, force: true })
  }
})

test.run()
