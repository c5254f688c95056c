/**
 * An in-memory Secret Manager behind a real gRPC server on 127.0.0.1, speaking
 * the service definition bundled with the client library. No official emulator
 * exists, so this fake mirrors the real API's limits where that is cheap:
 * secret ids `[a-zA-Z0-9_-]{1,255}`, payloads 1..64 KiB, CRC32C verified on add,
 * replication required on create. ListSecretVersions ignores `filter` (callers
 * must not depend on it).
 */
import { createRequire } from 'node:module'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import type { SecretManagerServiceClient } from '@google-cloud/secret-manager'

const require = createRequire(import.meta.url)

export type FakeState = 'ENABLED' | 'DISABLED' | 'DESTROYED'
export interface FakeVersion {
  id: number
  state: FakeState
  data: Buffer | null
  crc: number
  createTime: number
}
export interface FakeSecret {
  name: string
  replication: unknown
  labels: Record<string, string>
  createTime: number
  versions: FakeVersion[]
}

export interface SecretManagerFake {
  port: number
  /** A client wired to the fake (insecure loopback channel, no Google credentials). Closed by `stop()`. */
  client(): Promise<SecretManagerServiceClient>
  calls: { method: string; name?: string }[]
  /** Keyed by resource name, `projects/P/secrets/ID`. */
  secrets(): Map<string, FakeSecret>
  /** The next `times` calls of `method` (e.g. 'AccessSecretVersion') fail with the gRPC `code`; `times` 0 clears. */
  failNext(method: string, code: number, times?: number): void
  /** The next AccessSecretVersion answers with a wrong `dataCrc32c`. */
  corruptNextCrc(): void
  stop(): Promise<void>
}

const ID_RE = /^[a-zA-Z0-9_-]{1,255}$/
const MAX_PAYLOAD = 64 * 1024

/** Bitwise CRC32C, written independently of the adapter's table-driven one. */
function crc32c(data: Uint8Array): number {
  let c = ~0
  for (const b of data) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1))
  }
  return ~c >>> 0
}

const ts = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 })

class RpcError extends Error {
  constructor(readonly code: grpc.status, details: string) {
    super(details)
  }
}

