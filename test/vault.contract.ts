/**
 * The behaviour every Vault adapter owes its callers. Each adapter's test file
 * runs this suite with a factory that returns a fresh, empty vault.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { randomBytes } from 'node:crypto'
import type { Vault } from '../shared/ports.js'
import { rejects } from './support/assert.js'

type Made = { vault: Vault; cleanup(): Promise<void> }

const same = (a: Uint8Array | null, b: Uint8Array) => {
  assert.ok(a, 'expected a value, got null')
  assert.ok(Buffer.from(a!).equals(Buffer.from(b)), 'bytes differ')
}

export function vaultContract(name: string, make: () => Promise<Made>): void {
  const test = suite<{ made?: Made }>(`${name}: vault contract`, {})

  test.before.each(async (ctx) => {
    ctx.made = await make()
  })
  test.after.each(async (ctx) => {
    await ctx.made?.vault.close()
    await ctx.made?.cleanup()
    ctx.made = undefined
  })

  test('a secret never written reads as null', async ({ made }) => {
    assert.is(await made!.vault.get('never-written'), null)
  })

  test('binary bytes, zero bytes included, come back exactly', async ({ made }) => {
    const v = Uint8Array.from([0, 0, 255, 0, 1, 128, 0, 10, 13, 0])
    await made!.vault.put('bin_1', v)
    same(await made!.vault.get('bin_1'), v)
  })

  test('an overwrite reads back the newest value', async ({ made }) => {
    const { vault } = made!
    await vault.put('rotating', Buffer.from('refresh-token-1'))
    await vault.put('rotating', Buffer.from('refresh-token-2'))
    await vault.put('rotating', Buffer.from('refresh-token-3'))
    same(await vault.get('rotating'), Buffer.from('refresh-token-3'))
  })

  test('a deleted secret reads as null', async ({ made }) => {
    const { vault } = made!
    await vault.put('gone', Buffer.from('x'))
    await vault.delete('gone')
    assert.is(await vault.get('gone'), null)
  })

  test('deleting a missing secret is fine, twice', async ({ made }) => {
    await made!.vault.delete('not-there')
    await made!.vault.delete('not-there')
  })

  test('10 concurrent puts of different names all land', async ({ made }) => {
    const { vault } = made!
    const vals = Array.from({ length: 10 }, () => randomBytes(48))
    await Promise.all(vals.map((v, i) => vault.put(`conc-${i}`, v)))
    const got = await Promise.all(vals.map((_, i) => vault.get(`conc-${i}`)))
    for (const [i, g] of got.entries()) same(g, vals[i]!)
  })

  test('a 60 KiB value round-trips', async ({ made }) => {
    const v = randomBytes(60 * 1024)
    await made!.vault.put('big', v)
    same(await made!.vault.get('big'), v)
  })

  test('values over 64 KiB and empty values are refused', async ({ made }) => {
    const { vault } = made!
    await rejects(() => vault.put('too-big', new Uint8Array(64 * 1024 + 1)), (e) => e.code === 'payload_too_large')
    await rejects(() => vault.put('empty', new Uint8Array(0)), (e) => e.code === 'invalid_request')
    assert.is(await vault.get('too-big'), null)
  })

  test('names outside [a-zA-Z0-9_-]{1,200} are refused by every verb', async ({ made }) => {
    const { vault } = made!
    const bad = ['', '../etc/passwd', 'a/b', 'has space', 'é', 'x'.repeat(201), 'dot.name']
    for (const n of bad) {
      const invalid = (e: Error) => /invalid secret name/.test(e.message)
      await rejects(() => vault.put(n, Buffer.from('v')), invalid, `put accepted ${JSON.stringify(n)}`)
      await rejects(() => vault.get(n), invalid, `get accepted ${JSON.stringify(n)}`)
      await rejects(() => vault.delete(n), invalid, `delete accepted ${JSON.stringify(n)}`)
    }
    await vault.put('x'.repeat(200), Buffer.from('v'))
  })

  test('ping answers on a healthy vault', async ({ made }) => {
    await made!.vault.ping()
  })

  test.run()
}
