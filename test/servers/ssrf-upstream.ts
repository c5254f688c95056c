/**
 * A hostile upstream for the SSRF suite: on an address the gateway is allowed
 * to reach, it points the gateway at URL number `i` of a list, each way an
 * MCP server or its authorization metadata can:
 *
 *   POST|GET /redirect/i   307 to the URL
 *   GET      /sse/i        an SSE stream whose `endpoint` event names the URL
 *   POST     /hint/i       401 with `resource_metadata="URL"` (RFC 9728 §5.1)
 *   POST     /hint-self/i  401 with a resource_metadata hint to its own (plain
 *                          http) metadata below
 *   POST     /as/i         401, and its protected resource metadata
 *                          (/.well-known/oauth-protected-resource/as/i) names
 *                          the URL as its authorization server
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface SsrfUpstream {
  origin: string
  /** `METHOD /path` of every request. */
  hits: string[]
  stop(): Promise<void>
}

/** A header can carry only ASCII safely: the URL as WHATWG serialises it (what a client would parse anyway). */
const headerSafe = (u: string) => {
  try {
    return new URL(u).href
  } catch {
    return encodeURI(u)
  }
}

export async function startSsrfUpstream(urls: string[], host = '127.0.0.1'): Promise<SsrfUpstream> {
  const hits: string[] = []
  const sockets = new Set<Socket>()
  let origin = ''
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    hits.push(`${req.method} ${path}`)
    req.resume()
    const m = /^(?:\/\.well-known\/oauth-protected-resource)?\/(redirect|sse|hint|hint-self|as)\/(\d+)$/.exec(path)
    const target = m ? urls[Number(m[2])] : undefined
    if (!m || target === undefined) return json(res, 404, { error: 'not found' })
    const [kind, i] = [m[1], m[2]]
    const wellKnown = path.startsWith('/.well-known/')
    if (kind === 'redirect') {
      res.writeHead(307, { location: headerSafe(target) })
      return res.end()
    }
    if (kind === 'sse' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      res.write(`event: endpoint\ndata: ${target}\n\n`)
      return // held open until the client leaves
    }
    if (kind === 'hint' && req.method === 'POST') {
      return json(res, 401, { error: 'unauthorized' }, { 'www-authenticate': `Bearer resource_metadata="${headerSafe(target)}"` })
    }
    if (kind === 'hint-self' && req.method === 'POST') {
      return json(res, 401, { error: 'unauthorized' }, { 'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/as/${i}"` })
    }
    if (kind === 'as' && wellKnown && req.method === 'GET') return json(res, 200, { resource: `${origin}/as/${i}`, authorization_servers: [target] })
    if (kind === 'as' && req.method === 'POST') return json(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer' })
    json(res, 405, { error: 'method not allowed' })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => { server.off('error', reject); resolve() })
  })
  origin = `http://${host}:${(server.address() as AddressInfo).port}`
  return {
    origin,
    hits,
    stop: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    }),
  }
}
