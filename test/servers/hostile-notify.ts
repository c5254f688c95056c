/**
 * A hostile MCP server built on the SDKs that floods its answers with
 * notifications. It runs in a child process (so the gateway's memory and
 * event loop are measured alone) and serves three transports on one port:
 *
 * - `/mcp`: 2025 streamable HTTP with sessions (v1 SDK);
 * - `/sse` + `/messages`: the old HTTP+SSE transport (v1 SDK);
 * - `/modern`: 2026-07-28 and stateless 2025 (v2 SDK `createMcpHandler`).
 *
 * Tools:
 * - `flood {kind, count, forever?}`: sends `count` notifications tied to the
 *   call, then answers "survived"; with `forever`, keeps sending (yielding
 *   now and then) until the call is cancelled or the connection drops.
 *   `kind`: `list_changed` (`notifications/tools/list_changed`), `progress`
 *   (with the request's progress token, or a made-up one), `log`
 *   (`notifications/message`), `resource` (`notifications/resources/updated`),
 *   `unknown` (`notifications/x-flood`), `mixed` (all of these in turn).
 * - `echo {message}`: a plain answer.
 *
 *   const h = await startHostileNotify()   // h.url, h.sseUrl, h.modernUrl
 *   await h.stop()
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface HostileNotifyHandle {
  /** 2025 streamable HTTP with sessions. */
  url: string
  /** The old HTTP+SSE transport. */
  sseUrl: string
  /** 2026-07-28 (and stateless 2025). */
  modernUrl: string
  /** The child's pid, to read its own figures if needed. */
  pid: number
  stop(): Promise<void>
}

export const FLOOD_KINDS = ['list_changed', 'progress', 'log', 'resource', 'unknown', 'mixed'] as const
export type FloodKind = (typeof FLOOD_KINDS)[number]
/** Upper bound on `count`, so a typo cannot run away. */
const MAX_COUNT = 1_000_000

type Notify = (n: { method: string; params?: Record<string, unknown> }) => Promise<void> | void

function notificationOf(kind: FloodKind, i: number, token: string | number | undefined): { method: string; params?: Record<string, unknown> } {
  const k = kind === 'mixed' ? FLOOD_KINDS[i % 5]! : kind
  switch (k) {
    case 'list_changed': return { method: 'notifications/tools/list_changed' }
    case 'progress': return { method: 'notifications/progress', params: { progressToken: token ?? 'made-up', progress: i, total: 1_000_000, message: `step ${i}` } }
    case 'log': return { method: 'notifications/message', params: { level: 'info', data: `line ${i}` } }
    case 'resource': return { method: 'notifications/resources/updated', params: { uri: `test://r/${i}` } }
    default: return { method: 'notifications/x-flood', params: { i } }
  }
}

/** The flood itself: plain writes, with a pause every few thousand so the socket drains. */
async function flood(args: Record<string, unknown>, token: string | number | undefined, notify: Notify, signal: AbortSignal): Promise<{ content: { type: 'text'; text: string }[] }> {
  const kind = (FLOOD_KINDS as readonly string[]).includes(String(args.kind)) ? (args.kind as FloodKind) : 'list_changed'
  const count = Math.min(Math.max(0, Math.floor(Number(args.count) || 0)), MAX_COUNT)
  const forever = args.forever === true
  for (let i = 0; forever || i < count; i++) {
    if (signal.aborted) throw new Error('cancelled')
    void Promise.resolve(notify(notificationOf(kind, i, token))).catch(() => {})
    if (i % 2000 === 1999) await new Promise((r) => setImmediate(r))
  }
  return { content: [{ type: 'text', text: 'survived' }] }
}

const TOOLS = [
  { name: 'flood', description: 'Floods the answer with notifications', inputSchema: { type: 'object', properties: { kind: { type: 'string' }, count: { type: 'number' }, forever: { type: 'boolean' } } } },
  { name: 'echo', description: 'Echoes', inputSchema: { type: 'object', properties: { message: { type: 'string' } } } },
]

async function call(name: string, args: Record<string, unknown>, token: string | number | undefined, notify: Notify, signal: AbortSignal) {
  if (name === 'flood') return flood(args, token, notify, signal)
  return { content: [{ type: 'text' as const, text: `Echo: ${String(args.message ?? '')}` }] }
}

