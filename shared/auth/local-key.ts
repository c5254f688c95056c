/**
 * The local issuer's signing key, generated once into DATA_DIR with mode 0600.
 * `npm run dev-token` signs with it; local mode verifies with its public half,
 * on the same path production uses for remote JWKS.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { exportJWK } from 'jose/key/export'
import { generateKeyPair } from 'jose/key/generate/keypair'
import type { JWK } from 'jose'

export interface LocalKey { privateJwk: JWK; publicJwk: JWK; kid: string }

export async function loadOrCreateLocalKey(dataDir: string): Promise<LocalKey> {
  const file = join(dataDir, 'dev-signing-key.json')
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LocalKey
  } catch (e: any) {
    if (e?.code !== 'ENOENT') throw e
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = `local-${Date.now().toString(36)}`
  const key: LocalKey = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    kid,
  }
  try {
    await writeFile(file, JSON.stringify(key), { mode: 0o600, flag: 'wx' })
    return key
  } catch (e: any) {
    // Another process won the race: use its key.
    if (e?.code === 'EEXIST') return JSON.parse(await readFile(file, 'utf8')) as LocalKey
    throw e
  }
}
