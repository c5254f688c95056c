/**
 * stdio servers at scale (issue 15): two pool processes side by side, as two
 * Cloud Run instances would be, sharing one store (the Firestore emulator)
 * and one place for saved homes. A user's memory server is one process
 * whichever instance answers, survives the holder's SIGKILL and a redeploy,
 * and a home over its cap is refused, told and audited while it keeps running.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeDeps } from '../shared/deps.js'
import { parseConfig } from '../shared/config.js'
import { serviceToken } from '../shared/auth/service-token.js'
import { encodeSpec, type PoolSpec } from '../shared/stdio-pool/spec.js'
import { objectName } from '../shared/stdio-pool/homes.js'
import { LocalBlobStore } from '../shared/adapters/homes-local.js'
import { FirestoreStore } from '../shared/adapters/store-firestore.js'
import { freePort, waitForPort } from './support/net.js'
import { alive, processesUnder, settledUnder, text, writeTestCatalog, type TestCatalog } from './support/pool.js'
import { emulatorFirestore, noEmulator, startFirestoreEmulator } from './support/firestore-emulator.js'
import { needs } from './support/components.js'
import { startGcsFake, type GcsFake } from './support/gcs-fake.js'

const test = needs(suite('pool at scale'), null)
const root = fileURLToPath(new URL('../../', import.meta.url))
const emu = await startFirestoreEmulator()
needs(test, emu ? null : noEmulator())

let dir: string
let cat: TestCatalog
let env: Record<string, string>
let gcs: GcsFake | undefined
const procs: { child: ChildProcess; port: number; poolDir: string }[] = []

interface Inst { child: ChildProcess; port: number; poolDir: string; exited: Promise<void> }

async function startPool(name: string, extra: Record<string, string> = {}): Promise<Inst> {
  const port = await freePort()
  const poolDir = join(dir, `pool-${name}`)
  const child = spawn(process.execPath, [join(root, 'node_modules/@google-cloud/functions-framework/build/src/main.js'), '--target=stdio-pool', `--source=${join(root, 'dist/bundle/index.js')}`, `--port=${port}`], {
    env: { ...env, PORT: String(port), POOL_DATA_DIR: poolDir, ...extra }, stdio: ['ignore', process.env.POOL_SCALE_LOGS ? 'inherit' : 'ignore', 'inherit'],
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  procs.push({ child, port, poolDir })
  await waitForPort(port, 20_000)
  return { child, port, poolDir, exited }
}

async function call(p: Inst, spec: PoolSpec, name: string, args: Record<string, unknown> = {}) {
  const d = makeDeps(parseConfig(env))
  const res = await fetch(`http://127.0.0.1:${p.port}/api/v1/pool/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await serviceToken(d, env.POOL_AUDIENCE!)}`, 'x-stdio-spec': encodeSpec(spec), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    signal: AbortSignal.timeout(40_000),
  })
  const body = await res.text()
  assert.is(res.status, 200, body)
  return JSON.parse(body)
}

/** Kills an instance as a crash would: the process and every child it had (a container's death takes them all). */
async function crash(p: Inst): Promise<void> {
  p.child.kill('SIGKILL')
  await p.exited
  for (const pid of await processesUnder(p.poolDir)) try { process.kill(pid, 'SIGKILL') } catch {}
}

async function stop(p: Inst): Promise<void> {
  p.child.kill('SIGTERM')
  await Promise.race([p.exited, new Promise((_, rej) => setTimeout(() => rej(new Error('no exit within 15 s')), 15_000))])
}

const memory = (owner: string, mcp_id: string): PoolSpec => ({ owner, mcp_id, choice: { catalog_id: 'memory', params: {}, env: {} } })
const graph = async (p: Inst, s: PoolSpec) => text(await call(p, s, 'read_graph'))

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pool-scale-'))
  cat = await writeTestCatalog({ fake: { home_max_bytes: 64 * 1024, idle_ttl_ms: 600_000 } })
  env = {
    ...(process.env as Record<string, string>),
    GATEWAY_MODE: 'local', DATA_DIR: join(dir, 'data'), STORE: 'firestore', GOOGLE_CLOUD_PROJECT: emu!.projectId,
    FIRESTORE_EMULATOR_HOST: emu!.host, METADATA_SERVER_DETECTION: 'none', COLLECTION_PREFIX: `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}_`,
    STDIO_CATALOG: cat.file, POOL_AUDIENCE: 'urn:test:pool', POOL_LEASE_TTL_MS: '10000', POOL_HANDOVER_POLL_MS: '200', POOL_HOME_SAVE_MS: '500',
  }
  // The local signing key exists before either instance reads it.
  await serviceToken(makeDeps(parseConfig(env)), env.POOL_AUDIENCE!)
})

test.after.each(async () => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
  for (const pid of await processesUnder(dir)) try { process.kill(pid, 'SIGKILL') } catch {}
  await gcs?.stop()
  gcs = undefined
  await rm(dir, { recursive: true, force: true })
  await rm(cat.dir, { recursive: true, force: true })
})

