import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { createHash, randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalVault } from '../shared/adapters/vault-local.js'
import { vaultContract } from './vault.contract.js'
import { rejects } from './support/assert.js'

const tmp = () => mkdtemp(join(tmpdir(), 'vault-local-'))
const fileOf = (dir: string, name: string) => join(dir, 'vault', createHash('sha256').update(name).digest('hex'))

vaultContract('LocalVault', async () => {
  const dir = await tmp()
  return { vault: await LocalVault.open({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) }
})

test('each write uses a fresh IV: the same value twice gives different files', async () => {
  const dir = await tmp()
  const v = await LocalVault.open({ dir })
  await v.put('s', Buffer.from('same value'))
  const a = await readFile(fileOf(dir, 's'))
  await v.put('s', Buffer.from('same value'))
  const b = await readFile(fileOf(dir, 's'))
  assert.is(a.length, b.length)
  assert.not.ok(a.equals(b))
  assert.not.ok(a.subarray(1, 13).equals(b.subarray(1, 13)), 'IV reused')
  await rm(dir, { recursive: true })
})

test('a generated key file is 0600, its dir 0700, and secret files 0600', async () => {
  const dir = join(await tmp(), 'nested')
  const v = await LocalVault.open({ dir })
  await v.put('s', Buffer.from('v'))
  assert.is((await stat(join(dir, 'vault.key'))).mode & 0o777, 0o600)
  assert.is((await stat(dir)).mode & 0o777, 0o700)
  assert.is((await stat(fileOf(dir, 's'))).mode & 0o777, 0o600)
  assert.equal(await readdir(join(dir, 'vault')), [createHash('sha256').update('s').digest('hex')], 'no temp files left')
  await rm(join(dir, '..'), { recursive: true })
})

test('a tampered byte anywhere in the file is an integrity error, never garbage', async () => {
  const dir = await tmp()
  const v = await LocalVault.open({ dir })
  await v.put('s', Buffer.from('a secret worth protecting'))
  const orig = await readFile(fileOf(dir, 's'))
  for (const i of [0, 5, 20, orig.length - 1]) {
    const bad = Buffer.from(orig)
    bad[i]! ^= 0x01
    await writeFile(fileOf(dir, 's'), bad)
    await rejects(() => v.get('s'), (e) => e.message === 'vault: integrity check failed', `byte ${i}`)
  }
  await writeFile(fileOf(dir, 's'), orig.subarray(0, 10))
  await rejects(() => v.get('s'), (e) => e.message === 'vault: integrity check failed', 'truncated')
  await rm(dir, { recursive: true })
})

test("a file moved over another name's file does not decrypt (name is bound as AAD)", async () => {
  const dir = await tmp()
  const v = await LocalVault.open({ dir })
  await v.put('alice', Buffer.from('alice-token'))
  await v.put('bob', Buffer.from('bob-token'))
  await writeFile(fileOf(dir, 'bob'), await readFile(fileOf(dir, 'alice')))
  await rejects(() => v.get('bob'), (e) => e.message === 'vault: integrity check failed')
  await rm(dir, { recursive: true })
})

test('reopening the same dir reads earlier secrets (generated key persisted)', async () => {
  const dir = await tmp()
  await (await LocalVault.open({ dir })).put('s', Buffer.from('persisted'))
  const again = await LocalVault.open({ dir })
  assert.is(Buffer.from((await again.get('s'))!).toString(), 'persisted')
  await rm(dir, { recursive: true })
})

test('LOCAL_VAULT_KEY works as hex or base64, and the other encoding of the same key reads the same secrets', async () => {
  const dir = await tmp()
  const key = randomBytes(32)
  await (await LocalVault.open({ dir, key: key.toString('hex') })).put('s', Buffer.from('v1'))
  const b64 = await LocalVault.open({ dir, key: key.toString('base64') })
  assert.is(Buffer.from((await b64.get('s'))!).toString(), 'v1')
  const other = await LocalVault.open({ dir, key: randomBytes(32).toString('hex') })
  await rejects(() => other.get('s'), (e) => e.message === 'vault: integrity check failed', 'wrong key must not decrypt')
  await rm(dir, { recursive: true })
})

test('LOCAL_VAULT_KEY of the wrong length or encoding is rejected with a clear error', async () => {
  const dir = await tmp()
  const bad = [randomBytes(16).toString('base64'), randomBytes(31).toString('hex'), randomBytes(33).toString('base64'), 'g'.repeat(64), '', 'not a key']
  for (const key of bad) {
    await rejects(() => LocalVault.open({ dir, key }), (e) => /LOCAL_VAULT_KEY must be 32 bytes/.test(e.message), `accepted ${JSON.stringify(key)}`)
  }
  await rm(dir, { recursive: true })
})

test('neither the plaintext nor the name appears in the vault dir', async () => {
  const dir = await tmp()
  const v = await LocalVault.open({ dir })
  const plain = 'PLAINTEXT-MARKER-' + 'x'.repeat(40)
  await v.put('user-alice-github', Buffer.from(plain))
  const raw = await readFile(fileOf(dir, 'user-alice-github'))
  assert.not.ok(raw.includes(Buffer.from('PLAINTEXT-MARKER')))
  assert.not.ok(raw.includes(Buffer.from('alice')))
  assert.not.ok((await readdir(join(dir, 'vault'))).some((f) => f.includes('alice')))
  await rm(dir, { recursive: true })
})

test.run()
