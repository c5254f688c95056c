/**
 * Tiny loopback servers for OAuth discovery tests, where a real server can't
 * be made to misbehave: an MCP front that only answers 401 and serves
 * protected resource metadata where told, and an authorization server that
 * only serves a metadata document. Both record every request path.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Fake {
  /** `http://127.0.0.1:PORT` */
  origin: string
  /** `METHOD /path` of every request, in order. */
  hits: string[]
  stop(): Promise<void>
}

async function listen(handle: (req: IncomingMessage, res: ServerResponse, origin: string) => void): Promise<Fake> {
  const hits: string[] = []
  let origin = ''
  const http = createServer((req, res) => {
    hits.push(`${req.method} ${new URL(req.url ?? '/', origin).pathname}`)
    req.resume()
    req.on('end', () => handle(req, res, origin))
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(0, '127.0.0.1', () => { http.off('error', reject); resolve() })
  })
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  return {
    origin,
    hits,
    stop: () => new Promise<void>((resolve) => { http.close(() => resolve()); http.closeAllConnections() }),
  }
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

export interface FrontOptions {
  /** Where the RFC 9728 metadata is served: path-suffixed (`/.well-known/oauth-protected-resource/mcp`), root, or nowhere. */
  prmAt: 'suffixed' | 'root' | 'none'
  /** The metadata document, given the front's MCP URL. */
  prm: (mcpUrl: string) => Record<string, unknown>
  /** The 401's WWW-Authenticate header; omitted when undefined. */
  wwwAuthenticate?: string
}

/** An MCP endpoint at `/mcp` that answers every POST with 401. */
export async function startFront(o: FrontOptions): Promise<Fake & { url: string }> {
  const f = await listen((req, res, origin) => {
    const path = new URL(req.url ?? '/', origin).pathname
    const url = `${origin}/mcp`
    if (req.method === 'GET' && path === '/.well-known/oauth-protected-resource/mcp' && o.prmAt === 'suffixed') return json(res, 200, o.prm(url))
    if (req.method === 'GET' && path === '/.well-known/oauth-protected-resource' && o.prmAt === 'root') return json(res, 200, o.prm(url))
    if (path === '/mcp') {
      res.writeHead(401, { 'content-type': 'application/json', ...(o.wwwAuthenticate ? { 'www-authenticate': o.wwwAuthenticate } : {}) })
      return res.end('{"error":"unauthorized"}')
    }
    json(res, 404, { error: 'not found' })
  })
  return { ...f, url: `${f.origin}/mcp` }
}

/** An authorization server that serves only its RFC 8414 metadata (built from its own origin). */
export async function startFakeAs(meta: (issuer: string) => Record<string, unknown>): Promise<Fake> {
  return listen((req, res, origin) => {
    const path = new URL(req.url ?? '/', origin).pathname
    if (req.method === 'GET' && path === '/.well-known/oauth-authorization-server') return json(res, 200, meta(origin))
    json(res, 404, { error: 'not found' })
  })
}
