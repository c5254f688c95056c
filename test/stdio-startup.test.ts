/**
 * A catalog that lets users set a loader variable (NODE_OPTIONS, LD_PRELOAD, ...)
 * stops start-up with a message naming the entry and the variable: `npm start`
 * exits non-zero, and the deployed bundle fails to load under the Functions
 * Framework. A catalog broken after start-up answers 503, never 500.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGateway } from './support/gateway.js'
import { freePort } from './support/net.js'

const test = suite('stdio catalog at start-up')
const root = fileURLToPath(new URL('../../', import.meta.url))
let dir: string

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cat-start-'))
})
test.after(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function badCatalog(name: string): Promise<string> {
  const file = join(dir, `${name}.json`)
  await writeFile(file, JSON.stringify({
    servers: [
      { id: 'memory', command: 'node', package: '@modelcontextprotocol/server-memory', script: 'dist/index.js' },
      { id: 'tuned', command: 'node', package: '@modelcontextprotocol/server-everything', script: 'dist/index.js', args: ['stdio'], env: { [name]: { description: 'tuning' } } },
    ],
  }))
  return file
}

/** Runs a command to its exit (bounded): its code and stderr; a process still serving after 20 s fails the test. */
function runToExit(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (b: Buffer) => (stderr += b))
    const t = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`still running after 20 s (it started with a bad catalog): ${stderr}`))
    }, 20_000)
    child.once('exit', (code) => {
      clearTimeout(t)
      resolve({ code, stderr })
    })
  })
}

test('npm start exits non-zero, naming the entry and the variable', async () => {
  for (const name of ['NODE_OPTIONS', 'LD_PRELOAD']) {
    const file = await badCatalog(name)
    const data = await mkdtemp(join(dir, 'data-'))
    const r = await runToExit([join(root, 'dist/scripts/local.js')], { STDIO_CATALOG: file, DATA_DIR: data, PORT: String(await freePort()) })
    assert.is.not(r.code, 0, name)
    assert.match(r.stderr, `stdio catalog ${file}: entry "tuned" declares ${name} as a user env var`)
    assert.not.match(r.stderr, 'listening')
  }
})

test('the deployed bundle fails to start under the Functions Framework, with the same message', async () => {
  const file = await badCatalog('NODE_OPTIONS')
  const data = await mkdtemp(join(dir, 'data-'))
  const ff = join(root, 'node_modules/@google-cloud/functions-framework/build/src/main.js')
  const r = await runToExit([ff, '--target=registry', `--source=${join(root, 'dist/bundle/index.js')}`, `--port=${await freePort()}`], { GATEWAY_MODE: 'local', DATA_DIR: data, STDIO_CATALOG: file })
  assert.is.not(r.code, 0)
  assert.match(r.stderr, 'entry "tuned" declares NODE_OPTIONS as a user env var')
})

test('a catalog that breaks after start-up answers 503 unavailable, not 500', async () => {
  const gw = await startGateway({ env: { STDIO_CATALOG: await badCatalog('LD_PRELOAD') } })
  try {
    const token = await gw.token('alice')
    const add = await gw.req('POST', '/mcps', { token, body: { name: 'm', type: 'stdio', config: { catalog_id: 'memory' } } })
    assert.is(add.status, 503, add.text)
    assert.is(add.json.code, 'unavailable')
    assert.is((await gw.req('GET', '/stdio/catalog', { token })).status, 503)
    // The operator finds the reason in the log.
    assert.ok(gw.logs.some((l) => l.includes('declares LD_PRELOAD as a user env var')))
  } finally {
    await gw.close()
  }
})

test.run()
