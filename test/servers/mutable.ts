/**
 * A 2025-era MCP test server (v1 SDK, stateful streamable HTTP) whose tools,
 * prompts and resources a test can change between listings: the "rug pull"
 * server of the tool-governance tests. `toolsChanged()` sends
 * `notifications/tools/list_changed` on every live session (the gateway's
 * client receives it on its standalone GET stream).
 *
 * Every tool answers `<name>: <arguments as JSON>`; prompts answer one user
 * message; resources read as `text of <uri>`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  isInitializeRequest,
} from '@modelcontextprotocol/sdk/types.js'
import { INVALID_PARAMS, ToolRpcError, readBody, record, sendJson, serveLoopback, type RecordedRequest } from './tools.js'

export type Def = Record<string, unknown> & { name: string }
export type ResourceDef = Record<string, unknown> & { uri: string; name: string }

export interface MutableServer {
  url: string
  requests: RecordedRequest[]
  setTools(t: Def[]): void
  setPrompts(p: Def[]): void
  setResources(r: ResourceDef[]): void
  /** Sends notifications/tools/list_changed on every live session; resolves once written. */
  toolsChanged(): Promise<void>
  /** Live sessions (the gateway's warm connections). */
  sessions(): number
  reset(): void
  stop(): Promise<void>
}

export const tool = (name: string, description: string, properties: Record<string, unknown> = {}): Def =>
  ({ name, description, inputSchema: { type: 'object', properties } })

export async function startMutableServer(init: { tools?: Def[]; prompts?: Def[]; resources?: ResourceDef[] } = {}): Promise<MutableServer> {
  let tools = init.tools ?? [tool('echo', 'Echoes the message back', { message: { type: 'string' } })]
  let prompts = init.prompts ?? []
  let resources = init.resources ?? []
  const requests: RecordedRequest[] = []
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>()

  const build = () => {
    const server = new Server({ name: 'test-mutable', version: '1.0.0' }, { capabilities: { tools: { listChanged: true }, prompts: {}, resources: {} } })
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools as never }))
    server.setRequestHandler(CallToolRequestSchema, (req) => {
      const name = req.params.name
      if (!tools.some((t) => t.name === name)) throw new ToolRpcError(INVALID_PARAMS, `Unknown tool: ${name}`)
      return { content: [{ type: 'text', text: `${name}: ${JSON.stringify(req.params.arguments ?? {})}` }] }
    })
    server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: prompts as never }))
    server.setRequestHandler(GetPromptRequestSchema, (req) => {
      if (!prompts.some((p) => p.name === req.params.name)) throw new ToolRpcError(INVALID_PARAMS, `Unknown prompt: ${req.params.name}`)
      return { messages: [{ role: 'user', content: { type: 'text', text: `prompt ${req.params.name}` } }] }
    })
    server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: resources as never }))
    server.setRequestHandler(ReadResourceRequestSchema, (req) => ({ contents: [{ uri: req.params.uri, mimeType: 'text/plain', text: `text of ${req.params.uri}` }] }))
    return server
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown
    if (req.method === 'POST') body = (await readBody(req)).json
    record(requests, req, body)
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp') return sendJson(res, 404, { error: 'not found' })
    const sid = req.headers['mcp-session-id']
    const id = Array.isArray(sid) ? sid[0] : sid
    if (id !== undefined) {
      const s = sessions.get(id)
      if (!s) return sendJson(res, 404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null })
      return s.transport.handleRequest(req, res, body)
    }
    if (req.method === 'POST' && isInitializeRequest(body)) {
      const server = build()
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sid) => { sessions.set(sid, { transport, server }) },
        onsessionclosed: (sid) => { sessions.delete(sid) },
      })
      transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId) }
      await server.connect(transport)
      return transport.handleRequest(req, res, body)
    }
    sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null })
  }

  const srv = await serveLoopback(handle, async () => {
    const all = [...sessions.values()]
    sessions.clear()
    await Promise.allSettled(all.map(async (s) => { await s.transport.close(); await s.server.close() }))
  })
  return {
    url: `${srv.origin}/mcp`,
    requests,
    setTools: (t) => { tools = t },
    setPrompts: (p) => { prompts = p },
    setResources: (r) => { resources = r },
    async toolsChanged() { await Promise.all([...sessions.values()].map((s) => s.server.sendToolListChanged())) },
    sessions: () => sessions.size,
    reset() { requests.length = 0 },
    stop: srv.stop,
  }
}
