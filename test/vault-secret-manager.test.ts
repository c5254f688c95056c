import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { AppError } from '../shared/errors.js'
import { SecretManagerVault, crc32c } from '../shared/adapters/vault-secret-manager.js'
import { startSecretManagerFake, type SecretManagerFake } from './support/secret-manager-fake.js'
import { vaultContract } from './vault.contract.js'
import { rejects } from './support/assert.js'
import { importDist, loadedPackages } from './support/trace.js'

const UNAVAILABLE = 14
let fake: SecretManagerFake | undefined
let seq = 0

/** Each vault gets its own project, so every test starts empty on one shared server. */
async function vault(opts: { timeoutMs?: number } = {}) {
  fake ??= await startSecretManagerFake()
  const projectId = `p${++seq}`
  return { vault: new SecretManagerVault({ projectId, client: await fake.client(), ...opts }), projectId, fake }
}

vaultContract('SecretManagerVault', async () => {
  const { vault: v } = await vault()
  return { vault: v, cleanup: async () => {} }
})

test('crc32c matches the Castagnoli check value', () => {
  assert.is(crc32c(Buffer.from('123456789')), 0xe3069283)
  assert.is(crc32c(new Uint8Array(0)), 0)
})

test('after 3 puts only the newest version is left undestroyed, with its data; older data is wiped', async () => {
  const { vault: v, projectId, fake } = await vault()
  for (const t of ['t1', 't2', 't3']) await v.put('rot', Buffer.from(t))
  const s = fake.secrets().get(`projects/${projectId}/secrets/mcpgw-rot`)!
  assert.equal(s.versions.map((x) => x.state), ['DESTROYED', 'DESTROYED', 'ENABLED'])
  assert.equal(s.versions.map((x) => x.data?.toString() ?? null), [null, null, 't3'])
  assert.equal(s.labels, { managed_by: 'mcp-gateway' })
})

test('concurrent puts to one name keep exactly one live version', async () => {
  const { vault: v, projectId, fake } = await vault()
  await Promise.all(['a', 'b', 'c', 'd'].map((t) => v.put('race', Buffer.from(t))))
  const s = fake.secrets().get(`projects/${projectId}/secrets/mcpgw-race`)!
  assert.is(s.versions.filter((x) => x.state !== 'DESTROYED').length, 1)
  assert.ok(await v.get('race'))
})

test('a corrupted dataCrc32c on access is a checksum error, not data', async () => {
  const { vault: v, fake } = await vault()
  await v.put('c', Buffer.from('value'))
  fake.corruptNextCrc()
  await rejects(() => v.get('c'), (e) => e.message === 'vault: checksum mismatch')
  assert.is(Buffer.from((await v.get('c'))!).toString(), 'value', 'only the one response was corrupted')
})

test('puts send dataCrc32c (the fake verifies it as the real API does)', async () => {
  const { vault: v, projectId, fake } = await vault()
  const before = fake.calls.length
  await v.put('crc', Buffer.from('abc'))
  assert.ok(fake.calls.slice(before).some((c) => c.method === 'AddSecretVersion'))
  const s = fake.secrets().get(`projects/${projectId}/secrets/mcpgw-crc`)!
  assert.is(s.versions[0]!.crc, crc32c(Buffer.from('abc')))
})

test('secret ids are the prefix plus the opaque name, nothing else', async () => {
  const { vault: v, projectId, fake } = await vault()
  await v.put('opaque_1', Buffer.from('x'))
  await v.put('opaque-2', Buffer.from('y'))
  const ids = [...fake.secrets().keys()].filter((k) => k.startsWith(`projects/${projectId}/`)).map((k) => k.split('/secrets/')[1])
  assert.equal(ids.sort(), ['mcpgw-opaque-2', 'mcpgw-opaque_1'])
  const prefixed = new SecretManagerVault({ projectId, prefix: 'other-', client: await fake.client() })
  await prefixed.put('z', Buffer.from('z'))
  assert.ok(fake.secrets().has(`projects/${projectId}/secrets/other-z`))
})

test('UNAVAILABLE becomes AppError unavailable, with no secret in the message', async () => {
  const { vault: v, fake } = await vault({ timeoutMs: 600 })
  const isUnavailable = (e: any) => e instanceof AppError && e.code === 'unavailable' && e.message === 'vault unavailable'
  fake.failNext('AddSecretVersion', UNAVAILABLE)
  await rejects(() => v.put('u', Buffer.from('TOP-SECRET')), isUnavailable)
  fake.failNext('ListSecrets', UNAVAILABLE)
  await rejects(() => v.ping(), isUnavailable)
  // AccessSecretVersion is retried by the library on UNAVAILABLE; a lasting outage hits our timeout.
  await v.put('u', Buffer.from('TOP-SECRET'))
  fake.failNext('AccessSecretVersion', UNAVAILABLE, 1000)
  const started = Date.now()
  const e = await rejects(() => v.get('u'), isUnavailable)
  assert.ok(Date.now() - started < 5000, 'bounded by timeoutMs')
  assert.not.ok(String(e.message).includes('TOP-SECRET'))
  fake.failNext('AccessSecretVersion', UNAVAILABLE, 0)
})

test('a missing secret is null via NOT_FOUND, and delete of a missing one succeeds', async () => {
  const { vault: v, fake } = await vault()
  const before = fake.calls.length
  assert.is(await v.get('nope'), null)
  await v.delete('nope')
  assert.equal(fake.calls.slice(before).map((c) => c.method), ['AccessSecretVersion', 'DeleteSecret'])
})

test('the client library is not imported until first use', async () => {
  const idle = await loadedPackages(`${importDist('shared/adapters/vault-secret-manager.js', '{ SecretManagerVault }')}\nnew SecretManagerVault({ projectId: 'p', prefix: 'x-' })`)
  assert.not.ok(idle.includes('@google-cloud/secret-manager'), `loaded: ${idle.join(', ')}`)
  // Control: the tracer does see the library when something imports it.
  assert.ok((await loadedPackages("await import('@google-cloud/secret-manager')")).includes('@google-cloud/secret-manager'))
})

test.after(async () => {
  await fake?.stop()
})

test.run()
