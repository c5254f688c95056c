/**
 * `mcp`: the MCP endpoints for agents (one config, and all of them as one
 * server), their RFC 9728 metadata, and the personal access tokens agents use.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { send, serve, type Ctx, type Route } from '../shared/http.js'
import { deps } from '../shared/deps.js'
import { AppError, problem } from '../shared/errors.js'
import { agentCaller, checkOrigin, resourceMetadata } from '../shared/agent/auth.js'
import { createToken, listTokens, revokeToken } from '../shared/tokens/manage.js'

/** A dot segment, plain or percent-encoded: URL parsing resolves it away before routing. */
const DOT_SEGMENT = /\/(\.|%2e){1,2}(\/|$)/i

let serveMod: Promise<typeof import('../shared/agent/serve.js')> | undefined
let oneMod: Promise<typeof import('../shared/agent/one.js')> | undefined

const endpoint = async (c: Ctx, path: string, id?: string) => {
  // A dot segment (`/mcps/%2e%2e/mcp`) is resolved away before routing: that is not this endpoint's URL.
  if (DOT_SEGMENT.test((c.req.url ?? '').split('?', 1)[0]!)) throw new AppError('not_found', 'No such endpoint.')
  checkOrigin(c.deps, c.req)
  const caller = await agentCaller(c.deps, c.req, path)
  // Imported on the first call, then reused: an `import()` per call was a tenth of a millisecond.
  const { serveEndpoint } = await (serveMod ??= import('../shared/agent/serve.js'))
  if (id) {
    const { oneEndpoint } = await (oneMod ??= import('../shared/agent/one.js'))
    return serveEndpoint(c, await oneEndpoint(c.deps, caller, id))
  }
  const { allEndpoint } = await import('../shared/agent/all.js')
  return serveEndpoint(c, await allEndpoint(c.deps, caller))
}

const ONE = /^\/mcps\/(?<id>[^/]+)\/mcp$/
const ALL = /^\/mcp$/
const routes: Route[] = [
  ...(['POST', 'GET', 'DELETE'] as const).flatMap((method): Route[] => [
    { method, path: ONE, auth: false, run: (c) => endpoint(c, `/api/v1/mcps/${encodeURIComponent(c.param('id'))}/mcp`, c.param('id')) },
    { method, path: ALL, auth: false, run: (c) => endpoint(c, '/api/v1/mcp') },
  ]),
  { method: 'POST', path: /^\/tokens$/, run: async (c) => ({ status: 201, body: await createToken(c.deps, c.caller, await c.body()) }) },
  { method: 'GET', path: /^\/tokens$/, run: async (c) => ({ status: 200, body: await listTokens(c.deps, c.caller, c.query) }) },
  {
    method: 'DELETE', path: /^\/tokens\/(?<id>[^/]+)$/,
    run: async (c) => {
      await revokeToken(c.deps, c.caller, c.param('id'))
      return { status: 204 }
    },
  },
]

const api = serve('mcp', routes)

export async function handler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // RFC 9728 §3: the metadata lives outside /api/v1, at the well-known path.
  const path = new URL(req.url ?? '/', 'http://x').pathname
  if (path.startsWith('/.well-known/oauth-protected-resource/')) {
    const meta = DOT_SEGMENT.test((req.url ?? '').split('?', 1)[0]!) ? null : resourceMetadata(deps(), req, path)
    if (!meta) return send(res, 404, problem(new AppError('not_found', 'No such resource.')).body, { 'Content-Type': 'application/problem+json' })
    if (req.method !== 'GET') return send(res, 405, problem(new AppError('method_not_allowed', 'Use GET here.')).body, { 'Content-Type': 'application/problem+json', Allow: 'GET' })
    return send(res, 200, meta, { 'Access-Control-Allow-Origin': '*' })
  }
  return api(req, res)
}
