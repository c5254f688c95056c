/** `health`: GET /api/v1/health, unauthenticated, for probes and operators; and the API's OpenAPI document and reference page. */
import { serve } from '../shared/http.js'
import { health } from '../shared/health.js'

// The document is built, and Swagger UI read, on the first request for them: health probes never load either.
const openapi = () => import('../shared/openapi/serve.js')

export const handler = serve('health', [
  {
    method: 'GET', path: /^\/health$/, auth: false,
    run: async (c) => {
      const body = await health(c.deps)
      return { status: body.status === 'ok' ? 200 : 503, body }
    },
  },
  { method: 'GET', path: /^\/openapi\.json$/, auth: false, run: async (c) => ((await openapi()).serveOpenapi(c.req, c.res), null) },
  { method: 'GET', path: /^\/docs$/, auth: false, run: async (c) => ((await openapi()).serveDocs(c.req, c.res), null) },
  { method: 'GET', path: /^\/docs\/(?<asset>[^/]+)$/, auth: false, run: async (c) => ((await openapi()).serveDocs(c.req, c.res, c.param('asset')), null) },
])
