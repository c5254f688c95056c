/**
 * SDK-neutral behaviour shared by the two in-process test MCP servers
 * (`legacy.ts` on the v1 SDK, `modern.ts` on the v2 SDK), plus the node:http
 * plumbing both wrap around their transports (body parsing, request recording,
 * the bearer wall, the `drop` tool).
 *
 * Nothing here imports an MCP SDK: tools, resources and prompts are plain JSON
 * shapes, and each server adapts its SDK's handler context to `ToolContext` and
 * maps `ToolRpcError` onto its SDK's JSON-RPC error class.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const PAGE_SIZE = 50
/** Upper bounds so a test typo cannot hang or exhaust the process. */
export const SLOW_CAP_MS = 120_000
export const BIG_CAP_BYTES = 64 * 1024 * 1024
export const PROGRESS_CAP_STEPS = 1000

/** What reached the upstream, one entry per HTTP request (recorded before any auth check). */
export interface RecordedRequest {
  /** HTTP method. */
  method: string
  /** Path including the query string, e.g. `/mcp` or `/messages?sessionId=...`. */
  path: string
  /** JSON-RPC methods in the POST body (batch-aware); responses/unparseable bodies contribute nothing. */
  jsonrpcMethods: string[]
  /** Lower-cased header map (multi-valued headers joined with ', '). */
  headers: Record<string, string>
  /** The parsed JSON body of a POST, when it parsed. */
  body?: unknown
}

export interface ServerOptions {
  /** Any request without `Authorization: Bearer <requireBearer>` gets 401 + WWW-Authenticate. */
  requireBearer?: string
  /** Adds N extra trivial tools `t001..tNNN`; tools/list is paginated by `PAGE_SIZE` anyway. */
  toolCount?: number
  /** 2026-07-28 only: the `ttlMs` cache hint on tools/list (the SDK's default is 0, "immediately stale"). */
  toolsTtlMs?: number
  /** Legacy only: answer `initialize` with this revision (e.g. 2025-06-18, 2025-03-26) whatever the client asks. */
  protocolVersion?: string
}

export interface TestServerHandle {
  /** The streamable HTTP endpoint, `http://127.0.0.1:PORT/mcp`. */
  url: string
  port: number
  /** Live array: cleared in place by `reset()`, so a reference stays valid. */
  requests: RecordedRequest[]
  stop(): Promise<void>
  reset(): void
}

/** A JSON-RPC error the tool wants on the wire; each server rethrows it as its SDK's error class. */
export class ToolRpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message)
    this.name = 'ToolRpcError'
  }
}

export const DELIBERATE_ERROR_CODE = -32001
export const INVALID_PARAMS = -32602

// ---------------------------------------------------------------------------
// Tools

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json }

export interface ToolDef {
  name: string
  description: string
  inputSchema: { type: 'object'; properties?: Record<string, Json>; required?: string[]; additionalProperties?: boolean }
  outputSchema?: { type: 'object'; properties?: Record<string, Json>; required?: string[] }
}

export interface TextContent { type: 'text'; text: string }
export interface ToolResult {
  content: TextContent[]
  structuredContent?: Record<string, unknown>
  isError?: boolean
}

/** MCP's logging levels, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
/** Whether a message at `level` is below the `threshold` the client set (none set: nothing is). */
export const belowLevel = (level: LogLevel, threshold: LogLevel | undefined) => threshold !== undefined && LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(threshold)

/** The SDK-specific bits a tool needs, adapted by each server. */
export interface ToolContext {
  signal: AbortSignal
  /** Sends notifications/progress when the request carried a progressToken; no-op otherwise. */
  progress(progress: number, total: number, message: string): Promise<void>
  /** Sends notifications/message (logging), unless the client asked for a higher level. */
  log(level: LogLevel, data: unknown): Promise<void>
}

const BASE_TOOLS: ToolDef[] = [
  {
    name: 'echo',
    description: 'Echoes the message back',
    inputSchema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'], additionalProperties: false },
  },
  {
    name: 'add',
    description: 'Adds two numbers',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false },
    outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] },
  },
  { name: 'fail', description: 'Returns a tool result with isError: true', inputSchema: { type: 'object', properties: {} } },
  { name: 'rpc_error', description: `Answers with a JSON-RPC error (${DELIBERATE_ERROR_CODE} "deliberate failure")`, inputSchema: { type: 'object', properties: {} } },
  {
    name: 'slow',
    description: `Waits ms (capped at ${SLOW_CAP_MS}) then returns "done"; aborts with the request`,
    inputSchema: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] },
  },
  {
    name: 'big',
    description: `Returns a text content of that many "x" characters (capped at ${BIG_CAP_BYTES})`,
    inputSchema: { type: 'object', properties: { bytes: { type: 'number' } }, required: ['bytes'] },
  },
  { name: 'drop', description: 'The server destroys the HTTP connection mid-stream', inputSchema: { type: 'object', properties: {} } },
  {
    name: 'progress',
    description: 'Sends `steps` progress notifications and one log message, then returns "finished"',
    inputSchema: { type: 'object', properties: { steps: { type: 'number' } }, required: ['steps'] },
  },
  { name: 'levels', description: 'Sends one log message at each of debug, info, warning and error, then returns "logged"', inputSchema: { type: 'object', properties: {} } },
]

