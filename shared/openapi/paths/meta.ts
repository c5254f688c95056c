/** The `health` function (health, this document, its reference page) and the `stdio-pool` function. */
import type { Builder } from '../build.js'

export function metaPaths(b: Builder): void {
  b.add('/api/v1/health', 'GET', {
    tag: 'meta', summary: 'Is the gateway healthy?', auth: 'none',
    ok: { 200: { description: 'Healthy.', schema: 'GatewayHealth' }, 503: { description: 'Degraded (same body, `status: "degraded"`).', schema: 'GatewayHealth' } }, codes: [],
  })
  b.add('/api/v1/openapi.json', 'GET', {
    tag: 'meta', summary: 'This document', auth: 'none', params: ['If-None-Match'],
    ok: {
      200: { description: 'The OpenAPI 3.1 document.', schema: { type: 'object', required: ['openapi', 'info', 'paths'], properties: { openapi: { type: 'string' }, info: { type: 'object' }, paths: { type: 'object' } } }, headers: ['ETag', 'Cache-Control'] },
      304: { description: 'Not modified.', headers: ['ETag', 'Cache-Control'] },
    },
    codes: [],
  })
  b.add('/api/v1/docs', 'GET', {
    tag: 'meta', summary: 'The API reference page (Swagger UI, served from the deployment)', auth: 'none',
    ok: { 200: { description: 'The page.', schema: { type: 'string' }, type: 'text/html', headers: ['Content-Security-Policy', 'Cache-Control'] } }, codes: [],
  })
  b.add('/api/v1/docs/{asset}', 'GET', {
    tag: 'meta', summary: 'A static asset of the reference page', auth: 'none', params: ['If-None-Match'],
    path: { asset: 'A file name: `swagger-ui.css`, `swagger-ui-bundle.js`, `init.js`, `favicon-32x32.png`.' },
    ok: {
      200: { description: 'The asset.', schema: { type: 'string' }, type: ['text/css', 'text/javascript', 'image/png'], headers: ['ETag', 'Cache-Control'] },
      304: { description: 'Not modified.', headers: ['ETag', 'Cache-Control'] },
    },
    codes: ['not_found'],
  })
  // The stdio pool: only the gateway calls it, with a Google-signed service token.
  const pool = { tag: 'pool', auth: 'service' as const }
  b.add('/api/v1/pool/mcp', 'POST', {
    ...pool, summary: 'One JSON-RPC request to the caller\'s stdio server (stateless MCP streamable HTTP)', params: ['X-Stdio-Spec', 'McpAccept'],
    body: { schema: { $ref: '#/components/schemas/JsonRpc' } },
    ok: {
      200: { description: 'The JSON-RPC response, as JSON or as an event stream.', schema: 'JsonRpc', also: { 'text/event-stream': { type: 'string' } } },
      202: { description: 'A notification or response, accepted.' },
    },
    codes: ['invalid_request', 'not_found', 'precondition_failed', 'upstream_error', 'upstream_response_too_large', 'unavailable', 'upstream_timeout'],
  })
  for (const method of ['GET', 'DELETE']) b.add('/api/v1/pool/mcp', method, { ...pool, summary: 'Not served: the pool is stateless (POST only)', ok: {}, codes: ['method_not_allowed'] })
  b.add('/api/v1/pool/health', 'GET', { ...pool, summary: 'The pool\'s state', ok: { 200: { description: 'Counts, no secrets.', schema: 'PoolHealth' } }, codes: [] })
}
