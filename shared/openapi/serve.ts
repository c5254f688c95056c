/**
 * GET /api/v1/openapi.json and the reference page at /api/v1/docs: Swagger UI
 * (swagger-ui-dist, a runtime dependency) read from node_modules of the
 * deployment, never from a CDN. Public, cacheable, with ETags.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { AppError } from '../errors.js'
import { header } from '../http.js'
import { openapiDocument } from './document.js'

/** The page and its script come from the gateway only; Swagger UI's icons are data: URLs. */
export const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
const CACHE = 'public, max-age=300'

const etagOf = (data: string | Buffer) => `"${createHash('sha256').update(data).digest('base64url').slice(0, 27)}"`

interface Asset { body: Buffer; type: string; etag: string }

/** Answers 304 when the client's copy is current, else the body. */
function reply(req: IncomingMessage, res: ServerResponse, a: Asset, extra: Record<string, string> = {}) {
  const base = { ETag: a.etag, 'Cache-Control': CACHE, ...extra }
  const held = header(req, 'if-none-match')
  if (held?.split(',').some((t) => t.trim() === a.etag || t.trim() === '*')) {
    res.writeHead(304, base).end()
    return
  }
  res.writeHead(200, { ...base, 'Content-Type': a.type, 'Content-Length': String(a.body.length) }).end(a.body)
}

let doc: Asset | undefined
export function serveOpenapi(req: IncomingMessage, res: ServerResponse): void {
  if (!doc) {
    const body = Buffer.from(openapiDocument().text)
    doc = { body, type: 'application/json; charset=utf-8', etag: etagOf(body) }
  }
  // A public description: any origin may read it (a client generator, an API explorer).
  reply(req, res, doc, { 'Access-Control-Allow-Origin': '*' })
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MCP gateway API</title>
<link rel="icon" type="image/png" href="docs/favicon-32x32.png">
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`
// Swagger UI's own initializer is inline-free too; this one points it at our document (relative to /api/v1/docs).
const INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true, presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout' })\n`

/** The files the page loads, by the name it asks for: swagger-ui-dist's, and our initializer. */
const FILES: Record<string, string> = { 'swagger-ui.css': 'text/css; charset=utf-8', 'swagger-ui-bundle.js': 'text/javascript; charset=utf-8', 'favicon-32x32.png': 'image/png' }
const assets = new Map<string, Asset>()

function asset(name: string): Asset | undefined {
  let a = assets.get(name)
  if (a) return a
  let body: Buffer
  if (name === 'index.html') body = Buffer.from(PAGE)
  else if (name === 'init.js') body = Buffer.from(INIT)
  else if (FILES[name]) body = readFileSync(join(swaggerUiDir(), name))
  else return undefined
  const type = name === 'index.html' ? 'text/html; charset=utf-8' : name === 'init.js' ? 'text/javascript; charset=utf-8' : FILES[name]!
  assets.set(name, (a = { body, type, etag: etagOf(body) }))
  return a
}

/** Where swagger-ui-dist is installed (beside the bundle in the deployment, node_modules here). */
export function swaggerUiDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
}

/** The page (no `name`), or one of its files. */
export function serveDocs(req: IncomingMessage, res: ServerResponse, name?: string): void {
  // The page only at /api/v1/docs: its links are relative to that address.
  const a = name === 'index.html' ? undefined : asset(name ?? 'index.html')
  if (!a) throw new AppError('not_found', 'No such file.')
  reply(req, res, a, { 'Content-Security-Policy': DOCS_CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' })
}