export const BASE_TOOL_NAMES = BASE_TOOLS.map((t) => t.name)

export function extraToolName(i: number): string {
  return `t${String(i).padStart(3, '0')}`
}

export function toolDefinitions(toolCount = 0): ToolDef[] {
  const extra: ToolDef[] = []
  for (let i = 1; i <= toolCount; i++) {
    extra.push({ name: extraToolName(i), description: `Trivial tool ${i}`, inputSchema: { type: 'object', properties: {} } })
  }
  return [...BASE_TOOLS, ...extra]
}

/** One page of tools/list. The cursor is the decimal offset; anything else is invalid params. */
export function listToolsPage(all: ToolDef[], cursor: string | undefined): { tools: ToolDef[]; nextCursor?: string } {
  let offset = 0
  if (cursor !== undefined) {
    offset = /^\d+$/.test(cursor) ? Number(cursor) : NaN
    if (!Number.isSafeInteger(offset) || offset > all.length) throw new ToolRpcError(INVALID_PARAMS, `invalid cursor: ${cursor}`)
  }
  const tools = all.slice(offset, offset + PAGE_SIZE)
  const next = offset + PAGE_SIZE
  return next < all.length ? { tools, nextCursor: String(next) } : { tools }
}

const text = (t: string): TextContent => ({ type: 'text', text: t })
const invalid = (msg: string): ToolResult => ({ content: [text(`Invalid arguments: ${msg}`)], isError: true })

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error('aborted'))
    const onAbort = () => { clearTimeout(t); reject(signal.reason ?? new Error('aborted')) }
    const t = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve() }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs a tool. Returns a CallToolResult-shaped object or throws `ToolRpcError`.
 * `drop` never gets here over streamable HTTP (the http wrapper intercepts it);
 * if it does (e.g. a transport the wrapper cannot see), `onDrop` is called.
 */
export async function callTool(
  all: ToolDef[],
  name: string,
  args: Record<string, unknown> | undefined,
  ctx: ToolContext,
  onDrop?: () => void,
): Promise<ToolResult> {
  const a = args ?? {}
  switch (name) {
    case 'echo': {
      if (typeof a.message !== 'string') return invalid('message must be a string')
      const extra = Object.keys(a).filter((k) => k !== 'message')
      if (extra.length) return invalid(`unexpected properties: ${extra.join(', ')}`)
      return { content: [text(`Echo: ${a.message}`)] }
    }
    case 'add': {
      if (typeof a.a !== 'number' || typeof a.b !== 'number') return invalid('a and b must be numbers')
      const sum = a.a + a.b
      return { content: [text(JSON.stringify({ sum }))], structuredContent: { sum } }
    }
    case 'fail':
      return { content: [text('it failed')], isError: true }
    case 'rpc_error':
      throw new ToolRpcError(DELIBERATE_ERROR_CODE, 'deliberate failure')
    case 'slow': {
      const ms = typeof a.ms === 'number' && a.ms > 0 ? Math.min(a.ms, SLOW_CAP_MS) : 0
      await sleep(ms, ctx.signal)
      return { content: [text('done')] }
    }
    case 'big': {
      const n = typeof a.bytes === 'number' && a.bytes > 0 ? Math.min(Math.floor(a.bytes), BIG_CAP_BYTES) : 0
      return { content: [text('x'.repeat(n))] }
    }
    case 'drop':
      onDrop?.()
      // If nothing could drop the connection, fail loudly instead of pretending.
      throw new ToolRpcError(-32603, 'drop: no connection to destroy')
    case 'progress': {
      const steps = typeof a.steps === 'number' && a.steps > 0 ? Math.min(Math.floor(a.steps), PROGRESS_CAP_STEPS) : 0
      await ctx.log('info', 'working')
      for (let i = 1; i <= steps; i++) {
        await sleep(10, ctx.signal)
        await ctx.progress(i, steps, `step ${i}`)
      }
      return { content: [text('finished')] }
    }
    case 'levels':
      for (const level of ['debug', 'info', 'warning', 'error'] as const) await ctx.log(level, `a ${level} line`)
      return { content: [text('logged')] }
    default:
      if (all.some((t) => t.name === name)) return { content: [text(name)] }
      throw new ToolRpcError(INVALID_PARAMS, `Unknown tool: ${name}`)
  }
}

// ---------------------------------------------------------------------------
// Resources and prompts

export const RESOURCES = [
  { uri: 'test://hello', name: 'hello', mimeType: 'text/plain' },
  { uri: 'test://goodbye', name: 'goodbye', mimeType: 'text/plain' },
]
const RESOURCE_TEXT: Record<string, string> = { 'test://hello': 'hello world', 'test://goodbye': 'goodbye world' }

