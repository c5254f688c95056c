/**
 * The Functions Framework parses bodies with Express before our code runs, so
 * a malformed JSON body would get Express's HTML error page. This gives the
 * Express app a final handler that answers such errors as problem+json, like
 * every other error of the API. It must run before the framework builds its
 * app, which happens after it loads our module.
 */
import { createRequire } from 'node:module'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { AppError, problem } from './errors.js'

let installed = false

export function installBodyErrorHandler(): void {
  if (installed) return
  installed = true
  const req = createRequire(createRequire(import.meta.url).resolve('@google-cloud/functions-framework'))
  const app = req('express/lib/application') as { handle: (req: IncomingMessage, res: ServerResponse, cb?: (err?: any) => void) => void }
  const original = app.handle
  app.handle = function (this: unknown, rq: IncomingMessage, rs: ServerResponse, cb?: (err?: any) => void) {
    return original.call(this, rq, rs, cb ?? ((err?: any) => finalHandler(err, rs)))
  }
}

function finalHandler(err: any, res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const status = Number(err?.status ?? err?.statusCode ?? (err ? 500 : 404))
  const e =
    !err ? new AppError('not_found', 'No such endpoint.')
    : status === 413 ? new AppError('payload_too_large', 'The body is too large.')
    : status === 415 ? new AppError('unsupported_media_type', 'Unsupported body encoding.')
    : status >= 400 && status < 500 ? new AppError('invalid_request', 'The body could not be parsed.')
    : err
  const { status: s, body } = problem(e)
  const text = JSON.stringify(body)
  res.writeHead(s, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' })
  res.end(text)
}
