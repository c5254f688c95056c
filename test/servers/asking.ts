/**
 * MCP servers whose tools ask their user for input, for interactive executions:
 *
 * - `startAskingLegacy()`: 2025 era on the v1 SDK (streamable HTTP, stateful).
 *   Its tools send `elicitation/create` (form, URL) and
 *   `sampling/createMessage` to the client on the open call and wait.
 * - `startAskingModern()`: 2026-07-28 on the v2 SDK (`createMcpHandler`). Its
 *   tools return `input_required` (form, URL, sampling, several rounds carried
 *   by `requestState`); so do a prompt and a resource.
 *
 * Both record what they saw so tests can check the wire: the JSON-RPC ids of
 * `tools/call`, the `requestState` that came back, and cancellations.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { Server as V1Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { CallToolRequestSchema, CreateMessageResultSchema, ElicitResultSchema, ListToolsRequestSchema, isInitializeRequest } from '@modelcontextprotocol/sdk/types.js'
import { createMcpHandler, inputRequired, inputResponse, Server } from '@modelcontextprotocol/server'
import { toNodeHandler } from '@modelcontextprotocol/node'
import { readBody, sendJson, serveLoopback } from './tools.js'

export const FORM_SCHEMA = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
} as const

export const CONSENT_URL = 'https://consent.example.test/approve?session=abc'

const TOOLS = [
  ...['ask_form', 'ask_url', 'ask_sample', 'ask_twice', 'ask_rounds', 'ask_big', 'ask_echo', 'ask_progress'].map((name) => ({ name, description: `asks its user (${name})`, inputSchema: { type: 'object', properties: { note: { type: 'string' } } } })),
  // Answers `structuredContent: {name}` with the name it was told, which breaks its output schema when the name is "lie".
  { name: 'ask_typed', description: 'asks its user, answers typed', inputSchema: { type: 'object', properties: {} }, outputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
]

/** `ask_typed`'s result: `{name}`, a number when told "lie" (its output schema wants a string). */
const typed = (name: unknown) => ({ ...text(`typed ${String(name)}`), structuredContent: { name: name === 'lie' ? 42 : String(name) } })

const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] })

export interface AskingHandle {
  url: string
  /** `tools/call` requests seen: JSON-RPC id, tool, arguments, requestState. */
  calls: { id: unknown; name: string; arguments: unknown; requestState: unknown; responses: unknown }[]
  /** Tool calls whose request the client cancelled. */
  cancelled: number
  /** Tool calls that ended (answered, or failed). */
  ended: number
  stop(): Promise<void>
}

