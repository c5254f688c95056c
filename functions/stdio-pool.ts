/**
 * `stdio-pool`: stdio MCP servers kept warm, each exposed as a streamable-HTTP
 * MCP endpoint. Only the gateway calls it: every route first checks the
 * service token (no user auth), and nothing happens without one.
 */
import { serve, header, type Ctx, type Reply, type Route } from '../shared/http.js'
import { AppError } from '../shared/errors.js'
import { verifyServiceToken } from '../shared/auth/service-token.js'
import { poolHealth, poolMcp } from '../shared/stdio-pool/bridge.js'
import { installExitHandlers } from '../shared/stdio-pool/instance.js'

installExitHandlers()

const guarded = (run: (c: Ctx) => Promise<Reply | null>) => async (c: Ctx) => {
  await verifyServiceToken(c.deps, header(c.req, 'authorization'))
  return run(c)
}

const MCP = /^\/pool\/mcp$/
const stateless = guarded(async (c) => {
  c.res.setHeader('Allow', 'POST')
  throw new AppError('method_not_allowed', 'The pool is stateless: POST only.')
})

const routes: Route[] = [
  { method: 'POST', path: MCP, auth: false, run: guarded(poolMcp) },
  { method: 'GET', path: MCP, auth: false, run: stateless },
  { method: 'DELETE', path: MCP, auth: false, run: stateless },
  { method: 'GET', path: /^\/pool\/health$/, auth: false, run: guarded(async (c) => ({ status: 200, body: await poolHealth(c) })) },
]

export const handler = serve('stdio-pool', routes)
