/**
 * An in-memory Cloud Storage behind a real HTTP server on 127.0.0.1, speaking
 * the JSON API methods the homes adapter's client uses: multipart and
 * resumable uploads, `alt=media` downloads (with `x-goog-generation` and
 * `x-goog-hash`), object listing by prefix and deletes. No official emulator
 * exists; this mirrors the real API where that is cheap: `ifGenerationMatch`
 * (0: must not exist) answers 412, generations are fresh per write and never
 * repeat, names are 1..1024 bytes of UTF-8, and an object over `maxObjectBytes`
 * is refused with 413. Point the client at it with `apiEndpoint: fake.url`.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeObject { data: Buffer; generation: string; contentType: string }

export interface GcsFake {
  url: string
  objects(bucket: string): Map<string, FakeObject>
  calls: { method: string; path: string; upload?: string }[]
  /** The next `times` requests answer `status` (e.g. 503). */
  failNext(status: number, times?: number): void
  stop(): Promise<void>
}

/** Bitwise CRC32C, big-endian in base64, as `x-goog-hash` carries it. */
function crc32c(data: Buffer): string {
  let c = 0xffffffff
  for (const b of data) {
    c ^= b
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1
  }
  const out = Buffer.alloc(4)
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0)
  return out.toString('base64')
}

