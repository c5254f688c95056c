/** `health`: GET /api/v1/health, unauthenticated, for probes and operators. */
import { serve } from '../shared/http.js'
import { health } from '../shared/health.js'

export const handler = serve('health', [
  {
    method: 'GET', path: /^\/health$/, auth: false,
    run: async (c) => {
      const body = await health(c.deps)
      return { status: body.status === 'ok' ? 200 : 503, body }
    },
  },
])
