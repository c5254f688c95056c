/**
 * A reference server for the conformance suite's server scenarios, written
 * here from the suite's published requirements ("MCP Server Conformance
 * Requirements": test_simple_text, test://static-text, test_simple_prompt...)
 * on the v1 SDK's classic server (`@modelcontextprotocol/sdk`, sessionful
 * streamable HTTP): the suite runs against it directly and through the
 * gateway's proxy (test/conformance/server.ts).
 *
 *   const s = await startConformanceReference()   // s.url = http://127.0.0.1:PORT/mcp
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import {
  CallToolRequestSchema, CompleteRequestSchema, GetPromptRequestSchema, ListPromptsRequestSchema, ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema, SetLevelRequestSchema, SubscribeRequestSchema,
  UnsubscribeRequestSchema, CreateMessageResultSchema, ElicitResultSchema,
} from '@modelcontextprotocol/sdk/types.js'

// 1x1 red PNG, and a tiny silent WAV.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.from([16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0]), Buffer.from('data'), Buffer.from([0, 0, 0, 0])]).toString('base64')
const text = (t: string) => ({ content: [{ type: 'text', text: t }] })
const empty = { type: 'object', properties: {} }
const TOOLS = [
  ['test_simple_text', empty], ['test_image_content', empty], ['test_audio_content', empty], ['test_embedded_resource', empty],
  ['test_multiple_content_types', empty], ['test_tool_with_logging', empty], ['test_tool_with_progress', empty], ['test_error_handling', empty],
  ['test_sampling', { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] }],
  ['test_elicitation', { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] }],
  ['test_elicitation_sep1034_defaults', empty], ['test_elicitation_sep1330_enums', empty],
  ['json_schema_2020_12_tool', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', $defs: { address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } }, properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } }, additionalProperties: false }],
] as const
const RESOURCES = [
  { uri: 'test://static-text', name: 'Static Text Resource', description: 'A static text resource for testing', mimeType: 'text/plain' },
  { uri: 'test://static-binary', name: 'Static Binary Resource', description: 'A static binary resource (image) for testing', mimeType: 'image/png' },
  { uri: 'test://watched-resource', name: 'Watched Resource', description: 'A resource that can be subscribed to', mimeType: 'text/plain' },
]
const PROMPTS = [
  { name: 'test_simple_prompt', description: 'A simple prompt without arguments' },
  { name: 'test_prompt_with_arguments', description: 'A prompt with required arguments', arguments: [{ name: 'arg1', description: 'First test argument', required: true }, { name: 'arg2', description: 'Second test argument', required: true }] },
  { name: 'test_prompt_with_embedded_resource', description: 'A prompt with an embedded resource', arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }] },
  { name: 'test_prompt_with_image', description: 'A prompt with an image' },
]
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function build(): Server {
  const s = new Server({ name: 'mcp-conformance-test-server', version: '1.0.0' }, {
    capabilities: { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, prompts: { listChanged: true }, logging: {}, completions: {} },
  })
  const log = (data: string) => s.notification({ method: 'notifications/message', params: { level: 'info', logger: 'conformance-test-server', data } }).catch(() => {})
  s.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS.map(([name, inputSchema]) => ({ name, description: name, inputSchema: inputSchema as any })) }))
  s.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const a = (req.params.arguments ?? {}) as Record<string, string>
    switch (req.params.name) {
      case 'test_simple_text': return text('This is a simple text response for testing.')
      case 'test_image_content': return { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }] }
      case 'test_audio_content': return { content: [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }] }
      case 'test_embedded_resource': return { content: [{ type: 'resource', resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' } }] }
      case 'test_multiple_content_types': return { content: [{ type: 'text', text: 'Multiple content types test:' }, { type: 'image', data: PNG, mimeType: 'image/png' }, { type: 'resource', resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: '{"test":"data","value":123}' } }] }
      case 'test_tool_with_logging': {
        const say = (data: string) => extra.sendNotification({ method: 'notifications/message', params: { level: 'info', logger: 'conformance-test-server', data } })
        await say('Tool execution started'); await sleep(50); await say('Tool processing data'); await sleep(50); await say('Tool execution completed')
        return text('Logging test completed')
      }
      case 'test_tool_with_progress': {
        const token = req.params._meta?.progressToken
        for (const p of [0, 50, 100]) {
          if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: p, total: 100 } })
          if (p < 100) await sleep(50)
        }
        return text('Progress test completed')
      }
      case 'test_error_handling': return { isError: true, ...text('This tool intentionally returns an error for testing') }
      case 'test_sampling': {
        const r = await extra.sendRequest({ method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: a.prompt ?? '' } }], maxTokens: 100 } }, CreateMessageResultSchema)
        return text(`LLM response: ${(r.content as { text?: string }).text ?? ''}`)
      }
      case 'test_elicitation': {
        const r = await extra.sendRequest({ method: 'elicitation/create', params: { message: a.message ?? '', requestedSchema: { type: 'object', properties: { username: { type: 'string', description: "User's response" }, email: { type: 'string', description: "User's email address" } }, required: ['username', 'email'] } } }, ElicitResultSchema)
        return text(`User response: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`)
      }
      case 'test_elicitation_sep1034_defaults': {
        const r = await extra.sendRequest({ method: 'elicitation/create', params: { message: 'Please review and update the form fields with defaults', requestedSchema: { type: 'object', properties: {
          name: { type: 'string', description: 'User name', default: 'John Doe' }, age: { type: 'integer', description: 'User age', default: 30 },
          score: { type: 'number', description: 'User score', default: 95.5 }, status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
          verified: { type: 'boolean', description: 'Verification status', default: true },
        }, required: [] } } } as any, ElicitResultSchema)
        return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`)
      }
      case 'test_elicitation_sep1330_enums': {
        const r = await extra.sendRequest({ method: 'elicitation/create', params: { message: 'Please select options from the enum fields', requestedSchema: { type: 'object', properties: {
          untitledSingle: { type: 'string', description: 'Select one option', enum: ['option1', 'option2', 'option3'] },
          titledSingle: { type: 'string', description: 'Select one option with titles', oneOf: [{ const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }] },
          legacyEnum: { type: 'string', description: 'Select one option (legacy)', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
          untitledMulti: { type: 'array', description: 'Select multiple options', minItems: 1, maxItems: 3, items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
          titledMulti: { type: 'array', description: 'Select multiple options with titles', minItems: 1, maxItems: 3, items: { anyOf: [{ const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] } },
        }, required: [] } } } as any, ElicitResultSchema)
        return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`)
      }
      case 'json_schema_2020_12_tool': return text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(a)}`)
    }
    return { isError: true, ...text(`Unknown tool: ${req.params.name}`) }
  })
  s.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: RESOURCES }))
  s.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: [{ uriTemplate: 'test://template/{id}/data', name: 'Resource Template', description: 'A resource template with parameter substitution', mimeType: 'application/json' }] }))
  s.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const uri = req.params.uri
    if (uri === 'test://static-text') return { contents: [{ uri, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] }
    if (uri === 'test://static-binary') return { contents: [{ uri, mimeType: 'image/png', blob: PNG }] }
    if (uri === 'test://watched-resource') return { contents: [{ uri, mimeType: 'text/plain', text: 'Watched resource content' }] }
    const m = /^test:\/\/template\/([^/]+)\/data$/.exec(uri)
    if (m) return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify({ id: m[1], templateTest: true, data: `Data for ID: ${m[1]}` }) }] }
    throw Object.assign(new Error(`Resource not found: ${uri}`), { code: -32002 })
  })
  s.setRequestHandler(SubscribeRequestSchema, async () => ({}))
  s.setRequestHandler(UnsubscribeRequestSchema, async () => ({}))
  s.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS }))
  s.setRequestHandler(GetPromptRequestSchema, async (req) => {
    const a = req.params.arguments ?? {}
    switch (req.params.name) {
      case 'test_simple_prompt': return { messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }
      case 'test_prompt_with_arguments': return { messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${a.arg1}', arg2='${a.arg2}'` } }] }
      case 'test_prompt_with_embedded_resource': return { messages: [{ role: 'user', content: { type: 'resource', resource: { uri: a.resourceUri ?? '', mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } }, { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } }] }
      case 'test_prompt_with_image': return { messages: [{ role: 'user', content: { type: 'image', data: PNG, mimeType: 'image/png' } }, { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } }] }
    }
    throw Object.assign(new Error(`Unknown prompt: ${req.params.name}`), { code: -32602 })
  })
  s.setRequestHandler(SetLevelRequestSchema, async () => ({}))
  s.setRequestHandler(CompleteRequestSchema, async () => ({ completion: { values: [], total: 0, hasMore: false } }))
  void log
  return s
}

export interface ReferenceHandle { url: string; stop(): Promise<void> }

export async function startConformanceReference(): Promise<ReferenceHandle> {
  const sessions = new Map<string, StreamableHTTPServerTransport>()
  const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const sid = req.headers['mcp-session-id']
    let t = typeof sid === 'string' ? sessions.get(sid) : undefined
    if (!t) {
      if (typeof sid === 'string') return void res.writeHead(404).end()
      t = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => { sessions.set(id, t!) },
        enableDnsRebindingProtection: true,
        allowedHosts: [`127.0.0.1:${(http.address() as { port: number }).port}`, `localhost:${(http.address() as { port: number }).port}`],
      })
      t.onclose = () => { if (t!.sessionId) sessions.delete(t!.sessionId) }
      await build().connect(t)
    }
    await t.handleRequest(req, res)
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  const { port } = http.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async stop() {
      for (const t of sessions.values()) await t.close().catch(() => {})
      http.closeAllConnections()
      await new Promise<void>((r) => http.close(() => r()))
    },
  }
}