/** The child's side: serve all three transports on one loopback port, print it. */
async function serve(): Promise<void> {
  const { createServer } = await import('node:http')
  const { randomUUID } = await import('node:crypto')
  const { Server } = await import('@modelcontextprotocol/sdk/server/index.js')
  const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js')
  const { SSEServerTransport } = await import('@modelcontextprotocol/sdk/server/sse.js')
  const { CallToolRequestSchema, ListToolsRequestSchema, isInitializeRequest } = await import('@modelcontextprotocol/sdk/types.js')
  const v2 = await import('@modelcontextprotocol/server')
  const { toNodeHandler } = await import('@modelcontextprotocol/node')

  const legacyServer = () => {
    const s = new Server({ name: 'hostile-notify', version: '1.0.0' }, { capabilities: { tools: { listChanged: true }, logging: {}, resources: { subscribe: true } } })
    s.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS as any }))
    s.setRequestHandler(CallToolRequestSchema, (req, extra) =>
      call(req.params.name, req.params.arguments ?? {}, req.params._meta?.progressToken, (n) => extra.sendNotification(n as any), extra.signal) as any)
    return s
  }
  const modern = toNodeHandler(v2.createMcpHandler(() => {
    const s = new v2.Server({ name: 'hostile-notify-modern', version: '2.0.0' }, { capabilities: { tools: { listChanged: true }, logging: {}, resources: {} } })
    s.setRequestHandler('tools/list', () => ({ tools: TOOLS as any }))
    s.setRequestHandler('tools/call', (req, ctx) =>
      call(req.params.name, (req.params.arguments ?? {}) as Record<string, unknown>, ctx.mcpReq._meta?.progressToken as any, (n) => ctx.mcpReq.notify(n as any), ctx.mcpReq.signal))
    return s
  }))

  const sessions = new Map<string, InstanceType<typeof StreamableHTTPServerTransport>>()
  const sse = new Map<string, InstanceType<typeof SSEServerTransport>>()
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    try { return raw ? JSON.parse(raw) : undefined } catch { return undefined }
  }
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const body = req.method === 'POST' ? await readBody(req) : undefined
    if (url.pathname === '/modern') return modern(req, res, body)
    if (url.pathname === '/sse' && req.method === 'GET') {
      const t = new SSEServerTransport('/messages', res)
      sse.set(t.sessionId, t)
      res.on('close', () => sse.delete(t.sessionId))
      return legacyServer().connect(t)
    }
    if (url.pathname === '/messages' && req.method === 'POST') {
      const t = sse.get(url.searchParams.get('sessionId') ?? '')
      if (!t) { res.writeHead(404).end(); return }
      return t.handlePostMessage(req, res, body)
    }
    if (url.pathname !== '/mcp') { res.writeHead(404).end(); return }
    const sid = req.headers['mcp-session-id']
    if (typeof sid === 'string') {
      const t = sessions.get(sid)
      if (!t) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}'); return }
      return t.handleRequest(req, res, body)
    }
    if (req.method === 'POST' && isInitializeRequest(body)) {
      const t: InstanceType<typeof StreamableHTTPServerTransport> = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => { sessions.set(id, t) },
        onsessionclosed: (id) => { sessions.delete(id) },
      })
      await legacyServer().connect(t)
      return t.handleRequest(req, res, body)
    }
    res.writeHead(400).end()
  }
  const http = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) res.writeHead(500); res.end() })
  })
  http.listen(0, '127.0.0.1', () => {
    process.stdout.write(`port ${(http.address() as { port: number }).port}\n`)
  })
  // The parent going away takes the child with it.
  process.stdin.on('end', () => process.exit(0)).resume()
}

const live = new Set<ChildProcess>()
let hooked = false

/** Starts the hostile server in a child process on a free loopback port. */
export async function startHostileNotify(): Promise<HostileNotifyHandle> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] })
  live.add(child)
  if (!hooked) {
    hooked = true
    process.on('exit', () => { for (const c of live) try { c.kill('SIGKILL') } catch {} })
  }
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    const t = setTimeout(() => reject(new Error('hostile-notify did not start in 15 s')), 15_000)
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString()
      const m = /port (\d+)/.exec(out)
      if (m) { clearTimeout(t); resolve(Number(m[1])) }
    })
    child.once('exit', (code) => { clearTimeout(t); reject(new Error(`hostile-notify exited (${code})`)) })
  })
  const origin = `http://127.0.0.1:${port}`
  let stopping: Promise<void> | undefined
  return {
    url: `${origin}/mcp`,
    sseUrl: `${origin}/sse`,
    modernUrl: `${origin}/modern`,
    pid: child.pid!,
    stop: () => (stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => { live.delete(child); resolve() })
      child.kill('SIGKILL')
    })),
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'serve') void serve()
