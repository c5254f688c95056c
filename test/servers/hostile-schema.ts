/**
 * An in-process MCP server (v2 SDK, `createMcpHandler`, both eras) whose tool
 * definitions and results attack the gateway's validation and serialisation:
 * giant and over-limit input schemas, ReDoS patterns in input and output
 * schemas, a schema that is slow to compile although within every static
 * limit, and results nested far deeper than JSON.stringify can recurse.
 *
 * It never validates anything itself (the low-level `Server` does not compile
 * schemas, so nothing hostile runs in this process): every call that reaches
 * it answers `reached: <tool>`, which is how tests see that the gateway let a
 * call through unvalidated. A prompt `deep` answers a message nested as deep
 * as the results. Values too deep to serialise are spliced into the
 * SDK's response text in place of a marker string.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createMcpHandler, Server } from '@modelcontextprotocol/server'
import { readBody, record, sendJson, serveLoopback, type RecordedRequest, type TestServerHandle } from './tools.js'

type Schema = Record<string, unknown>

/** `depth` levels of `{"a": ...}` around `1`, as JSON text (the value itself could not be stringified). */
export const deepJson = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

/** A value nested `depth` levels deep (objects and arrays alternating), built without recursion. */
export function nested(depth: number): unknown {
  let v: unknown = 'leaf'
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
  return v
}

/** The schema: 10,000 properties, each with its own pattern (46 s of ajv on the event loop). */
export function giantSchema(n = 10_000): Schema {
  const properties: Schema = {}
  for (let i = 0; i < n; i++) properties[`p${i}`] = { type: 'string', pattern: `^[a-z]{1,8}${i}$` }
  return { type: 'object', properties }
}

/** Within every static limit (one property, no pattern, 238 KB) yet 8 s of ajv compilation on this machine. */
export function slowSchema(items = 17_000): Schema {
  return { type: 'object', properties: { list: { type: 'array', prefixItems: Array.from({ length: items }, () => ({ minimum: 1 })) } } }
}

const REDOS = '^(a+)+$'
/** 30 `a`s and a `!`: about 2^30 backtracking steps for `^(a+)+$`. */
export const REDOS_INPUT = 'a'.repeat(30) + '!'

function deepSchema(levels: number): Schema {
  let s: Schema = { type: 'string' }
  for (let i = 0; i < levels; i++) s = { type: 'object', properties: { a: s } }
  return { type: 'object', properties: { a: s } }
}

function manyProperties(n: number, pattern?: (i: number) => string): Schema {
  const properties: Schema = {}
  for (let i = 0; i < n; i++) properties[`p${i}`] = pattern ? { type: 'string', pattern: pattern(i) } : { type: 'string' }
  return { type: 'object', properties }
}

export interface HostileTool {
  name: string
  inputSchema: Schema
  outputSchema?: Schema
}

/** Every tool, by the limit or attack it exercises. Each input schema requires `must` (a string), so skipping validation is visible. */
export const HOSTILE_TOOLS: HostileTool[] = [
  { name: 'plain', inputSchema: { type: 'object', properties: { must: { type: 'string', pattern: '^[a-z]+$' } }, required: ['must'] } },
  { name: 'any', inputSchema: { type: 'object' } },
  { name: 'giant', inputSchema: { ...giantSchema(), required: ['must'] } },
  { name: 'slow', inputSchema: { ...slowSchema(), required: ['must'] } },
  { name: 'redos', inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: REDOS } }, required: ['s'] } },
  { name: 'redos_keys', inputSchema: { type: 'object', patternProperties: { [REDOS]: { type: 'string' } }, additionalProperties: false } },
  {
    name: 'redos_out',
    inputSchema: { type: 'object' },
    outputSchema: { type: 'object', properties: { s: { type: 'string', pattern: REDOS } }, required: ['s'] },
  },
  // One over each static limit, and within all the others.
  { name: 'over_size', inputSchema: { type: 'object', description: 'x'.repeat(300 * 1024), required: ['must'] } },
  { name: 'over_properties', inputSchema: { ...manyProperties(1001), required: ['must'] } },
  { name: 'over_depth', inputSchema: { ...deepSchema(40), required: ['must'] } },
  { name: 'over_pattern_length', inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: `^${'a'.repeat(1001)}$` } }, required: ['must'] } },
  { name: 'over_patterns', inputSchema: { ...manyProperties(129, (i) => `^x${i}$`), required: ['must'] } },
  // RE2 cannot run these: lookahead (seen in the listing), and a repeat count over 1000 (found when compiling).
  { name: 'lookahead', inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: '^(?=a)a$' } }, required: ['must'] } },
  { name: 'big_repeat', inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: '^a{2000}$' } }, required: ['must'] } },
  // Results too deep to serialise: structuredContent, or a content block's _meta.
  { name: 'deep_result', inputSchema: { type: 'object' } },
  { name: 'deep_content', inputSchema: { type: 'object' } },
]

