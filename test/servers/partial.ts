/**
 * A server that declares more than it serves, as published servers often do:
 * its capabilities say `resources`, `prompts` and `completions`, but it has
 * handlers for tools only, so the v2 SDK answers resources/list,
 * resources/templates/list, prompts/list and completion/complete with
 * JSON-RPC -32601 (method not found). Both eras, through `createMcpHandler`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createMcpHandler, Server } from '@modelcontextprotocol/server'
import { toNodeHandler } from '@modelcontextprotocol/node'
import { readBody, record, serveLoopback, type RecordedRequest, type TestServerHandle } from './tools.js'

function buildServer(completions: boolean, toolsList: boolean): Server {
  const server = new Server({ name: 'test-partial', version: '1.0.0' }, { capabilities: { tools: {}, resources: {}, prompts: {}, ...(completions ? { completions: {} } : {}) } })
  if (toolsList) server.setRequestHandler('tools/list', () => ({ tools: [{ name: 'noop', inputSchema: { type: 'object' as const } }] }))
  server.setRequestHandler('tools/call', () => ({ content: [{ type: 'text' as const, text: 'ok' }] }))
  return server
}

/** `completions: false`: the server does not even declare completions. `toolsList: false`: it declares tools but does not list them either. */
export async function startPartialServer(o: { completions?: boolean; toolsList?: boolean } = {}): Promise<TestServerHandle> {
  const requests: RecordedRequest[] = []
  const handler = createMcpHandler(() => buildServer(o.completions ?? true, o.toolsList ?? true))
  const node = toNodeHandler(handler)
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = req.method === 'POST' ? (await readBody(req)).json : undefined
    record(requests, req, body)
    await node(req, res, body)
  }
  const srv = await serveLoopback(handle, () => handler.close())
  return {
    url: `${srv.origin}/mcp`,
    port: srv.port,
    requests,
    reset() {
      requests.length = 0
    },
    stop: srv.stop,
  }
}
