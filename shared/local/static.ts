/**
 * Local mode serves public/ (the console) the way Hosting does: a path that no
 * rewrite takes is a file under public/, `/` is index.html. Only files inside
 * public/ are served (no `..`, no dotfiles), with the console's CSP.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PUBLIC_DIR = fileURLToPath(new URL('../../../public', import.meta.url))

/** The console's Content-Security-Policy in local mode: everything from this origin only (firebase.json has Hosting's). */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
}

/** The file under `root` that `pathname` names, or null (outside root, a dotfile, or not decodable). */
export function publicFile(root: string, pathname: string): string | null {
  let p: string
  try {
    p = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (p.includes('\0') || p.includes('\\')) return null
  const parts = p.split('/').filter(Boolean)
  if (parts.some((s) => s.startsWith('.'))) return null
  const base = resolve(root)
  const file = resolve(base, ...parts)
  if (file !== base && !file.startsWith(base + sep)) return null
  return file
}

/** Serves a GET/HEAD for a file under `root`; false when there is none (the caller answers 404). */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string, root = PUBLIC_DIR): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  let file = publicFile(root, pathname)
  if (!file) return false
  let st = await stat(file).catch(() => null)
  if (st?.isDirectory()) {
    file = join(file, 'index.html')
    st = await stat(file).catch(() => null)
  }
  if (!st?.isFile()) return false
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': st.size,
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': CONSOLE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  })
  if (req.method === 'HEAD') {
    res.end()
    return true
  }
  await new Promise<void>((done) => {
    const s = createReadStream(file)
    s.on('error', () => { res.destroy(); done() })
    s.on('end', done)
    s.pipe(res)
  })
  return true
}
