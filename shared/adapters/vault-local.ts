/**
 * Vault on the local disk, for development and tests. Each secret is one file,
 * `${dir}/vault/<sha256(name) hex>`, holding AES-256-GCM ciphertext:
 *
 *   version (1 byte) | IV (12 bytes, fresh per write) | ciphertext | tag (16 bytes)
 *
 * The AAD binds the version and the name, so a file copied over another
 * name's file fails the integrity check instead of decrypting.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, unlink, access, constants } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../errors.js'
import type { Vault } from '../ports.js'

const VERSION = 1
const IV_LEN = 12
const TAG_LEN = 16
const NAME_RE = /^[a-zA-Z0-9_-]{1,200}$/
/** Secret Manager's payload limit; the local vault keeps it so adapters agree. */
export const MAX_VALUE = 64 * 1024

export function checkName(name: string): void {
  if (typeof name !== 'string' || !NAME_RE.test(name)) throw new Error('vault: invalid secret name')
}

export function checkValue(value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) throw new TypeError('vault: value must be a Uint8Array')
  if (value.length === 0) throw new AppError('invalid_request', 'secret value must not be empty')
  if (value.length > MAX_VALUE) throw new AppError('payload_too_large', `secret value exceeds ${MAX_VALUE} bytes`)
}

/** Parses LOCAL_VAULT_KEY: 32 bytes as 64 hex chars or as (standard or url-safe) base64. */
export function parseKey(text: string): Buffer {
  const s = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex')
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) {
    const b = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    if (b.length === 32) return b
  }
  throw new Error('LOCAL_VAULT_KEY must be 32 bytes, given as base64 or as 64 hex characters')
}

const isCode = (e: unknown, code: string) => (e as NodeJS.ErrnoException)?.code === code

async function writeAtomic(file: string, data: Uint8Array): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const fh = await open(tmp, 'wx', 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  try {
    await rename(tmp, file)
  } catch (e) {
    await unlink(tmp).catch(() => {})
    throw e
  }
}

/** The local vault's key file (`${dir}/vault.key`), created 0600 on first use. */
export async function loadOrCreateKey(dir: string): Promise<Buffer> {
  const file = join(dir, 'vault.key')
  const read = async () => {
    const text = await readFile(file, 'utf8')
    try {
      return parseKey(text)
    } catch {
      throw new Error(`vault: ${file} does not hold a 32-byte base64 or hex key`)
    }
  }
  try {
    return await read()
  } catch (e) {
    if (!isCode(e, 'ENOENT')) throw e
  }
  const key = randomBytes(32)
  try {
    // 'wx': two processes opening a fresh dir at once must agree on one key.
    const fh = await open(file, 'wx', 0o600)
    try {
      await fh.writeFile(key.toString('base64') + '\n')
      await fh.sync()
    } finally {
      await fh.close()
    }
    return key
  } catch (e) {
    if (isCode(e, 'EEXIST')) return read()
    throw e
  }
}

export class LocalVault implements Vault {
  private constructor(
    private readonly root: string,
    private readonly key: Buffer,
  ) {}

  /** `key` is LOCAL_VAULT_KEY when set; otherwise the key lives in `${dir}/vault.key` (created 0600). */
  static async open({ dir, key }: { dir: string; key?: string }): Promise<LocalVault> {
    const k = key !== undefined ? parseKey(key) : undefined
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const root = join(dir, 'vault')
    await mkdir(root, { recursive: true, mode: 0o700 })
    return new LocalVault(root, k ?? (await loadOrCreateKey(dir)))
  }

  private file(name: string): string {
    return join(this.root, createHash('sha256').update(name, 'utf8').digest('hex'))
  }

  private aad(name: string): Buffer {
    return Buffer.concat([Buffer.from([VERSION]), Buffer.from(name, 'utf8')])
  }

  async put(name: string, value: Uint8Array): Promise<void> {
    checkName(name)
    checkValue(value)
    const iv = randomBytes(IV_LEN)
    const c = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_LEN })
    c.setAAD(this.aad(name))
    const ct = Buffer.concat([c.update(value), c.final()])
    await writeAtomic(this.file(name), Buffer.concat([Buffer.from([VERSION]), iv, ct, c.getAuthTag()]))
  }

  async get(name: string): Promise<Uint8Array | null> {
    checkName(name)
    let buf: Buffer
    try {
      buf = await readFile(this.file(name))
    } catch (e) {
      if (isCode(e, 'ENOENT')) return null
      throw e
    }
    if (buf.length < 1 + IV_LEN + TAG_LEN || buf[0] !== VERSION) throw new Error('vault: integrity check failed')
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, buf.subarray(1, 1 + IV_LEN), { authTagLength: TAG_LEN })
      d.setAAD(this.aad(name))
      d.setAuthTag(buf.subarray(buf.length - TAG_LEN))
      return Buffer.concat([d.update(buf.subarray(1 + IV_LEN, buf.length - TAG_LEN)), d.final()])
    } catch {
      throw new Error('vault: integrity check failed')
    }
  }

  async delete(name: string): Promise<void> {
    checkName(name)
    try {
      await unlink(this.file(name))
    } catch (e) {
      if (!isCode(e, 'ENOENT')) throw e
    }
  }

  async ping(): Promise<void> {
    await access(this.root, constants.R_OK | constants.W_OK)
  }

  async close(): Promise<void> {}
}
