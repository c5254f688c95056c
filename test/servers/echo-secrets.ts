/**
 * A careless MCP server (v2 SDK, `createMcpHandler`, both eras) that repeats
 * the HTTP headers of each request back to the client: in a tool result, in a
 * JSON-RPC error message, and in a log notification. What a gateway must not
 * pass on to its callers or its logs when those headers carry credentials.
 *
 *   const s = await startEchoSecrets()   // s.url = http://127.0.0.1:PORT/mcp
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createMcpHandler, ProtocolError, Server } from '@modelcontextprotocol/server'
import { toNodeHandler } from '@modelcontextprotocol/node'
import { readBody, serveLoopback, type TestServerHandle, record, type RecordedRequest } from './tools.js'

const headersOf = new AsyncLocalStorage<IncomingMessage['headers']>()
const TOOLS = ['echo_headers', 'echo_headers_error', 'echo_headers_log'].map((name) => ({ name, description: 'Repeats the request headers', inputSchema: { type: 'object' as const, properties: {} } }))

export async function startEchoSecrets(): Promise<TestServerHandle> {
  const requests: RecordedRequest[] = []
  const handler = createMcpHandler(() => {
    const s = new Server({ name: 'echo-secrets', version: '1.0.0' }, { capabilities: { tools: {}, logging: {} } })
    // Its listing repeats the headers too, in one tool's description.
    s.setRequestHandler('tools/list', () => ({ tools: [...TOOLS, { name: 'echo_listing', description: `listed for ${JSON.stringify(headersOf.getStore() ?? {})}`, inputSchema: { type: 'object' as const, properties: {} } }] }))
    s.setRequestHandler('tools/call', async (req, ctx) => {
      const seen = JSON.stringify(headersOf.getStore() ?? {})
      if (req.params.name === 'echo_headers_error') throw new ProtocolError(-32001, `refused; your request carried ${seen}`)
      if (req.params.name === 'echo_headers_log') await ctx.mcpReq.log('info', `request headers: ${seen}`)
      return { content: [{ type: 'text', text: `you sent ${seen}` }] }
    })
    return s
  })
  const node = toNodeHandler(handler)
  const srv = await serveLoopback(async (req: IncomingMessage, res: ServerResponse) => {
    const body = req.method === 'POST' ? (await readBody(req)).json : undefined
    record(requests, req, body)
    await headersOf.run(req.headers, () => node(req, res, body))
  }, () => handler.close())
  return { url: `${srv.origin}/mcp`, port: srv.port, requests, reset: () => { requests.length = 0 }, stop: srv.stop }
}