export async function startSecretManagerFake(): Promise<SecretManagerFake> {
  process.env.METADATA_SERVER_DETECTION = 'none'
  const json = require('@google-cloud/secret-manager/build/protos/protos.json')
  const def = protoLoader.fromJSON(json, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true })
  const service = (grpc.loadPackageDefinition(def) as any).google.cloud.secretmanager.v1.SecretManagerService.service

  const store = new Map<string, FakeSecret>()
  const calls: { method: string; name?: string }[] = []
  const failures = new Map<string, { code: number; times: number }>()
  let corruptCrc = false

  const secretOf = (name: string): FakeSecret => {
    const s = store.get(name)
    if (!s) throw new RpcError(grpc.status.NOT_FOUND, `Secret [${name}] not found or has no versions.`)
    return s
  }
  const versionOf = (name: string): [FakeSecret, FakeVersion] => {
    const m = /^(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/]+)$/.exec(name)
    if (!m) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Invalid resource field value in the request.')
    const s = secretOf(m[1]!)
    const v =
      m[2] === 'latest'
        ? s.versions.filter((x) => x.state === 'ENABLED').at(-1)
        : s.versions.find((x) => String(x.id) === m[2])
    if (!v) throw new RpcError(grpc.status.NOT_FOUND, `Secret Version [${name}] not found.`)
    return [s, v]
  }
  const secretMsg = (s: FakeSecret) => ({ name: s.name, replication: s.replication, labels: s.labels, createTime: ts(s.createTime) })
  const versionMsg = (s: FakeSecret, v: FakeVersion) => ({
    name: `${s.name}/versions/${v.id}`,
    state: v.state,
    createTime: ts(v.createTime),
    ...(v.state === 'DESTROYED' ? { destroyTime: ts(Date.now()) } : {}),
    etag: `"${v.id}-${v.state}"`,
  })
  const page = <T>(items: T[], pageSize: number, pageToken: string) => {
    const start = Number(pageToken || 0)
    const size = pageSize > 0 ? Math.min(pageSize, 25000) : 25000
    const slice = items.slice(start, start + size)
    return { slice, nextPageToken: start + size < items.length ? String(start + size) : '', totalSize: items.length }
  }

  const methods: Record<string, (req: any) => unknown> = {
    CreateSecret(req) {
      if (!ID_RE.test(req.secretId)) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Invalid secret id.')
      if (!req.secret?.replication?.replication) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Secret replication is required.')
      const name = `${req.parent}/secrets/${req.secretId}`
      if (store.has(name)) throw new RpcError(grpc.status.ALREADY_EXISTS, `Secret [${name}] already exists.`)
      const s: FakeSecret = { name, replication: req.secret.replication, labels: { ...req.secret.labels }, createTime: Date.now(), versions: [] }
      store.set(name, s)
      return secretMsg(s)
    },
    GetSecret: (req) => secretMsg(secretOf(req.name)),
    ListSecrets(req) {
      const prefix = /^name:(\S+)$/.exec(req.filter ?? '')?.[1] ?? ''
      const all = [...store.values()]
        .filter((s) => s.name.startsWith(`${req.parent}/secrets/${prefix}`))
        .sort((a, b) => (a.name < b.name ? -1 : 1))
      const { slice, nextPageToken, totalSize } = page(all, req.pageSize, req.pageToken)
      return { secrets: slice.map(secretMsg), nextPageToken, totalSize }
    },
    DeleteSecret(req) {
      secretOf(req.name)
      store.delete(req.name)
      return {}
    },
    AddSecretVersion(req) {
      const s = secretOf(req.parent)
      const data: Buffer = req.payload?.data ?? Buffer.alloc(0)
      if (data.length === 0) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Secret Payload cannot be empty.')
      if (data.length > MAX_PAYLOAD) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Secret Payload is larger than 65536 bytes.')
      const crc = crc32c(data)
      const given = req.payload?.dataCrc32c
      if (given != null && Number(given) !== crc) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Checksum mismatch.')
      const v: FakeVersion = { id: (s.versions.at(-1)?.id ?? 0) + 1, state: 'ENABLED', data: Buffer.from(data), crc, createTime: Date.now() }
      s.versions.push(v)
      return { ...versionMsg(s, v), clientSpecifiedPayloadChecksum: given != null }
    },
    AccessSecretVersion(req) {
      const [s, v] = versionOf(req.name)
      if (v.state !== 'ENABLED') throw new RpcError(grpc.status.FAILED_PRECONDITION, `Secret Version is in ${v.state} state.`)
      const crc = corruptCrc ? (v.crc ^ 1) >>> 0 : v.crc
      corruptCrc = false
      return { name: `${s.name}/versions/${v.id}`, payload: { data: v.data, dataCrc32c: String(crc) } }
    },
    ListSecretVersions(req) {
      const s = secretOf(req.parent)
      // Newest first, as the real API lists them.
      const { slice, nextPageToken, totalSize } = page([...s.versions].reverse(), req.pageSize, req.pageToken)
      return { versions: slice.map((v) => versionMsg(s, v)), nextPageToken, totalSize }
    },
    DestroySecretVersion(req) {
      const [s, v] = versionOf(req.name)
      if (v.state === 'DESTROYED') throw new RpcError(grpc.status.FAILED_PRECONDITION, 'Secret Version is already DESTROYED.')
      v.state = 'DESTROYED'
      v.data = null
      return versionMsg(s, v)
    },
  }

  const impl: grpc.UntypedServiceImplementation = {}
  for (const method of Object.keys(service)) {
    const originalName: string = service[method].originalName ?? method
    const key = method in methods ? method : originalName.charAt(0).toUpperCase() + originalName.slice(1)
    impl[method] = (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => {
      const req = call.request
      calls.push({ method: key, name: req.name || req.parent || undefined })
      const f = failures.get(key)
      if (f) {
        if (--f.times <= 0) failures.delete(key)
        return cb({ code: f.code, details: `injected failure for ${key}` })
      }
      const h = methods[key]
      if (!h) return cb({ code: grpc.status.UNIMPLEMENTED, details: `${key} is not implemented by the fake` })
      try {
        cb(null, h(req))
      } catch (e) {
        if (e instanceof RpcError) cb({ code: e.code, details: e.message })
        else cb({ code: grpc.status.INTERNAL, details: String(e) })
      }
    }
  }

  const server = new grpc.Server()
  server.addService(service, impl)
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  )

  const clients: SecretManagerServiceClient[] = []
  return {
    port,
    calls,
    secrets: () => store,
    failNext(method, code, times = 1) {
      if (times > 0) failures.set(method, { code, times })
      else failures.delete(method)
    },
    corruptNextCrc() {
      corruptCrc = true
    },
    async client() {
      const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager')
      const c = new SecretManagerServiceClient({
        apiEndpoint: '127.0.0.1',
        port,
        sslCreds: grpc.credentials.createInsecure(),
        universeDomain: 'googleapis.com',
      })
      clients.push(c)
      return c
    },
    async stop() {
      await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})))
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          server.forceShutdown()
          resolve()
        }, 1000)
        server.tryShutdown(() => {
          clearTimeout(t)
          resolve()
        })
      })
    },
  }
}
