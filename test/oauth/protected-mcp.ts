/**
 * An OAuth-protected MCP test server: the v2 SDK's `createMcpHandler` (both
 * protocol eras, like test/servers/modern.ts) at `/mcp` on 127.0.0.1, port 0,
 * behind a resource-server wall that validates `Authorization: Bearer <JWT>`
 * with jose against the issuer's JWKS.
 *
 * - No or bad token → 401 with
 *   `WWW-Authenticate: Bearer resource_metadata="<origin>/.well-known/oauth-protected-resource/mcp", scope="mcp:read"`
 *   (a bad token adds `error="invalid_token"`, RFC 6750 §3.1).
 * - A token without `requiredScope` → 403 `Bearer error="insufficient_scope", scope="<requiredScope>", …`.
 * - `GET /.well-known/oauth-protected-resource/mcp` is the RFC 9728 metadata
 *   (path-suffixed form, §3.1); the root form is deliberately absent.
 * - Accepted tokens: `iss` = issuer, `aud` = this server's MCP URL (RFC 8707),
 *   `typ: at+jwt` (RFC 9068), not expired (no clock tolerance).
 *
 * Tools are test/servers/tools.ts's base set plus `whoami`, which returns the
 * token's `sub` as text. Every request is recorded before the wall.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { createMcpHandler, ProtocolError, Server, type AuthInfo, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server'
import { toNodeHandler } from '@modelcontextprotocol/node'
import {
  ToolRpcError,
  callTool,
  listToolsPage,
  readBody,
  record,
  sendJson,
  serveLoopback,
  toolDefinitions,
  type RecordedRequest,
  type ToolDef,
} from '../servers/tools.js'

export interface ProtectedMcpOptions {
  issuer: string
  jwksUrl: string
  /** A scope every MCP request's token must carry; otherwise 403 insufficient_scope. */
  requiredScope?: string
}

export interface ProtectedMcpHandle {
  /** `http://127.0.0.1:PORT/mcp`: the endpoint and the RFC 8707 resource identifier (token `aud`). */
  url: string
  port: number
  /** `http://127.0.0.1:PORT/.well-known/oauth-protected-resource/mcp`. */
  resourceMetadataUrl: string
  /** Live array, cleared in place by `reset()`. */
  requests: RecordedRequest[]
  /** Changes (or with `undefined` drops) the required scope, e.g. for step-up tests. */
  setRequiredScope(scope: string | undefined): void
  /**
   * The next `n` POSTs that carry a bearer token are answered 401
   * `invalid_token`, whatever the token (as if the server had revoked it).
   */
  rejectNextAuth(n?: number): void
  stop(): Promise<void>
  reset(): void
}

export const CHALLENGE_SCOPE = 'mcp:read'

const WHOAMI: ToolDef = { name: 'whoami', description: "Returns the access token's sub", inputSchema: { type: 'object', properties: {} } }
/** A careless server: echoes the bearer token it was sent, in a result or in an error. */
const ECHO_TOKEN: ToolDef = { name: 'echo_token', description: 'Returns the bearer token it got', inputSchema: { type: 'object', properties: {} } }
const ECHO_TOKEN_ERROR: ToolDef = { name: 'echo_token_error', description: 'Fails with the bearer token in the message', inputSchema: { type: 'object', properties: {} } }

function buildServer(tools: ToolDef[], auth: AuthInfo | undefined): Server {
  const server = new Server({ name: 'test-protected', version: '1.0.0' }, { capabilities: { tools: {} } })
  const rethrow = async <T>(fn: () => Promise<T> | T): Promise<T> => {
    try { return await fn() } catch (e) {
      if (e instanceof ToolRpcError) throw new ProtocolError(e.code, e.message, e.data)
      throw e
    }
  }
  server.setRequestHandler('tools/list', (req) => rethrow(() => listToolsPage(tools, req.params?.cursor)))
  server.setRequestHandler('tools/call', (req, ctx: ServerContext) => rethrow(async () => {
    if (req.params.name === 'whoami') return { content: [{ type: 'text', text: String(auth?.extra?.sub ?? '') }] } satisfies CallToolResult
    if (req.params.name === 'echo_token') return { content: [{ type: 'text', text: `you sent Bearer ${auth?.token}` }] } satisfies CallToolResult
    if (req.params.name === 'echo_token_error') throw new ToolRpcError(-32001, `token ${auth?.token} is not welcome here`)
    const result = await callTool(tools, req.params.name, req.params.arguments, {
      signal: ctx.mcpReq.signal,
      progress: async () => {},
      log: (level, data) => ctx.mcpReq.log(level, data),
    })
    return result as CallToolResult
  }))
  return server
}

