/**
 * Vault on Google Secret Manager. One secret per name (`${prefix}${name}`),
 * holding exactly one live version: every put adds a version, then destroys
 * the older ones so rotated credentials don't linger.
 *
 * The client is imported on first use (about 400 ms of cold start otherwise).
 * Payloads carry CRC32C both ways; the client library checks neither.
 */
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager'
import { AppError } from '../errors.js'
import type { Vault } from '../ports.js'
import { checkName, checkValue } from './vault-local.js'

type Client = SecretManagerServiceClient

// google.rpc.Code
const DEADLINE_EXCEEDED = 4
const NOT_FOUND = 5
const ALREADY_EXISTS = 6
const RESOURCE_EXHAUSTED = 8
const FAILED_PRECONDITION = 9
const UNAVAILABLE = 14

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC32C (Castagnoli), as Secret Manager's `data_crc32c` expects. */
export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff
  // The index is masked to 0..255: the table has 256 entries.
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const codeOf = (e: unknown) => (e as { code?: unknown } | null)?.code

/** Vendor error → domain error. Messages name the operation, never the value. */
function fail(op: string, e: unknown): never {
  const code = codeOf(e)
  if (code === UNAVAILABLE || code === DEADLINE_EXCEEDED || code === RESOURCE_EXHAUSTED) {
    throw new AppError('unavailable', 'vault unavailable', undefined, { cause: e })
  }
  throw new Error(`vault: ${op} failed (code ${typeof code === 'number' ? code : 'unknown'})`, { cause: e })
}

const versionNo = (name: string | null | undefined) => Number(/\/versions\/(\d+)$/.exec(name ?? '')?.[1] ?? NaN)
const isLive = (state: unknown) => state === 'ENABLED' || state === 'DISABLED' || state === 1 || state === 2

export interface SecretManagerVaultOptions {
  projectId: string
  /** Prepended to every secret id, so the gateway's secrets are easy to find and to grant on. */
  prefix?: string
  /** Injected client (tests); otherwise one is created on first use, and closed by `close()`. */
  client?: Client
  /** Total time per call, retries included (the library's default is up to 10 minutes). */
  timeoutMs?: number
}

export class SecretManagerVault implements Vault {
  private readonly projectId: string
  private readonly prefix: string
  private readonly timeout: number
  private readonly injected?: Client
  private created?: Promise<Client>

  constructor({ projectId, prefix = 'mcpgw-', client, timeoutMs = 10_000 }: SecretManagerVaultOptions) {
    if (!projectId) throw new Error('vault: projectId is required')
    if (!/^[a-zA-Z0-9_-]{0,55}$/.test(prefix)) throw new Error('vault: invalid secret prefix')
    this.projectId = projectId
    this.prefix = prefix
    this.injected = client
    this.timeout = timeoutMs
  }

  private client(): Promise<Client> {
    if (this.injected) return Promise.resolve(this.injected)
    this.created ??= import('@google-cloud/secret-manager').then(
      (m) => new m.SecretManagerServiceClient(),
      (e) => {
        this.created = undefined
        throw e
      },
    )
    return this.created
  }

  private secret(name: string): string {
    return `projects/${this.projectId}/secrets/${this.prefix}${name}`
  }

  async put(name: string, value: Uint8Array): Promise<void> {
    checkName(name)
    checkValue(value)
    const c = await this.client()
    const opts = { timeout: this.timeout }
    const parent = this.secret(name)
    const req = { parent, payload: { data: Buffer.from(value), dataCrc32c: crc32c(value) } }
    let added: string | null | undefined
    try {
      ;[{ name: added }] = await c.addSecretVersion(req, opts)
    } catch (e) {
      if (codeOf(e) !== NOT_FOUND) fail('put', e)
      try {
        await c.createSecret(
          {
            parent: `projects/${this.projectId}`,
            secretId: this.prefix + name,
            secret: { replication: { automatic: {} }, labels: { managed_by: 'mcp-gateway' } },
          },
          opts,
        )
      } catch (e2) {
        // A concurrent put created it first: fine.
        if (codeOf(e2) !== ALREADY_EXISTS) fail('put', e2)
      }
      try {
        ;[{ name: added }] = await c.addSecretVersion(req, opts)
      } catch (e3) {
        fail('put', e3)
      }
    }
    await this.prune(c, parent, versionNo(added))
  }

  /**
   * Destroys live versions older than `newest`. Only older ones: two concurrent
   * puts each keep the highest version, instead of destroying each other's.
   */
  private async prune(c: Client, parent: string, newest: number): Promise<void> {
    if (!Number.isFinite(newest)) return
    const opts = { timeout: this.timeout }
    let versions
    try {
      ;[versions] = await c.listSecretVersions({ parent, filter: 'state:(ENABLED OR DISABLED)' }, opts)
    } catch (e) {
      fail('put', e)
    }
    // The filter is a hint; filter again here.
    const old = versions.filter((v) => isLive(v.state) && versionNo(v.name) < newest)
    await Promise.all(
      old.map(async (v) => {
        try {
          await c.destroySecretVersion({ name: v.name }, opts)
        } catch (e) {
          // Already destroyed by a concurrent put.
          const code = codeOf(e)
          if (code !== NOT_FOUND && code !== FAILED_PRECONDITION) fail('put', e)
        }
      }),
    )
  }

  async get(name: string): Promise<Uint8Array | null> {
    checkName(name)
    const c = await this.client()
    let payload
    try {
      ;[{ payload }] = await c.accessSecretVersion({ name: `${this.secret(name)}/versions/latest` }, { timeout: this.timeout })
    } catch (e) {
      // FAILED_PRECONDITION: the latest version is not enabled (e.g. destroyed), so there is no value.
      if (codeOf(e) === NOT_FOUND || codeOf(e) === FAILED_PRECONDITION) return null
      fail('get', e)
    }
    const data = payload?.data
    const bytes = typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.from(data ?? new Uint8Array())
    const sent = payload?.dataCrc32c
    if (sent == null || Number(String(sent)) !== crc32c(bytes)) throw new Error('vault: checksum mismatch')
    return bytes
  }

  async delete(name: string): Promise<void> {
    checkName(name)
    const c = await this.client()
    try {
      await c.deleteSecret({ name: this.secret(name) }, { timeout: this.timeout })
    } catch (e) {
      if (codeOf(e) !== NOT_FOUND) fail('delete', e)
    }
  }

  async ping(): Promise<void> {
    const c = await this.client()
    try {
      await c.listSecrets(
        { parent: `projects/${this.projectId}`, pageSize: 1, filter: this.prefix ? `name:${this.prefix}` : '' },
        { timeout: this.timeout, autoPaginate: false },
      )
    } catch (e) {
      fail('ping', e)
    }
  }

  async close(): Promise<void> {
    const p = this.created
    this.created = undefined
    if (p) await (await p.catch(() => undefined))?.close()
  }
}