const DEEP = '__DEEP_VALUE__'

export interface HostileSchemaOptions {
  /** Nesting of the deep results (default 200,000). */
  resultDepth?: number
  /** Adds a tool `deep_schema` whose input schema is nested this deep (breaks the listing, by design). */
  schemaDepth?: number
}

export async function startHostileSchemaServer(o: HostileSchemaOptions = {}): Promise<TestServerHandle> {
  const requests: RecordedRequest[] = []
  const tools: HostileTool[] = [...HOSTILE_TOOLS]
  if (o.schemaDepth) tools.push({ name: 'deep_schema', inputSchema: { type: 'object', properties: { a: DEEP as unknown as Schema } } })
  const deep = { result: deepJson(o.resultDepth ?? 200_000), schema: o.schemaDepth ? deepJson(o.schemaDepth) : '' }

  const handler = createMcpHandler(() => {
    const server = new Server({ name: 'hostile-schema', version: '1.0.0' }, { capabilities: { tools: {}, prompts: {} } })
    server.setRequestHandler('prompts/list', () => ({ prompts: [{ name: 'deep' }] }))
    server.setRequestHandler('prompts/get', () => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text: 'deep', _meta: { v: DEEP } } }] }))
    server.setRequestHandler('tools/list', () => ({ tools: tools.map((t) => ({ description: t.name, ...t })) as any }))
    server.setRequestHandler('tools/call', (req) => {
      const name = req.params.name
      if (name === 'deep_result') return { content: [{ type: 'text' as const, text: 'deep' }], structuredContent: { v: DEEP } }
      if (name === 'deep_content') return { content: [{ type: 'text' as const, text: 'deep', _meta: { v: DEEP } }] }
      if (name === 'redos_out') return { content: [{ type: 'text' as const, text: 'out' }], structuredContent: { s: REDOS_INPUT } }
      return { content: [{ type: 'text' as const, text: `reached: ${name}` }] }
    })
    return server
  })

  let origin = ''
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin)
    let raw = ''
    let body: unknown
    if (req.method === 'POST') {
      const b = await readBody(req)
      if (b.tooLarge) return sendJson(res, 413, { error: 'payload too large' })
      raw = b.raw
      body = b.json
    }
    record(requests, req, body)
    if (url.pathname !== '/mcp') return sendJson(res, 404, { error: 'not found' })
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
    const response = await handler.fetch(
      new Request(url, { method: req.method, headers, ...(req.method === 'POST' ? { body: raw } : {}) }),
      body !== undefined ? { parsedBody: body } : undefined,
    )
    const out: Record<string, string> = {}
    response.headers.forEach((v, k) => { if (k !== 'content-length') out[k] = v })
    // Whole answers only (this server never streams): splice the deep values in.
    let text = await response.text()
    if (text.includes(DEEP)) {
      const tool = JSON.stringify(body).includes('"tools/list"') ? deep.schema : deep.result
      text = text.split(JSON.stringify(DEEP)).join(tool)
    }
    res.writeHead(response.status, out)
    res.end(text)
  }

  const srv = await serveLoopback(handle, () => handler.close())
  origin = srv.origin
  return { url: `${origin}/mcp`, port: srv.port, requests, reset() { requests.length = 0 }, stop: srv.stop }
}
