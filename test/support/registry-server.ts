/**
 * A registry on loopback implementing the generic MCP Registry API as its
 * published OpenAPI document describes it (docs/reference/api/openapi.yaml in
 * modelcontextprotocol/registry): `GET /v0.1/servers` with search (substring
 * of the name), cursor, limit, updated_since (including deleted entries) and
 * version=latest, and `GET /v0.1/servers/{name}/versions[/{version|latest}]`,
 * names and versions URL-encoded. It serves test/fixtures/registry and records
 * every request it gets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/registry/', import.meta.url))

export interface Served { server: Record<string, any>; status: 'active' | 'deprecated' | 'deleted'; statusMessage?: string; publishedAt: string; updatedAt: string }

interface Manifest { entries: ManifestEntry[]; later: ManifestEntry[]; hostile: ManifestEntry[] }
interface ManifestEntry { file: string; status: Served['status']; statusMessage?: string; publishedAt: string; updatedAt: string }

export const manifest = (): Manifest => JSON.parse(readFileSync(join(FIXTURES, 'registry.json'), 'utf8'))
export const fixture = (file: string) => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'))
const load = (m: ManifestEntry): Served => ({ server: fixture(m.file), status: m.status, statusMessage: m.statusMessage, publishedAt: m.publishedAt, updatedAt: m.updatedAt })

export interface RegistryHandle {
  url: string
  entries: Served[]
  /** Every request's path and query, in order. */
  requests: URL[]
  publish(e: Served): void
  /** Answers every request with this (status, body) instead, while set; `hang` never answers. */
  override?: { status: number; body: string } | 'hang'
  /** While set, requests are recorded at once but answered only once it resolves (a refresh held mid-pass). */
  hold?: Promise<void>
  /** Drops the connection of the next this many requests without an answer (a kept-alive socket closed under the client). */
  resets?: number
  close(): Promise<void>
}

export async function startRegistry(o: { hostile?: boolean } = {}): Promise<RegistryHandle> {
  const m = manifest()
  const entries: Served[] = [...m.entries, ...(o.hostile ? m.hostile : [])].map(load)
  const requests: URL[] = []
  const latestOf = (name: string) => entries.filter((e) => e.server.name === name).sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))[0]
  const response = (e: Served) => ({
    server: e.server,
    _meta: { 'io.modelcontextprotocol.registry/official': { status: e.status, ...(e.statusMessage ? { statusMessage: e.statusMessage } : {}), publishedAt: e.publishedAt, updatedAt: e.updatedAt, isLatest: latestOf(e.server.name) === e } },
  })
  const h: RegistryHandle = {
    url: '',
    entries,
    requests,
    publish: (e) => entries.push(e),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
  const server: Server = createServer((req, res) => {
    requests.push(new URL(req.url ?? '/', 'http://x'))
    if (h.hold) void h.hold.then(() => handle(req, res))
    else handle(req, res)
  })
  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x')
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body))
    }
    if (h.resets) {
      h.resets--
      req.socket.destroy()
      return
    }
    if (h.override === 'hang') return
    if (h.override) return send(h.override.status, h.override.body)
    if (req.method !== 'GET') return send(405, { error: 'Method not allowed' })
    const q = url.searchParams
    if (url.pathname === '/v0.1/servers') {
      const since = q.get('updated_since')
      const search = q.get('search')?.toLowerCase()
      const includeDeleted = since !== null || q.get('include_deleted') === 'true'
      let list = [...entries].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.server.name.localeCompare(b.server.name) || a.server.version.localeCompare(b.server.version))
      if (since) list = list.filter((e) => e.updatedAt > new Date(since).toISOString().replace('.000Z', 'Z'))
      if (!includeDeleted) list = list.filter((e) => e.status !== 'deleted')
      if (search) list = list.filter((e) => e.server.name.toLowerCase().includes(search))
      if (q.get('version') === 'latest') list = list.filter((e) => latestOf(e.server.name) === e)
      else if (q.get('version')) list = list.filter((e) => e.server.version === q.get('version'))
      const start = q.get('cursor') ? Number(Buffer.from(q.get('cursor')!, 'base64url').toString()) : 0
      const limit = Math.min(Number(q.get('limit') ?? 30) || 30, 100)
      const page = list.slice(start, start + limit)
      const next = start + limit < list.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined
      return send(200, { servers: page.map(response), metadata: { count: page.length, ...(next ? { nextCursor: next } : {}) } })
    }
    const one = /^\/v0\.1\/servers\/([^/]+)\/versions(?:\/([^/]+))?$/.exec(url.pathname)
    if (one) {
      const name = decodeURIComponent(one[1]!)
      const all = entries.filter((e) => e.server.name === name && (q.get('include_deleted') === 'true' || e.status !== 'deleted'))
      if (!all.length) return send(404, { error: 'Server not found' })
      if (one[2] === undefined) return send(200, { servers: all.map(response), metadata: { count: all.length } })
      const version = decodeURIComponent(one[2])
      const e = version === 'latest' ? latestOf(name) : all.find((x) => x.server.version === version)
      return e ? send(200, response(e)) : send(404, { error: 'Server not found' })
    }
    send(404, { error: 'Not found' })
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address() as { port: number }
  h.url = `http://127.0.0.1:${addr.port}`
  return h
}
