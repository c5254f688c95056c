/**
 * The deployed shape: every function registered with the Functions Framework
 * under its one name, served by the framework's own server (getTestServer),
 * with errors that stay problem+json even where Express parses the body.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { importDist, loadedPackages } from './support/trace.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Server } from 'node:http'
import { makeDeps, setDeps } from '../shared/deps.js'
import { parseConfig } from '../shared/config.js'
import { setLogSink } from '../shared/log.js'
import { devToken } from '../shared/auth/dev-token.js'
import { FUNCTIONS } from '../functions/names.js'
import { loadRewrites } from '../shared/local/routes.js'
import { FIREBASE_JSON } from '../shared/local/server.js'

const test = suite('functions framework')
const root = fileURLToPath(new URL('../../', import.meta.url))
let dataDir = ''
let getTestServer: (name: string) => Server
const logs: string[] = []

test.before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gw-ff-'))
  const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir })
  setDeps(makeDeps(config))
  setLogSink((l) => logs.push(l))
  await import('../functions/index.js')
  ;({ getTestServer } = await import('@google-cloud/functions-framework/testing'))
})

test.after(async () => {
  setDeps(undefined)
  await rm(dataDir, { recursive: true, force: true })
})

async function call(name: string, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const server = getTestServer(name)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  try {
    const { port } = server.address() as { port: number }
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, ...init, signal: AbortSignal.timeout(10_000) })
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() }
  } finally {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  }
}

test('one name per function: files, registrations and firebase.json rewrites agree', () => {
  const files = readdirSync(join(root, 'functions'))
    .filter((f) => f.endsWith('.ts') && !['index.ts', 'names.ts'].includes(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort()
  const registered = Object.keys(FUNCTIONS).sort()
  const rewrites = [...new Set(loadRewrites(FIREBASE_JSON).map((r) => r.fn))].sort()
  assert.equal(registered, files)
  assert.equal(rewrites, files)
  for (const n of registered) assert.match(n, /^[a-z][a-z0-9-]*$/, 'kebab-case')
})

test('every function is registered with the Functions Framework', async () => {
  for (const name of Object.keys(FUNCTIONS)) {
    const { getFunction } = await import('@google-cloud/functions-framework/testing')
    assert.ok(getFunction(name), `${name} registered`)
  }
})

test('health answers 200 through the framework server', async () => {
  const r = await call('health', 'GET', '/api/v1/health')
  assert.is(r.status, 200)
  assert.is(JSON.parse(r.text).status, 'ok')
})

test('malformed JSON that Express parses first still gets problem+json 400', async () => {
  const token = await devToken(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir }), { user: 'alice' })
  const r = await call('registry', 'POST', '/api/v1/mcps', {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{"name": ',
  })
  assert.is(r.status, 400)
  assert.match(r.type, 'application/problem+json')
  const body = JSON.parse(r.text)
  assert.is(body.code, 'invalid_request')
  assert.not.match(r.text, /SyntaxError|at JSON|node_modules/)
})

test('a body over 1 MiB is 413 problem+json through the framework too', async () => {
  const token = await devToken(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir }), { user: 'alice' })
  const r = await call('registry', 'POST', '/api/v1/mcps', {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'x'.repeat(1100 * 1024) }),
  })
  assert.is(r.status, 413)
  assert.is(JSON.parse(r.text).code, 'payload_too_large')
})

test('registry works end to end under the framework (create, read)', async () => {
  const token = await devToken(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir }), { user: 'alice' })
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  const c = await call('registry', 'POST', '/api/v1/mcps', { headers, body: JSON.stringify({ name: 'a', type: 'http', endpoint: 'http://127.0.0.1:1/mcp' }) })
  assert.is(c.status, 201, c.text)
  const id = JSON.parse(c.text).id
  const g = await call('registry', 'GET', `/api/v1/mcps/${id}`, { headers })
  assert.is(g.status, 200)
  assert.is(JSON.parse(g.text).id, id)
})

test('no token is 401 problem+json', async () => {
  const r = await call('registry', 'GET', '/api/v1/mcps')
  assert.is(r.status, 401)
  assert.match(r.type, 'application/problem+json')
})

test('the deployed bundle (package.json main) serves every function under the framework', async () => {
  const { spawn } = await import('node:child_process')
  const { freePort, waitForPort } = await import('./support/net.js')
  const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main
  assert.is(main, 'dist/bundle/index.js')
  // Its own data dir: this process holds the local store's lock on the shared one.
  const childDir = await mkdtemp(join(tmpdir(), 'gw-bundle-'))
  const token = await devToken(parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: childDir }), { user: 'alice' })
  for (const [name, path] of [['health', '/api/v1/health'], ['registry', '/api/v1/mcps']] as const) {
    const port = await freePort()
    const child = spawn(process.execPath, [join(root, 'node_modules/@google-cloud/functions-framework/build/src/main.js'), `--target=${name}`, `--source=${join(root, main)}`, `--port=${port}`], {
      env: { ...process.env, GATEWAY_MODE: 'local', DATA_DIR: childDir },
      stdio: 'ignore',
    })
    try {
      await waitForPort(port, 15_000)
      const r = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) })
      assert.is(r.status, 200, `${name}: ${await r.text()}`)
    } finally {
      child.kill()
      await new Promise((r) => child.once('exit', r))
    }
  }
  await rm(childDir, { recursive: true, force: true })
})

test('the function entry point loads no heavy client at import time', async () => {
  // What a cold instance loads: every npm package a process importing the entry point resolves.
  const loaded = await loadedPackages(importDist('functions/index.js'))
  assert.ok(loaded.includes('@google-cloud/functions-framework'), `the tracer saw the framework: ${loaded.join(', ')}`)
  for (const heavy of loaded.filter((n) => /^@google-cloud\/(firestore|secret-manager)$|^@modelcontextprotocol\//.test(n))) assert.unreachable(`${heavy} is loaded at import time`)
})

test.run()
