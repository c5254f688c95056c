/** The `mcp` function: MCP endpoints for agents, their RFC 9728 metadata, and personal access tokens. */
import type { Builder, Spec } from '../build.js'
import { createTokenBody, listTokensQuery } from '../../tokens/schema.js'

const rpc = { $ref: '#/components/schemas/JsonRpc' }
const SSE = { type: 'string', description: 'Server-sent events carrying JSON-RPC messages (MCP streamable HTTP).' }

/** One MCP streamable-HTTP endpoint, described at the HTTP level (the messages are MCP's). */
function endpoint(b: Builder, path: string, what: string, pathDoc?: Record<string, string>) {
  const common = { tag: 'agents', auth: 'agent' as const, path: pathDoc, codes: ['forbidden', 'not_found', 'rate_limited'] as Spec['codes'], rpcErrors: [400, 404, 405, 406, 415] }
  b.add(path, 'POST', {
    ...common, summary: `Send a JSON-RPC message to ${what}`,
    description: 'MCP streamable HTTP, both protocol generations. A 2025 `initialize` answers `Mcp-Session-Id`.',
    params: ['McpAccept', 'Mcp-Session-Id', 'Mcp-Protocol-Version'], body: { schema: rpc },
    ok: {
      200: { description: 'The JSON-RPC response, as JSON or as an event stream.', schema: rpc, headers: ['Mcp-Session-Id'], also: { 'text/event-stream': SSE } },
      202: { description: 'A notification or response, accepted.' },
    },
    codes: [...common.codes, 'payload_too_large', 'unsupported_media_type', 'invalid_request'],
  })
  b.add(path, 'GET', {
    ...common, summary: `Open the server-to-client stream of a 2025 session of ${what}`, params: ['Mcp-Session-Id', 'Mcp-Protocol-Version', 'Last-Event-ID'],
    ok: { 200: { description: 'The session\'s event stream.', schema: SSE, type: 'text/event-stream' } }, codes: [...common.codes, 'invalid_request'],
  })
  b.add(path, 'DELETE', {
    ...common, summary: `End a 2025 session of ${what}`, params: ['Mcp-Session-Id', 'Mcp-Protocol-Version'],
    ok: { 200: { description: 'Ended.' }, 204: { description: 'Ended.' } }, codes: [...common.codes, 'invalid_request'],
  })
}

export function agentPaths(b: Builder): void {
  endpoint(b, '/api/v1/mcps/{id}/mcp', 'one config\'s server', { id: 'The config\'s id.' })
  endpoint(b, '/api/v1/mcp', 'every config the caller can use, as one server')
  for (const [path, what] of [['/.well-known/oauth-protected-resource/api/v1/mcps/{id}/mcp', 'one config\'s endpoint'], ['/.well-known/oauth-protected-resource/api/v1/mcp', 'the aggregate endpoint']] as const) {
    b.add(path, 'GET', {
      tag: 'agents', summary: `RFC 9728 metadata of ${what}`, auth: 'none', ...(path.includes('{id}') ? { path: { id: 'Any config id (the answer does not say whether it exists).' } } : {}),
      ok: { 200: { description: 'Protected resource metadata.', schema: 'ResourceMetadata' } }, codes: ['not_found'],
    })
  }
  b.add('/api/v1/tokens', 'POST', {
    tag: 'agents', summary: 'Create a personal access token (with an ID token only)', body: { schema: createTokenBody },
    ok: { 201: { description: 'The token; `token` is shown only here.', schema: 'NewToken' } }, codes: ['quota_exceeded'],
  })
  b.add('/api/v1/tokens', 'GET', {
    tag: 'agents', summary: 'List the caller\'s (or, for org admins, the org\'s) tokens', query: listTokensQuery,
    ok: { 200: { description: 'Without secrets.', schema: 'TokenPage' } }, codes: ['forbidden'],
  })
  b.add('/api/v1/tokens/{id}', 'DELETE', {
    tag: 'agents', summary: 'Revoke a token', path: { id: 'The token\'s id.' }, ok: { 204: { description: 'Revoked.' } }, codes: ['not_found'],
  })
}