test('the same user\'s calls through either instance reach one memory process: one knowledge graph, one live process', async () => {
  const a = await startPool('a')
  const b = await startPool('b')
  const s = memory('alice', 'm1')
  await call(a, s, 'create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['told to instance a'] }] })
  assert.is((await processesUnder(a.poolDir)).length, 1, 'a runs it')
  // b asks a to hand over: a saves the home and stops, b restores it.
  const t0 = Date.now()
  assert.match(await graph(b, s), 'told to instance a')
  console.log(`   first call through the other instance (hand-over, restore, spawn): ${Date.now() - t0} ms`)
  assert.equal(await settledUnder(a.poolDir), [], 'a no longer runs it')
  assert.is((await processesUnder(b.poolDir)).length, 1, 'b runs it')
  await call(b, s, 'add_observations', { observations: [{ entityName: 'Ada', contents: ['told to instance b'] }] })
  const back = await graph(a, s)
  assert.match(back, 'told to instance a')
  assert.match(back, 'told to instance b')
  assert.equal(await settledUnder(b.poolDir), [], 'one live process across both instances')
  // Another user is someone else's graph entirely.
  assert.not.match(await graph(b, memory('bob', 'm1')), 'Ada')
})

test('the holder is killed (SIGKILL): the next call restores the saved graph on the other instance', async () => {
  const a = await startPool('a')
  const b = await startPool('b')
  const s = memory('alice', 'm2')
  const blobs = new LocalBlobStore(join(env.DATA_DIR!, 'homes'))
  await call(a, s, 'create_entities', { entities: [{ name: 'Grace', entityType: 'person', observations: ['saved before the crash'] }] })
  // The periodic save (500 ms here) carries the write to the saved home.
  const until = Date.now() + 15_000
  while (!(await blobs.get(objectName('alice', 'm2'))) && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
  assert.ok(await blobs.get(objectName('alice', 'm2')), 'saved while running')
  await crash(a)
  const t0 = Date.now()
  assert.match(await graph(b, s), 'saved before the crash')
  console.log(`   takeover after SIGKILL: ${Date.now() - t0} ms (lease TTL 10000 ms)`)
})

test('a redeploy (stop both, start fresh) keeps the data, with homes in Cloud Storage (the real client against the JSON API fake)', async () => {
  gcs = await startGcsFake({ maxObjectBytes: 64 << 20 })
  const viaGcs = { POOL_HOMES_BUCKET: 'homes-test', STORAGE_EMULATOR_HOST: gcs.url }
  const a = await startPool('a', viaGcs)
  const b = await startPool('b', viaGcs)
  const s = memory('alice', 'm3')
  await call(a, s, 'create_entities', { entities: [{ name: 'Linus', entityType: 'person', observations: ['before the redeploy'] }] })
  await call(b, s, 'add_observations', { observations: [{ entityName: 'Linus', contents: ['also before'] }] })
  await Promise.all([stop(a), stop(b)])
  assert.equal(await settledUnder(dir), [], 'no orphans')
  const objects = gcs.objects('homes-test')
  assert.ok(objects.has(objectName('alice', 'm3')), 'saved in the bucket')
  assert.not.match(objects.get(objectName('alice', 'm3'))!.data.toString('latin1'), 'Linus', 'sealed, not plain')
  const c = await startPool('c', viaGcs)
  await startPool('d', viaGcs)
  const g = await graph(c, s)
  assert.match(g, 'before the redeploy')
  assert.match(g, 'also before')
  assert.ok(gcs.calls.some((x) => x.upload === 'multipart'), 'multipart uploads')
})

test('a home over its cap: the save is refused, the user is told on the next call, the audit records it, the process keeps running', async () => {
  const a = await startPool('a')
  const s: PoolSpec = { owner: 'alice', mcp_id: 'big1', choice: { catalog_id: 'fake', params: {}, env: {} } }
  const pid = text(await call(a, s, 'pid'))
  await call(a, s, 'write', { name: 'big.bin', bytes: 200 * 1024 })
  let refused: any
  const until = Date.now() + 15_000
  while (!refused && Date.now() < until) {
    const r = await call(a, s, 'pid')
    if (r.error) refused = r.error
    else await new Promise((r) => setTimeout(r, 100))
  }
  assert.ok(refused, 'the refusal reached the user')
  assert.is(refused.data.code, 'home_too_large')
  assert.match(refused.message, /holds 200\.0 KiB, over the 64\.0 KiB this catalog entry keeps/)
  assert.is(text(await call(a, s, 'pid')), pid, 'the same process keeps running')
  assert.ok(alive(Number(pid)))
  const firestore = await emulatorFirestore(emu!)
  const store = new FirestoreStore({ projectId: emu!.projectId, prefix: env.COLLECTION_PREFIX!, firestore })
  let audited: any[] = []
  for (let i = 0; i < 50 && !audited.length; i++) {
    audited = (await store.list<any>('audit', { limit: 100 })).items.filter((x) => x.data.action === 'stdio.home_save')
    if (!audited.length) await new Promise((r) => setTimeout(r, 100))
  }
  await firestore.terminate()
  assert.ok(audited.length >= 1, 'audited')
  assert.is(audited[0].data.outcome, 'denied')
  assert.is(audited[0].data.code, 'home_too_large')
  assert.is(audited[0].data.mcp_id, 'big1')
})

test.after(async () => {
  await emu?.stop()
})

test.run()