/** 2025 era, v1 SDK: questions on the open call. `url` replaces the URL-mode target (e.g. a bad scheme). */
export async function startAskingLegacy(o: { url?: string } = {}): Promise<AskingHandle> {
  const h: AskingHandle = { url: '', calls: [], cancelled: 0, ended: 0, stop: async () => {} }
  const sessions = new Map<string, StreamableHTTPServerTransport>()
  const build = () => {
    const server = new V1Server({ name: 'asking-legacy', version: '1.0.0' }, { capabilities: { tools: {} } })
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }))
    server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
      h.calls.push({ id: extra.requestId, name: req.params.name, arguments: req.params.arguments, requestState: undefined, responses: undefined })
      extra.signal.addEventListener('abort', () => h.cancelled++)
      const form = (message: string) => extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message, requestedSchema: FORM_SCHEMA } }, ElicitResultSchema, { timeout: 3_600_000 })
      try {
        switch (req.params.name) {
          case 'ask_form': {
            const r = await form('Who are you?')
            return text(r.action === 'accept' ? `hello ${r.content?.name} (${r.content?.age})` : r.action)
          }
          case 'ask_twice': {
            const a = await form('Who are you?')
            const b = await form('And your friend?')
            return text(`${a.action}:${a.content?.name ?? ''} ${b.action}:${b.content?.name ?? ''}`)
          }
          case 'ask_url': {
            const r = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'url', message: 'Approve access', url: o.url ?? CONSENT_URL, elicitationId: randomUUID() } }, ElicitResultSchema, { timeout: 3_600_000 })
            return text(`url ${r.action}`)
          }
          case 'ask_echo': {
            // A server that repeats its request headers: a secret header must not reach the app or the store.
            const key = String(extra.requestInfo?.headers?.['x-api-key'] ?? '')
            const r = await extra.sendRequest({ method: 'elicitation/create', params: { mode: 'form', message: `Confirm key ${key}`, requestedSchema: FORM_SCHEMA } }, ElicitResultSchema, { timeout: 3_600_000 })
            return text(`${r.action} with ${key}`)
          }
          case 'ask_progress': {
            // Progress after the answer: the stream that carried the question goes on with it.
            const r = await form('Go?')
            const token = req.params._meta?.progressToken
            for (let i = 1; i <= 3 && token !== undefined; i++) {
              await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: 3, message: `step ${i}` } })
              await new Promise((res) => setTimeout(res, 30))
            }
            return text(`went ${r.action}`)
          }
          case 'ask_typed': {
            const r = await form('Who are you?')
            return typed(r.content?.name)
          }
          case 'ask_big': {
            const r = await form('Size?')
            return text(`${r.action}:${'x'.repeat(1_500_000)}`)
          }
          case 'ask_sample': {
            const r = await extra.sendRequest({ method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 20 } }, CreateMessageResultSchema, { timeout: 3_600_000 })
            return text(`${r.model} said ${(r.content as { text?: string }).text}`)
          }
          default:
            return { ...text(`no tool ${req.params.name}`), isError: true }
        }
      } finally {
        h.ended++
      }
    })
    return server
  }
  const srv = await serveLoopback(async (req: IncomingMessage, res: ServerResponse) => {
    const body = req.method === 'POST' ? (await readBody(req)).json : undefined
    const sid = req.headers['mcp-session-id'] as string | undefined
    if (sid) {
      const t = sessions.get(sid)
      if (!t) return sendJson(res, 404, { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null })
      return t.handleRequest(req, res, body)
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) return sendJson(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'No session' }, id: null })
    const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => { sessions.set(id, t) } })
    await build().connect(t)
    return t.handleRequest(req, res, body)
  }, async () => { await Promise.allSettled([...sessions.values()].map((t) => t.close())) })
  h.url = `${srv.origin}/mcp`
  h.stop = srv.stop
  return h
}

