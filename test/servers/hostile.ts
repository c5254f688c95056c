/**
 * A hostile MCP server, for test/hostile.test.ts. It runs in a process of its
 * own, so that its work (building 10 MB of notifications, streaming 256 MiB)
 * never stalls the gateway's event loop in the test process, and the test's
 * RSS figures are the gateway's.
 *
 * Plain node:http, no SDK: it does the handshake properly, 2025 (`initialize`)
 * or 2026-07-28 (`server/discover`), then misbehaves in one way, chosen by the
 * path: `/<era>/<mode>/mcp`. Every tools/call is the misbehaviour unless the
 * mode is about listing; see MODES.
 *
 * `startHostileServer()` forks it and reports what reached it over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'

export const MODES = {
  ok: 'a well-behaved server (the harness checks itself against it)',
  huge: 'a tools/call answer that is one SSE event of 256 MiB',
  slowloris: 'a tools/call answer that drips one byte of its SSE body every 100 ms, forever',
  slowheaders: 'a tools/call answer whose status line and headers drip one byte every 100 ms',
  garbage: 'a tools/call answer of garbage SSE frames: broken JSON, binary bytes, non-JSON-RPC, then the end',
  garbagejson: 'a tools/call answer that is truncated, binary "JSON"',
  wrongid: 'a tools/call answer whose responses carry ids the client never used',
  gzip: 'a tools/call answer with Content-Encoding: gzip that inflates to 1 GiB (about 1 MB on the wire)',
  tools10k: 'tools/list: 10,000 tools in pages of 1,000',
  cursor: 'tools/list: a nextCursor on every page, forever',
  flood: 'a tools/call answer of 100,000 notifications/tools/list_changed, then the result',
  progress: 'a tools/call answer of 80,000 progress notifications for its token, then the result',
  schema: 'tools/list: a tool whose inputSchema has 10,000 properties, each with its own pattern',
  redos: 'tools/list: a tool whose argument has {"pattern": "^(a+)+$"}',
  echo: 'a tools/call answered with a JSON-RPC error that quotes every request header',
  echoresult: 'a tools/call answered with a result whose text quotes every request header',
  deep: 'a tools/call result whose structuredContent nests 200,000 levels',
} as const

export type Mode = keyof typeof MODES
export type Era = 'legacy' | 'modern'

/** What the server tells the test: every request, and what it sent back where that is the point. */
export type HostileEvent =
  | { type: 'request'; era: Era; mode: Mode; method: string; headers: Record<string, string | string[] | undefined> }
  | { type: 'sent'; era: Era; mode: Mode; bytes: number }

export const HUGE_BYTES = 256 << 20
export const FLOOD = 100_000
export const PROGRESS = 80_000
export const TOOLS = 10_000
export const SCHEMA_PROPERTIES = 10_000
export const DEEP = 200_000
const DRIP_MS = 100
/** No drip outlives this, whatever the client does. */
const DRIP_CAP_MS = 60_000

// ---------------------------------------------------------------------------
// The server (child process)

const INFO = { name: 'hostile', version: '1.0.0' }
const CAPS = { tools: { listChanged: true } }

type Msg = { jsonrpc?: string; id?: string | number; method?: string; params?: Record<string, any> }

const report = (e: HostileEvent) => process.send?.(e)
const sse = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
const frame = (m: unknown) => `event: message\ndata: ${JSON.stringify(m)}\n\n`
const json = (res: ServerResponse, status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))

/** Writes `chunks()` with backpressure until done or the client goes away; returns the bytes written. */
async function pump(res: ServerResponse, chunks: Iterable<string | Buffer>): Promise<number> {
  let n = 0
  let closed = res.destroyed
  res.once('close', () => { closed = true })
  for (const c of chunks) {
    if (closed) break
    n += c.length
    if (!res.write(c)) await new Promise<void>((resolve) => {
      const go = () => { res.off('drain', go).off('close', go); resolve() }
      res.on('drain', go).on('close', go)
    })
  }
  return n
}

/** Writes `bytes` one at a time, every DRIP_MS, until the client goes away (or DRIP_CAP_MS). */
function drip(write: (s: string) => void, isClosed: () => boolean, onClose: (f: () => void) => void, text: () => string) {
  const t0 = Date.now()
  let i = 0
  const timer = setInterval(() => {
    if (isClosed() || Date.now() - t0 > DRIP_CAP_MS) return clearInterval(timer)
    const s = text()
    write(s[i++ % s.length]!)
  }, DRIP_MS)
  onClose(() => clearInterval(timer))
}

