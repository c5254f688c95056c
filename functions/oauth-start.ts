/** `oauth-start`: begin connecting an MCP server with OAuth, confirm the connection, and disconnect it. */
import { serve, type Route } from '../shared/http.js'
import { start } from '../shared/oauth/start.js'
import { disconnect } from '../shared/oauth/disconnect.js'
import { complete } from '../shared/oauth/complete.js'
import { etag } from '../shared/registry/model.js'
import { load } from '../shared/registry/read.js'
import { audit } from '../shared/audit.js'

const routes: Route[] = [
  {
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/oauth\/start$/,
    run: async (c) => ({ status: 200, body: await start(c.deps, c.caller, c.param('id'), await c.body()) }),
  },
  {
    // Only the user who started the flow turns the callback's pending tokens into their connection.
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/oauth\/complete$/,
    run: async (c) => {
      const { rec, view } = await complete(c.deps, c.caller, c.param('id'), await c.body())
      return { status: 200, body: view, headers: { ETag: etag(rec) } }
    },
  },
  {
    // 204: disconnected and revoked at the provider. 200 {revoked: false, reason}: disconnected here, but the
    // provider did not confirm the revocation, so the tokens may still be valid there until they expire.
    method: 'DELETE', path: /^\/mcps\/(?<id>[^/]+)\/oauth$/,
    run: async (c) => {
      const t0 = performance.now()
      const rec = await load(c.deps, c.caller, c.param('id'))
      const r = await disconnect(c.deps, c.caller, rec)
      audit(c.deps, { actor: c.caller.sub, org: c.caller.org ?? null, action: 'oauth.disconnect', mcp_id: rec.id, outcome: r.revoked ? 'ok' : 'error', ...(r.revoked ? {} : { code: r.reason }), duration_ms: Math.round(performance.now() - t0) })
      if (r.revoked) return { status: 204 }
      const detail = 'Disconnected: the gateway deleted its tokens, but the provider did not confirm the revocation, so they may still be valid there until they expire. Revoke the gateway\'s access in your account at the provider to end it now.'
      return { status: 200, body: { revoked: false, reason: r.reason, ...(r.provider_status ? { provider_status: r.provider_status } : {}), detail } }
    },
  },
]

export const handler = serve('oauth-start', routes)