const read = (req: IncomingMessage, max: number) =>
  new Promise<Buffer | null>((resolve, reject) => {
    const chunks: Buffer[] = []
    let n = 0
    req.on('data', (c: Buffer) => {
      n += c.length
      if (n <= max) chunks.push(c)
    })
    req.on('end', () => resolve(n > max ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })

export async function startGcsFake(o: { maxObjectBytes?: number } = {}): Promise<GcsFake> {
  const max = o.maxObjectBytes ?? 5 * 1024 ** 4
  const buckets = new Map<string, Map<string, FakeObject>>()
  const bucket = (b: string) => buckets.get(b) ?? (buckets.set(b, new Map()), buckets.get(b)!)
  const calls: GcsFake['calls'] = []
  const sessions = new Map<string, { bucket: string; name: string; ifGen?: string; contentType: string }>()
  let failing = { status: 0, times: 0 }
  // Real generations are microsecond timestamps: fresh per write, never reused for a name.
  let lastGen = Date.now() * 1000
  const nextGen = () => String((lastGen = Math.max(lastGen + 1, Date.now() * 1000)))
  let url = ''

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
    res.end(JSON.stringify(body))
  }
  const error = (res: ServerResponse, status: number, message: string) => json(res, status, { error: { code: status, message, errors: [{ message, reason: status === 412 ? 'conditionNotMet' : 'invalid' }] } })
  const resource = (b: string, name: string, ob: FakeObject) => ({
    kind: 'storage#object', id: `${b}/${name}/${ob.generation}`, name, bucket: b, generation: ob.generation, metageneration: '1',
    contentType: ob.contentType, size: String(ob.data.length), md5Hash: createHash('md5').update(ob.data).digest('base64'), crc32c: crc32c(ob.data),
    storageClass: 'STANDARD', timeCreated: new Date().toISOString(), updated: new Date().toISOString(),
  })
  const checkName = (name: string) => name.length > 0 && Buffer.byteLength(name) <= 1024 && !/[\r\n]/.test(name)

  /** Stores an upload if its preconditions hold. */
  const store = (res: ServerResponse, b: string, name: string, data: Buffer, ifGen: string | undefined, contentType: string) => {
    if (!checkName(name)) return error(res, 400, 'Invalid object name')
    const have = bucket(b).get(name)
    if (ifGen !== undefined && (ifGen === '0' ? !!have : have?.generation !== ifGen)) return error(res, 412, 'At least one of the pre-conditions you specified did not hold.')
    const ob = { data, generation: nextGen(), contentType }
    bucket(b).set(name, ob)
    json(res, 200, resource(b, name, ob))
  }

  const server = createServer(async (req, res) => {
    const u = new URL(req.url!, 'http://x')
    // With STORAGE_EMULATOR_HOST (no path) the client leaves out /storage/v1 on non-upload calls, as emulators accept.
    if (u.pathname.startsWith('/b/')) u.pathname = `/storage/v1${u.pathname}`
    const q = u.searchParams
    calls.push({ method: req.method!, path: u.pathname, ...(q.get('uploadType') ? { upload: q.get('uploadType')! } : {}) })
    if (failing.times > 0) {
      failing.times--
      return error(res, failing.status, 'injected failure')
    }
    let m: RegExpExecArray | null
    try {
      if (req.method === 'POST' && (m = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(u.pathname))) {
        const b = decodeURIComponent(m[1]!)
        const ifGen = q.get('ifGenerationMatch') ?? undefined
        if (q.get('uploadType') === 'multipart') {
          const body = await read(req, max + 64 * 1024)
          if (!body) return error(res, 413, 'Payload too large')
          const boundary = /boundary="?([^";]+)"?/.exec(req.headers['content-type'] ?? '')?.[1]
          if (!boundary) return error(res, 400, 'multipart upload needs a boundary')
          const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1).map((p) => {
            const i = p.indexOf('\r\n\r\n')
            return { head: p.slice(0, i), body: Buffer.from(p.slice(i + 4, p.length - 2), 'latin1') }
          })
          if (parts.length !== 2) return error(res, 400, 'multipart upload needs metadata and media')
          const meta = JSON.parse(parts[0]!.body.toString('utf8'))
          const data = parts[1]!.body
          if (data.length > max) return error(res, 413, 'Payload too large')
          return store(res, b, meta.name ?? q.get('name') ?? '', data, ifGen, meta.contentType ?? 'application/octet-stream')
        }
        if (q.get('uploadType') === 'resumable') {
          const meta = JSON.parse((await read(req, 1 << 20))!.toString('utf8') || '{}')
          const id = createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16)
          sessions.set(id, { bucket: b, name: meta.name ?? q.get('name') ?? '', ifGen, contentType: meta.contentType ?? 'application/octet-stream' })
          res.writeHead(200, { location: `${url}/upload/storage/v1/b/${encodeURIComponent(b)}/o?uploadType=resumable&upload_id=${id}` })
          return res.end()
        }
      }
      if (req.method === 'PUT' && q.get('upload_id')) {
        const s = sessions.get(q.get('upload_id')!)
        if (!s) return error(res, 404, 'No such upload')
        const body = await read(req, max)
        sessions.delete(q.get('upload_id')!)
        if (!body) return error(res, 413, 'Payload too large')
        return store(res, s.bucket, s.name, body, s.ifGen, s.contentType)
      }
      if ((m = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(u.pathname))) {
        const b = decodeURIComponent(m[1]!)
        const name = decodeURIComponent(m[2]!)
        const ob = bucket(b).get(name)
        const gen = q.get('generation') ?? q.get('ifGenerationMatch')
        if (!ob || (q.get('generation') && ob.generation !== q.get('generation'))) return error(res, 404, 'No such object')
        if (q.get('ifGenerationMatch') && gen !== ob.generation) return error(res, 412, 'At least one of the pre-conditions you specified did not hold.')
        if (req.method === 'DELETE') {
          bucket(b).delete(name)
          res.writeHead(204)
          return res.end()
        }
        if (req.method === 'GET' && q.get('alt') === 'media') {
          res.writeHead(200, {
            'content-type': ob.contentType, 'content-length': String(ob.data.length), 'x-goog-generation': ob.generation, 'x-goog-metageneration': '1',
            'x-goog-hash': `crc32c=${crc32c(ob.data)},md5=${createHash('md5').update(ob.data).digest('base64')}`, 'x-goog-stored-content-encoding': 'identity', 'x-goog-stored-content-length': String(ob.data.length),
          })
          return res.end(ob.data)
        }
        if (req.method === 'GET') return json(res, 200, resource(b, name, ob))
      }
      if (req.method === 'GET' && (m = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(u.pathname))) {
        const b = decodeURIComponent(m[1]!)
        const prefix = q.get('prefix') ?? ''
        const names = [...bucket(b).keys()].filter((n) => n.startsWith(prefix)).sort()
        const limit = Math.min(Number(q.get('maxResults') ?? 1000), 1000)
        const from = q.get('pageToken') ? names.indexOf(Buffer.from(q.get('pageToken')!, 'base64').toString()) + 1 : 0
        const page = names.slice(from, from + limit)
        return json(res, 200, { kind: 'storage#objects', items: page.map((n) => resource(b, n, bucket(b).get(n)!)), ...(from + limit < names.length ? { nextPageToken: Buffer.from(page[page.length - 1]!).toString('base64') } : {}) })
      }
      error(res, 501, `not implemented in the fake: ${req.method} ${u.pathname}`)
    } catch (e) {
      error(res, 500, String((e as Error).message))
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    objects: bucket,
    calls,
    failNext: (status, times = 1) => (failing = { status, times }),
    stop: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}