let bomb: Buffer | undefined
/** 1 GiB of JSON string content as 1,024 gzip members of 1 MiB each (gzip allows concatenated members). */
function gzipBomb(id: Msg['id']): Buffer {
  bomb ??= Buffer.concat(Array.from({ length: 1024 }, (() => { const m = gzipSync(Buffer.alloc(1 << 20, 'x'), { level: 9 }); return () => m })()))
  const head = gzipSync(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"`)
  return Buffer.concat([head, bomb, gzipSync('"}]}}')])
}

function tools(mode: Mode, cursor: string | undefined): { tools: unknown[]; nextCursor?: string } {
  const plain = (name: string) => ({ name, description: name, inputSchema: { type: 'object', properties: { a: { type: 'string' } } } })
  if (mode === 'tools10k') {
    const from = Number(cursor ?? 0)
    const page = Array.from({ length: Math.min(1000, TOOLS - from) }, (_, i) => plain(`tool_${from + i}`))
    return from + 1000 < TOOLS ? { tools: page, nextCursor: String(from + 1000) } : { tools: page }
  }
  if (mode === 'cursor') return { tools: [plain(`page_${cursor ?? 0}`)], nextCursor: String(Number(cursor ?? 0) + 1) }
  if (mode === 'schema') {
    const properties = Object.fromEntries(Array.from({ length: SCHEMA_PROPERTIES }, (_, i) => [`p${i}`, { type: 'string', pattern: `^p${i}-[a-z]+(-[0-9]+)*$` }]))
    return { tools: [{ name: 'go', description: 'giant schema', inputSchema: { type: 'object', properties } }] }
  }
  if (mode === 'redos') return { tools: [{ name: 'go', description: 'ReDoS', inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } }, required: ['s'] } }] }
  return { tools: [{ name: 'go', description: MODES[mode], inputSchema: { type: 'object' } }] }
}

/** The misbehaviour of a tools/call. */
async function call(mode: Mode, era: Era, m: Msg, req: IncomingMessage, res: ServerResponse, result: (r: Record<string, unknown>) => unknown) {
  const id = m.id!
  const done = result({ content: [{ type: 'text', text: 'done' }] })
  switch (mode) {
    case 'huge': {
      sse(res)
      res.write(`event: message\ndata: {"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"`)
      const chunk = Buffer.alloc(64 << 10, 'x')
      const bytes = await pump(res, (function* () { for (let n = 0; n < HUGE_BYTES; n += chunk.length) yield chunk })())
      report({ type: 'sent', era, mode, bytes })
      return void res.end('"}]}}\n\n')
    }
    case 'slowloris':
      sse(res)
      res.flushHeaders()
      return drip((s) => res.write(s), () => res.destroyed, (f) => res.on('close', f), () => ': still here\n')
    case 'slowheaders': {
      // Bypass the response object: the bytes of the status line itself trickle out.
      const s = req.socket
      return drip((c) => s.write(c), () => s.destroyed, (f) => s.on('close', f), () => 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Pad: ' + 'x'.repeat(1000) + '\r\n\r\n')
    }
    case 'garbage':
      sse(res)
      res.write('data: {not json\n\n')
      res.write('event: message\ndata: [1,2\n\n')
      res.write(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a, 0x0a]))
      res.write('data: {"jsonrpc":"1.0","result":1}\n\n')
      res.write(`data: ${'garbage '.repeat(2000)}\n\n`)
      return void res.end('event: message\ndata: null\n\n')
    case 'garbagejson':
      res.writeHead(200, { 'content-type': 'application/json' })
      return void res.end(Buffer.concat([Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[`), Buffer.from([0xff, 0x00, 0xc3])]))
    case 'wrongid':
      sse(res)
      res.write(frame({ jsonrpc: '2.0', id: typeof id === 'number' ? id + 1000 : `${id}x`, result: (done as { result: unknown }).result }))
      res.write(frame({ jsonrpc: '2.0', id: `not-${id}`, result: (done as { result: unknown }).result }))
      return void res.end(frame({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'no id at all' } }))
    case 'gzip':
      return void res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipBomb(id))
    case 'flood': {
      sse(res)
      const note = `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })}\n\n`
      const batch = note.repeat(1000)
      const bytes = await pump(res, (function* () { for (let i = 0; i < FLOOD / 1000; i++) yield batch })())
      report({ type: 'sent', era, mode, bytes })
      return void res.end(frame(done))
    }
    case 'progress': {
      sse(res)
      const token = JSON.stringify(m.params?._meta?.progressToken ?? 0)
      const bytes = await pump(res, (function* () {
        for (let i = 0; i < PROGRESS; i += 1000) {
          let s = ''
          for (let j = i; j < i + 1000; j++) s += `data: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":${token},"progress":${j}}}\n\n`
          yield s
        }
      })())
      report({ type: 'sent', era, mode, bytes })
      return void res.end(frame(done))
    }
    case 'echo':
    case 'echoresult': {
      const quoted = JSON.stringify(req.headers)
      if (mode === 'echo') return json(res, 200, { jsonrpc: '2.0', id, error: { code: -32000, message: `bad request; you sent ${quoted}` } })
      return json(res, 200, result({ content: [{ type: 'text', text: `you sent ${quoted}` }] }))
    }
    case 'deep': {
      res.writeHead(200, { 'content-type': 'application/json' })
      const r = JSON.stringify(result({ content: [{ type: 'text', text: 'deep' }], structuredContent: { deep: '@' } }))
      return void res.end(r.replace('"@"', () => '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP)))
    }
    default:
      return json(res, 200, done)
  }
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = /^\/(legacy|modern)\/([a-z0-9]+)\/mcp$/.exec(new URL(req.url ?? '/', 'http://x').pathname)
  if (!path || !(path[2]! in MODES)) return json(res, 404, { error: 'not found' })
  const era = path[1] as Era
  const mode = path[2] as Mode
  // No standalone stream, and sessions end by themselves.
  if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end()
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  let m: Msg
  try {
    m = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    return json(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })
  }
  report({ type: 'request', era, mode, method: String(m.method ?? 'response'), headers: req.headers })
  if (m.id === undefined || m.method === undefined) return void res.writeHead(202).end()
  const result = (r: Record<string, unknown>) => ({ jsonrpc: '2.0', id: m.id, result: era === 'modern' ? { ...r, resultType: 'complete', _meta: { 'io.modelcontextprotocol/serverInfo': INFO } } : r })
  switch (m.method) {
    case 'server/discover':
      if (era === 'legacy') return json(res, 200, { jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } })
      return json(res, 200, result({ supportedVersions: ['2026-07-28'], capabilities: CAPS, ttlMs: 0, cacheScope: 'private' }))
    case 'initialize':
      return json(res, 200, result({ protocolVersion: m.params?.protocolVersion ?? '2025-11-25', capabilities: CAPS, serverInfo: INFO }))
    case 'ping':
      return json(res, 200, result({}))
    case 'tools/list':
      return json(res, 200, result(tools(mode, m.params?.cursor)))
    case 'tools/call':
      return call(mode, era, m, req, res, result)
    default:
      return json(res, 200, { jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } })
  }
}

