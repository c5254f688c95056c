/**
 * A second, independent authorization server: the v1 MCP SDK's own OAuth
 * stack (`mcpAuthRouter` around its example `DemoInMemoryAuthProvider`,
 * which issues opaque tokens and approves at once: no consent page), in front
 * of a v1 SDK MCP server guarded by `requireBearerAuth` and serving its RFC
 * 9728 metadata with `mcpAuthMetadataRouter`. Two loopback ports, like the
 * SDK's own example (`setupAuthServer`), but closable.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { DemoInMemoryAuthProvider } from '@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js'
import { createOAuthMetadata, getOAuthProtectedResourceMetadataUrl, mcpAuthMetadataRouter, mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js'
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js'
import { resourceUrlFromServerUrl } from '@modelcontextprotocol/sdk/shared/auth-utils.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'

export interface SdkExample {
  /** The authorization server's issuer, `http://127.0.0.1:P/` (the SDK keeps the slash). */
  issuer: string
  /** `http://127.0.0.1:Q/mcp` */
  mcpUrl: string
  /** Authorization headers the MCP server accepted. */
  accepted: string[]
  stop(): Promise<void>
}

const SCOPES = ['mcp:tools']

async function listen(app: express.Express): Promise<{ http: HttpServer; origin: string }> {
  const http = createServer(app)
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(0, '127.0.0.1', () => { http.off('error', reject); resolve() })
  })
  return { http, origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}` }
}

function mcpServer(who: string): Server {
  const s = new Server({ name: 'sdk-v1-example', version: '1.0.0' }, { capabilities: { tools: {} } })
  s.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: 'whoami', description: 'The client the token was issued to', inputSchema: { type: 'object', properties: {} } }],
  }))
  s.setRequestHandler(CallToolRequestSchema, async () => ({ content: [{ type: 'text', text: who }] }))
  return s
}

export async function startSdkExample(): Promise<SdkExample> {
  const asApp = express()
  const mcpApp = express()
  const as = await listen(asApp)
  const rs = await listen(mcpApp)
  const issuer = new URL(`${as.origin}/`)
  const mcpUrl = new URL(`${rs.origin}/mcp`)
  // Strict resource, as the SDK example's `strictResource: true`.
  const provider = new DemoInMemoryAuthProvider((r) => r?.href === resourceUrlFromServerUrl(mcpUrl).href)

  asApp.use(express.json())
  asApp.use(express.urlencoded({ extended: false }))
  asApp.use(mcpAuthRouter({ provider, issuerUrl: issuer, scopesSupported: SCOPES }))

  const accepted: string[] = []
  mcpApp.use(express.json())
  mcpApp.use(mcpAuthMetadataRouter({ oauthMetadata: createOAuthMetadata({ provider, issuerUrl: issuer, scopesSupported: SCOPES }), resourceServerUrl: mcpUrl, scopesSupported: SCOPES }))
  const auth = requireBearerAuth({ verifier: provider, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl), expectedResource: mcpUrl })
  mcpApp.post('/mcp', auth, async (req, res) => {
    accepted.push(req.headers.authorization ?? '')
    // Stateless: a server and transport per request.
    const server = mcpServer(req.auth?.clientId ?? '')
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    res.on('close', () => { void transport.close(); void server.close() })
    await server.connect(transport)
    await transport.handleRequest(req, res, req.body)
  })
  mcpApp.all('/mcp', (_req, res) => { res.status(405).set('Allow', 'POST').end() })

  const close = (h: HttpServer) => new Promise<void>((resolve) => { h.close(() => resolve()); h.closeAllConnections() })
  return {
    issuer: issuer.href,
    mcpUrl: mcpUrl.href,
    accepted,
    stop: async () => { await Promise.all([close(as.http), close(rs.http)]) },
  }
}