export function readResource(uri: string): { contents: { uri: string; mimeType: string; text: string }[] } {
  const t = RESOURCE_TEXT[uri]
  if (t === undefined) throw new ToolRpcError(INVALID_PARAMS, `Resource not found: ${uri}`, { uri })
  return { contents: [{ uri, mimeType: 'text/plain', text: t }] }
}

export const PROMPTS = [
  { name: 'greet', description: 'Greets someone', arguments: [{ name: 'name', description: 'Who to greet', required: true }] },
]

/** completion/complete: names for greet's `name` argument; any other reference is unknown (invalid params). */
export function complete(ref: { type: string; name?: string; uri?: string }, argument: { name: string; value: string }): { completion: { values: string[]; total: number; hasMore: boolean } } {
  if (ref.type !== 'ref/prompt' || ref.name !== 'greet') throw new ToolRpcError(INVALID_PARAMS, `Unknown reference: ${ref.name ?? ref.uri}`)
  const values = argument.name === 'name' ? ['Ann', 'Anna', 'Bob'].filter((n) => n.startsWith(argument.value)) : []
  return { completion: { values, total: values.length, hasMore: false } }
}

export function getPrompt(name: string, args: Record<string, string> | undefined): {
  messages: { role: 'user'; content: TextContent }[]
} {
  if (name !== 'greet') throw new ToolRpcError(INVALID_PARAMS, `Unknown prompt: ${name}`)
  return { messages: [{ role: 'user', content: text(`Hello, ${args?.name ?? 'stranger'}!`) }] }
}

// ---------------------------------------------------------------------------
// node:http plumbing shared by both servers

const MAX_BODY = 8 * 1024 * 1024

/** Reads the whole request body (bounded). Returns the raw text; `json` is undefined when it does not parse. */
export async function readBody(req: IncomingMessage): Promise<{ raw: string; json: unknown; tooLarge: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY) return { raw: '', json: undefined, tooLarge: true }
    chunks.push(c as Buffer)
  }
  const raw = Buffer.concat(chunks).toString('utf8')
  let json: unknown
  try { json = raw ? JSON.parse(raw) : undefined } catch { json = undefined }
  return { raw, json, tooLarge: false }
}

function messages(body: unknown): Record<string, unknown>[] {
  const arr = Array.isArray(body) ? body : [body]
  return arr.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
}

export function jsonrpcMethods(body: unknown): string[] {
  return messages(body).flatMap((m) => (typeof m.method === 'string' ? [m.method] : []))
}

export function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  }
  return out
}

export function record(requests: RecordedRequest[], req: IncomingMessage, body?: unknown): void {
  requests.push({
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    jsonrpcMethods: jsonrpcMethods(body),
    headers: lowerHeaders(req),
    ...(body !== undefined ? { body } : {}),
  })
}

/** Answers 401 and returns false when the bearer wall is up and the request does not carry the token. */
export function checkBearer(req: IncomingMessage, res: ServerResponse, opts: ServerOptions, origin: string): boolean {
  if (opts.requireBearer === undefined) return true
  if (req.headers.authorization === `Bearer ${opts.requireBearer}`) return true
  res.writeHead(401, {
    'content-type': 'application/json',
    'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource"`,
  })
  res.end(JSON.stringify({ error: 'invalid_token', error_description: 'missing or wrong bearer token' }))
  return false
}

/** True when the body is a `tools/call` of the `drop` tool. */
export function isDropCall(body: unknown): boolean {
  return messages(body).some((m) => m.method === 'tools/call' && (m.params as { name?: unknown } | undefined)?.name === 'drop')
}

/**
 * Simulates the server dropping the connection mid-stream: sends 200 with SSE
 * headers (and a comment frame, so the client is committed to reading a stream),
 * then destroys the socket without ever sending a response.
 */
export function dropConnection(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  res.write(': dropping\n\n')
  setTimeout(() => res.socket?.destroy(), 20)
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) { res.end(); return }
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/**
 * Serves `handle` on 127.0.0.1, port 0. A handler that throws answers 500 (or
 * drops the connection once headers are out). `stop` is idempotent: it runs
 * `beforeClose` (the SDK side), then closes the server and every connection.
 */
export async function serveLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  beforeClose: () => Promise<unknown> = async () => {},
): Promise<{ port: number; origin: string; stop(): Promise<void> }> {
  const http = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String((e as Error)?.message ?? e) })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(0, '127.0.0.1', () => { http.off('error', reject); resolve() })
  })
  const port = (http.address() as AddressInfo).port
  let stopped: Promise<void> | undefined
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= (async () => {
        await beforeClose().catch(() => {})
        await new Promise<void>((resolve) => {
          http.close(() => resolve())
          http.closeAllConnections()
        })
      })()
      return stopped
    },
  }
}