export async function startProtectedMcp(opts: ProtectedMcpOptions): Promise<ProtectedMcpHandle> {
  const tools = [...toolDefinitions(), WHOAMI, ECHO_TOKEN, ECHO_TOKEN_ERROR]
  const requests: RecordedRequest[] = []
  const jwks = createRemoteJWKSet(new URL(opts.jwksUrl))
  let requiredScope = opts.requiredScope
  let rejectNext = 0
  const handler = createMcpHandler((ctx) => buildServer(tools, ctx.authInfo))
  const node = toNodeHandler(handler)
  let origin = ''
  let url = ''
  let metadataUrl = ''

  const challenge = (res: ServerResponse, status: 401 | 403, error?: string, scope = CHALLENGE_SCOPE) => {
    const params = [
      ...(error ? [`error="${error}"`] : []),
      `resource_metadata="${metadataUrl}"`,
      `scope="${scope}"`,
    ]
    res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': `Bearer ${params.join(', ')}` })
    res.end(JSON.stringify({ error: error ?? 'invalid_token', error_description: status === 401 ? 'bearer token required' : 'insufficient scope' }))
  }

  /** The AuthInfo for a valid token, or null after answering 401/403. */
  async function authenticate(req: IncomingMessage, res: ServerResponse): Promise<AuthInfo | null> {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
    if (!m) { challenge(res, 401); return null }
    if (rejectNext > 0 && req.method === 'POST') {
      rejectNext--
      challenge(res, 401, 'invalid_token')
      return null
    }
    let payload
    try {
      ({ payload } = await jwtVerify(m[1]!, jwks, { issuer: opts.issuer, audience: url, typ: 'at+jwt', clockTolerance: 0 }))
    } catch {
      challenge(res, 401, 'invalid_token')
      return null
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []
    if (requiredScope && !requiredScope.split(' ').every((s) => scopes.includes(s))) {
      challenge(res, 403, 'insufficient_scope', requiredScope)
      return null
    }
    return {
      token: m[1]!,
      clientId: String(payload.client_id ?? ''),
      scopes,
      ...(payload.exp !== undefined ? { expiresAt: payload.exp } : {}),
      resource: new URL(url),
      extra: { sub: payload.sub },
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', origin).pathname
    let body: unknown
    if (req.method === 'POST') {
      const b = await readBody(req)
      if (b.tooLarge) { record(requests, req); return sendJson(res, 413, { error: 'payload too large' }) }
      body = b.json
    }
    record(requests, req, body)
    if (path === '/.well-known/oauth-protected-resource/mcp' && req.method === 'GET') {
      return sendJson(res, 200, {
        resource: url,
        authorization_servers: [opts.issuer],
        scopes_supported: ['mcp:read', 'mcp:write'],
        bearer_methods_supported: ['header'],
      })
    }
    if (path !== '/mcp') return sendJson(res, 404, { error: 'not found' })
    const auth = await authenticate(req, res)
    if (!auth) return
    // toNodeHandler forwards `req.auth` to the factory as `authInfo`.
    ;(req as IncomingMessage & { auth?: AuthInfo }).auth = auth
    await node(req, res, body)
  }

  const srv = await serveLoopback(handle, () => handler.close())
  origin = srv.origin
  url = `${origin}/mcp`
  metadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`

  return {
    url,
    port: srv.port,
    resourceMetadataUrl: metadataUrl,
    requests,
    setRequiredScope(scope) { requiredScope = scope },
    rejectNextAuth(n = 1) { rejectNext = n },
    reset() { requests.length = 0 },
    stop: srv.stop,
  }
}
