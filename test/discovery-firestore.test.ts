/**
 * The discovery cache on Firestore (the official emulator): a refresh from the
 * loopback registry, search pages and cursors, a server's versions, and two
 * instances refreshing at once (one lease wins, the other does nothing).
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Firestore } from '@google-cloud/firestore'
import { FirestoreStore } from '../shared/adapters/store-firestore.js'
import { parseConfig } from '../shared/config.js'
import { makeDeps, type Deps } from '../shared/deps.js'
import { setLogSink } from '../shared/log.js'
import { searchPage, versionsOf } from '../shared/discovery/cache.js'
import { refreshSource } from '../shared/discovery/refresh.js'
import { emulatorFirestore, noEmulator, startFirestoreEmulator } from './support/firestore-emulator.js'
import { needs } from './support/components.js'
import { manifest, startRegistry, type RegistryHandle } from './support/registry-server.js'

const emu = await startFirestoreEmulator()
const test = needs(suite<{ one: Deps; two: Deps; reg: RegistryHandle; dir: string; clients: Firestore[]; sink: (l: string) => void }>('discovery on Firestore'), emu ? null : noEmulator())

test.before(async (c) => {
  if (!emu) return
  c.sink = setLogSink(() => {})
  c.reg = await startRegistry({ hostile: true })
  c.dir = await mkdtemp(join(tmpdir(), 'disc-fs-'))
  const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: c.dir, REGISTRY_SOURCES: c.reg.url })
  const prefix = `d${randomUUID().slice(0, 8)}_`
  c.clients = []
  const instance = async () => {
    const firestore = await emulatorFirestore(emu)
    c.clients.push(firestore)
    const store = new FirestoreStore({ projectId: emu.projectId, prefix, firestore })
    return makeDeps(config, { store: async () => store })
  }
  c.one = await instance()
  c.two = await instance()
})

test.after(async (c) => {
  if (!emu) return
  setLogSink(c.sink)
  for (const f of c.clients) await f.terminate()
  await c.reg.close()
  await emu.stop()
  await rm(c.dir, { recursive: true, force: true })
})

test('two instances refresh at once: one pass stores every valid entry, the other finds the lease taken', async (c) => {
  // The registry holds its answers, so that the first instance is mid-pass (holding the lease) when the second tries.
  let release!: () => void
  c.reg.hold = new Promise<void>((r) => (release = r))
  const before = c.reg.requests.length
  const first = refreshSource(c.one, c.reg.url)
  for (let i = 0; i < 500 && c.reg.requests.length === before; i++) await new Promise((r) => setTimeout(r, 10))
  assert.ok(c.reg.requests.length > before, 'the first instance reached the registry')
  const second = await refreshSource(c.two, c.reg.url)
  assert.is(second, null, 'the lease is taken: the second instance does nothing')
  c.reg.hold = undefined
  release()
  const done = await first
  assert.ok(done)
  assert.is(done.complete, true)
  assert.is(done.stored, manifest().entries.length)
  assert.is(done.skipped, manifest().hostile.length)
})

test('search pages in name order with cursors; a server lists its versions', async (c) => {
  const names: string[] = []
  let cursor: string | undefined
  for (let i = 0; i < 10; i++) {
    const p = await searchPage(c.two, '', 2, cursor)
    names.push(...p.items.map((r) => r.data.name))
    if (!p.next) break
    cursor = p.next
  }
  assert.equal(names, [...names].sort())
  assert.is(names.length, manifest().entries.length)
  const w = await searchPage(c.one, 'weather', 50)
  assert.is(w.items.length, 3)
  const v = await versionsOf(c.one, 'io.github.gateway-tests/everything')
  assert.equal(v.map((r) => r.data.version), ['1.0.0'])
})

test.run()
