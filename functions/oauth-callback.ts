/**
 * `oauth-callback`: where providers redirect the user (no caller token: the
 * state is the credential), and the gateway's Client ID Metadata Document.
 */
import { serve, type Route } from '../shared/http.js'
import { callback } from '../shared/oauth/callback.js'
import { page, PAGE_HEADERS } from '../shared/oauth/page.js'
import { clientMetadataDocument } from '../shared/oauth/client.js'

const routes: Route[] = [
  {
    method: 'GET', path: /^\/oauth\/callback$/, auth: false,
    run: async (c) => {
      const html = page(await callback(c.deps, c.query))
      c.res.writeHead(200, { ...PAGE_HEADERS, 'Content-Length': String(Buffer.byteLength(html)) })
      c.res.end(html)
      return null
    },
  },
  {
    method: 'GET', path: /^\/oauth\/client-metadata\.json$/, auth: false,
    run: async (c) => ({ status: 200, body: clientMetadataDocument(c.deps), headers: { 'Cache-Control': 'public, max-age=300' } }),
  },
]

export const handler = serve('oauth-callback', routes)