/** 2026-07-28, v2 SDK: `input_required` results, state carried by `requestState`. */
export async function startAskingModern(o: { url?: string } = {}): Promise<AskingHandle> {
  const h: AskingHandle = { url: '', calls: [], cancelled: 0, ended: 0, stop: async () => {} }
  const formReq = (message: string) => ({ method: 'elicitation/create', params: { mode: 'form', message, requestedSchema: FORM_SCHEMA } }) as never
  const build = () => {
    const server = new Server({ name: 'asking-modern', version: '2.0.0' }, { capabilities: { tools: {}, prompts: {}, resources: {}, logging: {} } })
    server.setRequestHandler('tools/list', () => ({ tools: TOOLS }) as never)
    server.setRequestHandler('tools/call', async (req, ctx) => {
      const responses = ctx.mcpReq.inputResponses
      const state = ctx.mcpReq.requestState<string>()
      h.calls.push({ id: ctx.mcpReq.id, name: req.params.name, arguments: req.params.arguments, requestState: state, responses })
      h.ended++
      switch (req.params.name) {
        case 'ask_form': {
          const r = inputResponse(responses, 'who')
          if (r.kind === 'missing') return inputRequired({ inputRequests: { who: formReq('Who are you?') } }) as never
          return text(r.kind === 'elicit' && r.action === 'accept' ? `hello ${r.content?.name} (${r.content?.age})` : r.kind === 'elicit' ? r.action : 'odd') as never
        }
        case 'ask_url': {
          const r = inputResponse(responses, 'consent')
          if (r.kind === 'missing') return inputRequired({ inputRequests: { consent: { method: 'elicitation/create', params: { mode: 'url', message: 'Approve access', url: o.url ?? CONSENT_URL } } as never } }) as never
          return text(`url ${r.kind === 'elicit' ? r.action : 'odd'}`) as never
        }
        case 'ask_sample': {
          const r = inputResponse(responses, 's')
          if (r.kind === 'missing') return inputRequired({ inputRequests: { s: { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 20 } } as never } }) as never
          return text(r.kind === 'sampling' ? `${r.result.model} said ${(r.result.content as { text?: string }).text}` : 'odd') as never
        }
        case 'ask_progress': {
          // Logs after the answer, on the retry (wherever it runs): a stream held elsewhere must still show them.
          const r = inputResponse(responses, 'go')
          if (r.kind === 'missing') return inputRequired({ inputRequests: { go: formReq('Go?') } }) as never
          for (let i = 1; i <= 3; i++) await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', logger: 'asking', data: `step ${i}` } } as never)
          return text(`went ${r.kind === 'elicit' ? r.action : 'odd'}`) as never
        }
        case 'ask_typed': {
          const r = inputResponse(responses, 'who')
          if (r.kind === 'missing') return inputRequired({ inputRequests: { who: formReq('Who are you?') } }) as never
          return typed(r.kind === 'elicit' ? r.content?.name : undefined) as never
        }
        case 'ask_rounds': {
          // Round 1 asks "first"; round 2 (state "one:<name>") asks "second"; round 3 answers with both.
          if (!state) return inputRequired({ inputRequests: { first: formReq('First person?') }, requestState: 'one' }) as never
          if (state === 'one') {
            const a = inputResponse(responses, 'first')
            const name = a.kind === 'elicit' ? String(a.content?.name ?? a.action) : 'missing'
            return inputRequired({ inputRequests: { second: formReq('Second person?') }, requestState: `two:${name}` }) as never
          }
          const b = inputResponse(responses, 'second')
          return text(`${state.slice(4)} and ${b.kind === 'elicit' ? String(b.content?.name ?? b.action) : 'missing'}`) as never
        }
        default:
          return { ...text(`no tool ${req.params.name}`), isError: true } as never
      }
    })
    server.setRequestHandler('prompts/list', () => ({ prompts: [{ name: 'ask_prompt', description: 'asks first' }] }) as never)
    server.setRequestHandler('prompts/get', (_req, ctx) => {
      const r = inputResponse(ctx.mcpReq.inputResponses, 'who')
      if (r.kind === 'missing') return inputRequired({ inputRequests: { who: formReq('For whom?') } }) as never
      return { messages: [{ role: 'user', content: { type: 'text', text: `write to ${r.kind === 'elicit' ? r.content?.name : '?'}` } }] } as never
    })
    server.setRequestHandler('resources/list', () => ({ resources: [{ uri: 'ask://secret', name: 'secret' }] }) as never)
    server.setRequestHandler('resources/read', (req, ctx) => {
      const r = inputResponse(ctx.mcpReq.inputResponses, 'who')
      if (r.kind === 'missing') return inputRequired({ inputRequests: { who: formReq('Who reads?') } }) as never
      return { contents: [{ uri: req.params.uri, mimeType: 'text/plain', text: `for ${r.kind === 'elicit' ? r.content?.name : '?'}` }] } as never
    })
    return server
  }
  const handler = createMcpHandler(build)
  const node = toNodeHandler(handler)
  const srv = await serveLoopback(async (req, res) => {
    const body = req.method === 'POST' ? (await readBody(req)).json : undefined
    await node(req, res, body)
  }, () => handler.close())
  h.url = `${srv.origin}/mcp`
  h.stop = srv.stop
  return h
}
