/**
 * Quotas hold across instances on Firestore (the official emulator): two
 * "instances", each with its own Firestore client, race to create configs and
 * to write secrets for one user; the counts stay exact, refused creates write
 * nothing to the vault, and a delete on one instance frees a place on the other.
 */
import { randomUUID } from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Firestore } from '@google-cloud/firestore'
import { FirestoreStore } from '../shared/adapters/store-firestore.js'
import { LocalVault } from '../shared/adapters/vault-local.js'
import { parseConfig } from '../shared/config.js'
import { makeDeps, type Deps } from '../shared/deps.js'
import { AppError } from '../shared/errors.js'
import type { Caller } from '../shared/auth/caller.js'
import { create, remove } from '../shared/registry/write.js'
import { chargeVaultWrite } from '../shared/quota/vault-writes.js'
import { setLogSink } from '../shared/log.js'
import { auditFlushed } from '../shared/audit.js'
import { emulatorFirestore, startFirestoreEmulator } from './support/firestore-emulator.js'

const emu = await startFirestoreEmulator()
if (!emu) {
  process.stderr.write('!! quota-firestore.test: SKIPPED, no Firestore emulator (see warning above)\n')
} else {
  const test = suite('quotas on Firestore, across instances')
  const clients: Firestore[] = []
  let dir: string
  let vault: LocalVault
  let one: Deps
  let two: Deps
  let prevSink: (l: string) => void

  test.before(async () => {
    prevSink = setLogSink(() => {})
    dir = await mkdtemp(join(tmpdir(), 'quota-fs-'))
    vault = await LocalVault.open({ dir })
    const prefix = `q${randomUUID().slice(0, 8)}_`
    const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dir, QUOTA_CONFIGS_PER_USER: '4', QUOTA_CONFIGS_PER_ORG: '3', QUOTA_VAULT_WRITES_PER_MINUTE: '3' })
    // Vault writes count per calendar minute: both instances read one clock, pinned mid-minute,
    // so concurrent creates that take seconds on a busy machine never straddle two windows.
    const t0 = Date.now()
    const clock = { now: () => t0 - (t0 % 60_000) + 30_000 }
    const instance = async () => {
      const firestore = await emulatorFirestore(emu)
      clients.push(firestore)
      const store = new FirestoreStore({ projectId: emu.projectId, prefix, firestore, clock })
      return makeDeps(config, { store: async () => store, vault: async () => vault, clock })
    }
    one = await instance()
    two = await instance()
  })

  test.after(async () => {
    await auditFlushed() // audit records are written in the background, through these clients
    setLogSink(prevSink)
    await vault.close()
    for (const c of clients) await c.terminate()
    await emu.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const user = (sub: string): Caller => ({ sub, admin: false })
  const plain = (n: number) => ({ name: `s${n}`, type: 'http', endpoint: 'http://127.0.0.1:9/mcp' })
  const bearer = (n: number) => ({ ...plain(n), auth_type: 'bearer', config: { token: `t-${n}-${randomUUID()}` } })
  const vaultEntries = async () => (await readdir(join(dir, 'vault')).catch(() => [] as string[])).length
  const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e) => (e instanceof AppError ? e.code : `unexpected ${e}`))

  test('12 concurrent creates on two instances: exactly the quota succeeds', async () => {
    const alice = user('alice')
    await create(one, user('warm-up'), plain(0)) // the emulator's first transaction is slow
    const t = performance.now()
    const got = await Promise.all(Array.from({ length: 12 }, (_, i) => outcome(create(i % 2 ? one : two, alice, plain(i)))))
    // One user's creates serialise on their counter: contention costs time, never exactness.
    console.log(`  12 concurrent creates of one user on 2 instances: ${(performance.now() - t).toFixed(0)} ms`)
    assert.equal(got.sort(), [...Array(4).fill('ok'), ...Array(8).fill('quota_exceeded')], got.join())
  })

  test('a delete on one instance frees a place on the other', async () => {
    const bob = user('bob')
    const ids: string[] = []
    for (let i = 0; i < 4; i++) ids.push((await create(one, bob, plain(i))).id)
    assert.is(await outcome(create(two, bob, plain(9))), 'quota_exceeded')
    await remove(two, bob, ids[0]!)
    assert.is(await outcome(create(two, bob, plain(10))), 'ok')
    assert.is(await outcome(create(one, bob, plain(11))), 'quota_exceeded')
  })

  test('vault writes per minute hold across instances, and refused creates write nothing', async () => {
    const carol = user('carol')
    const before = await vaultEntries()
    const got = await Promise.all(Array.from({ length: 8 }, (_, i) => outcome(create(i % 2 ? one : two, carol, bearer(i)))))
    assert.equal(got.sort(), [...Array(3).fill('ok'), ...Array(5).fill('rate_limited')], got.join())
    assert.is(await vaultEntries(), before + 3)
    // Another user has a budget of their own.
    assert.is(await outcome(chargeVaultWrite(one, 'dave')), 'ok')
  })

  test.run()
}
