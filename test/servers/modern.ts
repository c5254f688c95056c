/**
 * In-process MCP test server on the v2 SDK: `createMcpHandler(factory)` from
 * `@modelcontextprotocol/server`, mounted with `toNodeHandler` from
 * `@modelcontextprotocol/node` on node:http (127.0.0.1, port 0), at `/mcp`.
 *
 * It speaks 2026-07-28 (stateless, per-request envelope, `server/discover`) and,
 * through the handler's default `legacy: 'stateless'` fallback, the 2025 era too
 * (each legacy POST is served by a fresh instance; no Mcp-Session-Id is issued;
 * GET/DELETE answer 405).
 *
 * The factory builds a fresh low-level `Server` per request; tools/list is
 * paginated exactly like the legacy server (the v2 low-level Server lets us own
 * `tools/list`, so paging is exercised on both servers).
 *
 * How a v2 client with `versionNegotiation: { mode: 'auto' }` gets to 2026-07-28
 * here (observed in test/servers.test.ts, which asserts the POST sequence):
 *   1. `connect()` POSTs `server/discover` carrying the per-request `_meta`
 *      envelope claim (and an `MCP-Protocol-Version: 2026-07-28` header);
 *      `createMcpHandler` classifies that as modern and answers with the
 *      DiscoverResult (supportedVersions includes 2026-07-28, capabilities,
 *      serverInfo in `_meta`). That is definitive modern evidence, so the client
 *      adopts 2026-07-28 — no `initialize`, no `notifications/initialized`,
 *      no session id.
 *   2. Every later request (e.g. `tools/call`) is one self-contained POST with
 *      the envelope in `params._meta`.
 *   So a fresh connect + one call = 2 POSTs; with `connect(t, { prior: { kind:
 *   'modern', discover } })` (discover result cached from `getDiscoverResult()`)
 *   it is 1 POST. A 2025 client (default `mode: 'legacy'`) gets the stateless
 *   legacy leg: initialize + notifications/initialized + call = 3 POSTs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createMcpHandler, ProtocolError, Server, type CallToolResult, type ServerContext } from '@modelcontextprotocol/server'
import { toNodeHandler } from '@modelcontextprotocol/node'
import {
  PROMPTS,
  RESOURCES,
  ToolRpcError,
  callTool,
  checkBearer,
  complete,
  dropConnection,
  getPrompt,
  isDropCall,
  listToolsPage,
  readBody,
  readResource,
  record,
  sendJson,
  serveLoopback,
  toolDefinitions,
  type RecordedRequest,
  type ServerOptions,
  type TestServerHandle,
  type ToolDef,
} from './tools.js'

export type ModernServerHandle = TestServerHandle

async function rethrowAsProtocol<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof ToolRpcError) throw new ProtocolError(e.code, e.message, e.data)
    throw e
  }
}

function buildServer(tools: ToolDef[], toolsTtlMs?: number): Server {
  const server = new Server(
    { name: 'test-modern', version: '2.0.0' },
    {
      capabilities: { tools: {}, resources: {}, prompts: {}, logging: {}, completions: {} },
      ...(toolsTtlMs !== undefined ? { cacheHints: { 'tools/list': { ttlMs: toolsTtlMs } } } : {}),
    },
  )
  server.setRequestHandler('tools/list', (req) => rethrowAsProtocol(() => listToolsPage(tools, req.params?.cursor)))
  server.setRequestHandler('tools/call', (req, ctx: ServerContext) =>
    rethrowAsProtocol(async () => {
      const token = ctx.mcpReq._meta?.progressToken
      const result = await callTool(tools, req.params.name, req.params.arguments, {
        signal: ctx.mcpReq.signal,
        progress: async (progress, total, message) => {
          if (token === undefined) return
          await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } })
        },
        log: (level, data) => ctx.mcpReq.log(level, data),
      })
      const def = tools.find((t) => t.name === req.params.name)
      return server.projectCallToolResult(result as CallToolResult, def?.outputSchema)
    }))
  server.setRequestHandler('resources/list', () => ({ resources: RESOURCES }))
  server.setRequestHandler('resources/read', (req) => rethrowAsProtocol(() => readResource(req.params.uri)))
  server.setRequestHandler('prompts/list', () => ({ prompts: PROMPTS }))
  server.setRequestHandler('completion/complete', (req) => rethrowAsProtocol(() => complete(req.params.ref, req.params.argument)))
  server.setRequestHandler('prompts/get', (req) => rethrowAsProtocol(() => getPrompt(req.params.name, req.params.arguments)))
  return server
}

export async function startModernServer(opts: ServerOptions = {}): Promise<ModernServerHandle> {
  const tools = toolDefinitions(opts.toolCount ?? 0)
  const requests: RecordedRequest[] = []
  const handler = createMcpHandler(() => buildServer(tools, opts.toolsTtlMs))
  const node = toNodeHandler(handler)
  let origin = ''

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin)
    let body: unknown
    let raw = ''
    if (req.method === 'POST') {
      const b = await readBody(req)
      if (b.tooLarge) { record(requests, req); return sendJson(res, 413, { error: 'payload too large' }) }
      body = b.json
      raw = b.raw
    }
    record(requests, req, body)
    if (!checkBearer(req, res, opts, origin)) return
    if (url.pathname !== '/mcp') return sendJson(res, 404, { error: 'not found' })
    if (req.method === 'POST' && isDropCall(body)) return dropConnection(res)
    if (req.method === 'POST' && body === undefined && raw !== '') {
      return sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null })
    }
    // Hand the parsed body over: the stream is already drained.
    await node(req, res, body)
  }

  const srv = await serveLoopback(handle, () => handler.close())
  origin = srv.origin

  return {
    url: `${origin}/mcp`,
    port: srv.port,
    requests,
    reset() { requests.length = 0 },
    stop: srv.stop,
  }
}
