/**
 * Local mode: every function on one port, routed by firebase.json's rewrites,
 * with the embedded store and the encrypted local vault. The functions are
 * passed in by name (functions/names.ts `handlers()`): shared/ never imports
 * functions/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { problem, AppError } from '../errors.js'
import { loadRewrites, matchRewrite } from './routes.js'
import { PUBLIC_DIR, serveStatic } from './static.js'

export const FIREBASE_JSON = fileURLToPath(new URL('../../../firebase.json', import.meta.url))

export interface Local { server: Server; url: string; close(): Promise<void> }

/** A function's HTTP handler, as the Functions Framework calls it. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

/** Serves `handlers` (function name → handler) on `port`, each at the paths firebase.json rewrites to its name. */
export async function startLocal(opts: { port: number; host?: string; firebaseJson?: string; publicDir?: string; handlers: Readonly<Record<string, Handler>> }): Promise<Local> {
  const rewrites = loadRewrites(opts.firebaseJson ?? FIREBASE_JSON)
  const handlers = new Map(Object.entries(opts.handlers))
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const fn = matchRewrite(rewrites, path)
    const h = fn && handlers.get(fn)
    if (h) {
      void h(req, res)
      return
    }
    // Like Hosting: a path no rewrite takes is a file under public/ (the console), else 404.
    void serveStatic(req, res, path, opts.publicDir ?? PUBLIC_DIR).then((served) => {
      if (served) return
      const { status, body } = problem(new AppError('not_found', 'No such endpoint.'))
      res.writeHead(status, { 'Content-Type': 'application/problem+json' }).end(JSON.stringify(body))
    }, () => res.destroy())
  })
  server.keepAliveTimeout = 65_000
  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, host, () => resolve())
  })
  const { port } = server.address() as { port: number }
  return {
    server,
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}
