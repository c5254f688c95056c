/** `oauth-start`: begin connecting an MCP server with OAuth, confirm the connection, and disconnect it. */
import { serve, type Route } from '../shared/http.js'
import { start } from '../shared/oauth/start.js'
import { disconnect } from '../shared/oauth/disconnect.js'
import { complete } from '../shared/oauth/complete.js'
import { etag } from '../shared/registry/model.js'
import { load } from '../shared/registry/service.js'
import { audit } from '../shared/audit.js'

const routes: Route[] = [
  {
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/oauth\/start$/,
    run: async (c) => ({ status: 200, body: await start(c.deps, c.caller, c.params.id, await c.body()) }),
  },
  {
    // Only the user who started the flow turns the callback's pending tokens into their connection.
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/oauth\/complete$/,
    run: async (c) => {
      const { rec, view } = await complete(c.deps, c.caller, c.params.id, await c.body())
      return { status: 200, body: view, headers: { ETag: etag(rec) } }
    },
  },
  {
    method: 'DELETE', path: /^\/mcps\/(?<id>[^/]+)\/oauth$/,
    run: async (c) => {
      const t0 = performance.now()
      const rec = await load(c.deps, c.caller, c.params.id)
      await disconnect(c.deps, c.caller, rec)
      audit(c.deps, { actor: c.caller.sub, org: c.caller.org ?? null, action: 'oauth.disconnect', mcp_id: rec.id, outcome: 'ok', duration_ms: Math.round(performance.now() - t0) })
      return { status: 204 }
    },
  },
]

export const handler = serve('oauth-start', routes)