function serve(): void {
  const server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()))
  server.listen(0, '127.0.0.1', () => process.send!({ type: 'listening', port: (server.address() as { port: number }).port }))
  // The test process went away: so do we.
  process.on('disconnect', () => process.exit(0))
}

if (process.argv[2] === '--serve' && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) serve()

// ---------------------------------------------------------------------------
// The handle (test process)

export interface HostileServer {
  url(mode: Mode, era?: Era): string
  /** Every event so far, in order. */
  events: HostileEvent[]
  /** Resolves with the first event (past or future) that `match` accepts; rejects after `ms`. */
  waitFor(match: (e: HostileEvent) => boolean, ms?: number): Promise<HostileEvent>
  child: ChildProcess
  /** Kills the server process and waits until it is gone. */
  stop(): Promise<void>
}

export async function startHostileServer(): Promise<HostileServer> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const kill = () => child.kill('SIGKILL')
  process.once('exit', kill)
  const events: HostileEvent[] = []
  const waiters = new Set<{ match: (e: HostileEvent) => boolean; resolve: (e: HostileEvent) => void }>()
  const [hello] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => { throw new Error('the hostile server exited on start') })])) as [{ port: number }]
  child.on('message', (e: HostileEvent) => {
    events.push(e)
    for (const w of waiters) if (w.match(e)) { waiters.delete(w); w.resolve(e) }
  })
  const origin = `http://127.0.0.1:${hello.port}`
  return {
    url: (mode, era = 'legacy') => `${origin}/${era}/${mode}/mcp`,
    events,
    child,
    waitFor(match, ms = 10_000) {
      const seen = events.find(match)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (e: HostileEvent) => { clearTimeout(t); resolve(e) } }
        const t = setTimeout(() => { waiters.delete(w); reject(new Error(`no such event from the hostile server within ${ms} ms`)) }, ms)
        waiters.add(w)
      })
    },
    async stop() {
      process.off('exit', kill)
      if (child.exitCode !== null || child.signalCode !== null) return
      const gone = once(child, 'exit')
      child.kill('SIGTERM')
      const t = setTimeout(kill, 2000)
      await gone
      clearTimeout(t)
    },
  }
}
