/**
 * In-process 2025-era MCP test server on the v1 SDK (`@modelcontextprotocol/sdk`).
 *
 * - `POST|GET|DELETE /mcp`: streamable HTTP, STATEFUL: `initialize` (without a
 *   session header) creates a low-level `Server` + `StreamableHTTPServerTransport`
 *   with a `sessionIdGenerator`; later requests are routed by `Mcp-Session-Id`.
 *   Negotiates 2025-11-25 / 2025-06-18 / 2025-03-26 (whatever the client asks
 *   for, among the v1 SDK's supported versions).
 * - `GET /sse` + `POST /messages?sessionId=`: the old HTTP+SSE transport
 *   (`SSEServerTransport`), for the gateway's `sse` type. `sseUrl` points there.
 *
 * Behaviour (tools, resources, prompts) comes from `tools.ts`, shared with `modern.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js'
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  isInitializeRequest,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js'
import {
  PROMPTS,
  RESOURCES,
  belowLevel,
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
  type LogLevel,
  type ToolDef,
} from './tools.js'

export interface LegacyServerHandle extends TestServerHandle {
  /** The old HTTP+SSE endpoint, `http://127.0.0.1:PORT/sse`. */
  sseUrl: string
  /** Live streamable HTTP session ids (for asserting Mcp-Session-Id reuse / cleanup). */
  sessionIds(): string[]
}

/**
 * The v1 protocol layer serializes any thrown error with an integer `code` as
 * `{ code, message, data }` verbatim, so `ToolRpcError` goes out unchanged. (A v1
 * `McpError` would put its prefixed "MCP error -32001: ..." text on the wire.)
 */
const rethrowAsMcp = async <T>(fn: () => Promise<T> | T): Promise<T> => fn()

function buildServer(tools: ToolDef[], onDrop?: () => void, protocolVersion?: string): Server {
  const server = new Server(
    { name: 'test-legacy', version: '1.0.0' },
    { capabilities: { tools: {}, resources: {}, prompts: {}, logging: {}, completions: {} } },
  )
  if (protocolVersion) {
    // An older server: it answers initialize with its own revision, as a 2025-06-18 or 2025-03-26 server would.
    const s = server as unknown as { _oninitialize(r: unknown): Promise<Record<string, unknown>> }
    const orig = s._oninitialize.bind(server)
    s._oninitialize = async (r) => ({ ...(await orig(r)), protocolVersion })
  }
  // logging/setLevel for this session (one server per session): messages below it are not sent.
  let threshold: LogLevel | undefined
  server.setRequestHandler(SetLevelRequestSchema, (req) => {
    threshold = req.params.level
    return {}
  })
  server.setRequestHandler(ListToolsRequestSchema, (req) => rethrowAsMcp(() => listToolsPage(tools, req.params?.cursor)))
  server.setRequestHandler(CallToolRequestSchema, (req, extra) =>
    rethrowAsMcp(async () => {
      const token = req.params._meta?.progressToken
      const result = await callTool(tools, req.params.name, req.params.arguments, {
        signal: extra.signal,
        progress: async (progress, total, message) => {
          if (token === undefined) return
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, total, message } })
        },
        log: async (level, data) => {
          if (!belowLevel(level, threshold)) await extra.sendNotification({ method: 'notifications/message', params: { level, data } })
        },
      }, onDrop)
      return result as CallToolResult
    }))
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: RESOURCES }))
  server.setRequestHandler(ReadResourceRequestSchema, (req) => rethrowAsMcp(() => readResource(req.params.uri)))
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: PROMPTS }))
  server.setRequestHandler(CompleteRequestSchema, (req) => rethrowAsMcp(() => complete(req.params.ref, req.params.argument)))
  server.setRequestHandler(GetPromptRequestSchema, (req) => rethrowAsMcp(() => getPrompt(req.params.name, req.params.arguments)))
  return server
}

export async function startLegacyServer(opts: ServerOptions = {}): Promise<LegacyServerHandle> {
  const tools = toolDefinitions(opts.toolCount ?? 0)
  const requests: RecordedRequest[] = []
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>()
  const sseSessions = new Map<string, { transport: SSEServerTransport; server: Server; res: ServerResponse }>()
  let origin = ''

  async function handleMcp(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const sid = req.headers['mcp-session-id']
    const sessionId = Array.isArray(sid) ? sid[0] : sid
    if (sessionId !== undefined) {
      const s = sessions.get(sessionId)
      if (!s) return sendJson(res, 404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null })
      if (req.method === 'POST' && isDropCall(body)) return dropConnection(res)
      return s.transport.handleRequest(req, res, body)
    }
    if (req.method === 'POST' && isInitializeRequest(body)) {
      const server = buildServer(tools, undefined, opts.protocolVersion)
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => { sessions.set(id, { transport, server }) },
        onsessionclosed: (id) => { sessions.delete(id) },
      })
      transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId) }
      await server.connect(transport)
      return transport.handleRequest(req, res, body)
    }
    return sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null })
  }

  async function handleSseOpen(res: ServerResponse): Promise<void> {
    const transport = new SSEServerTransport('/messages', res)
    const server = buildServer(tools, () => res.socket?.destroy())
    sseSessions.set(transport.sessionId, { transport, server, res })
    transport.onclose = () => { sseSessions.delete(transport.sessionId) }
    res.on('close', () => { sseSessions.delete(transport.sessionId) })
    await server.connect(transport) // starts the transport: writes the SSE headers + endpoint event
  }

  async function handleSseMessage(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown): Promise<void> {
    const s = sseSessions.get(url.searchParams.get('sessionId') ?? '')
    if (!s) return sendJson(res, 404, { error: 'unknown sessionId' })
    if (isDropCall(body)) {
      // The response would travel on the GET stream: drop that one.
      res.writeHead(202).end('Accepted')
      setTimeout(() => s.res.socket?.destroy(), 20)
      return
    }
    return s.transport.handlePostMessage(req, res, body)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', origin)
    let body: unknown
    if (req.method === 'POST') {
      const b = await readBody(req)
      if (b.tooLarge) { record(requests, req); return sendJson(res, 413, { error: 'payload too large' }) }
      body = b.json
    }
    record(requests, req, body)
    if (!checkBearer(req, res, opts, origin)) return
    if (url.pathname === '/mcp') return handleMcp(req, res, body)
    if (url.pathname === '/sse' && req.method === 'GET') return handleSseOpen(res)
    if (url.pathname === '/messages' && req.method === 'POST') return handleSseMessage(req, res, url, body)
    sendJson(res, 404, { error: 'not found' })
  }

  const srv = await serveLoopback(handle, async () => {
    const all = [...sessions.values(), ...sseSessions.values()]
    sessions.clear()
    sseSessions.clear()
    await Promise.allSettled(all.map(async (s) => { await s.transport.close(); await s.server.close() }))
  })
  origin = srv.origin

  return {
    url: `${origin}/mcp`,
    sseUrl: `${origin}/sse`,
    port: srv.port,
    requests,
    sessionIds: () => [...sessions.keys()],
    reset() { requests.length = 0 },
    stop: srv.stop,
  }
}
