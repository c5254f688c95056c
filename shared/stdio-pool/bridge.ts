/**
 * Each pooled stdio server as a stateless streamable-HTTP MCP endpoint (2025
 * era, no Mcp-Session-Id), so the gateway reaches stdio servers on the same
 * client path as every other server. What to run comes in `X-Stdio-Spec`
 * (./spec.ts) and is re-checked against the pool's own catalog: the caller's
 * word is never taken for a command.
 */
import { header, type Ctx, type Reply } from '../http.js'
import { AppError, problem } from '../errors.js'
import { SseWriter } from '../sse.js'
import { checkChoice } from '../stdio/catalog.js'
import type { Pool } from './manager.js'
import { parseSpec, SPEC_HEADER, type PoolSpec } from './spec.js'
import type { Msg } from './process.js'
import { poolOf } from './instance.js'
import { registerSecrets } from '../log.js'

/** Deeper JSON than the gateway ever sends; serialising it for the process would overflow the stack. */
const MAX_DEPTH = 1000

/** True when `v` nests objects and arrays deeper than `max` (iterative: no stack to overflow). */
function tooDeep(v: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[v, 0]]
  while (stack.length) {
    const [x, d] = stack.pop()!
    if (typeof x !== 'object' || x === null) continue
    if (d >= max) return true
    for (const c of Object.values(x)) if (typeof c === 'object' && c !== null) stack.push([c, d + 1])
  }
  return false
}

const rpcError = (id: Msg['id'], code: number, message: string, data?: unknown): Msg => ({ jsonrpc: '2.0', id: id ?? null as any, error: { code, message, ...(data ? { data } : {}) } })

function message(body: unknown): Msg {
  if (Array.isArray(body)) throw new AppError('invalid_request', 'JSON-RPC batches are not supported.')
  const m = body as Msg
  if (!m || typeof m !== 'object' || m.jsonrpc !== '2.0') throw new AppError('invalid_request', 'The body must be one JSON-RPC 2.0 message.')
  if (m.method !== undefined && (typeof m.method !== 'string' || m.method.length > 256)) throw new AppError('invalid_request', 'Bad JSON-RPC method.')
  if (m.id !== undefined && typeof m.id !== 'string' && typeof m.id !== 'number') throw new AppError('invalid_request', 'Bad JSON-RPC id.')
  if (m.params !== undefined && (typeof m.params !== 'object' || m.params === null)) throw new AppError('invalid_request', 'Bad JSON-RPC params.')
  if (tooDeep(m.params, MAX_DEPTH)) throw new AppError('invalid_request', `JSON-RPC params may nest at most ${MAX_DEPTH} levels.`)
  return m
}

/** POST /api/v1/pool/mcp, after the service token was verified. */
export async function poolMcp(c: Ctx): Promise<Reply | null> {
  const { pool, catalog } = await poolOf(c.deps)
  const spec = parseSpec(header(c.req, SPEC_HEADER), (choice) => checkChoice(catalog, choice))
  // The user's env values (secrets among them): masked in what this request writes and logs.
  registerSecrets(Object.values(spec.choice.env))
  const m = message(await c.body())
  const json = (body: Msg): Reply => ({ status: 200, body })
  if (m.method === undefined) return { status: 202 } // a response to a server request we never forward
  if (m.id === undefined) {
    if (m.method === 'notifications/cancelled' && m.params?.requestId !== undefined)
      pool.cancel(spec, m.params.requestId, typeof m.params.reason === 'string' ? m.params.reason.slice(0, 200) : undefined)
    return { status: 202 } // notifications/initialized included: the pool did the handshake itself
  }
  if (m.method === 'server/discover') return json(rpcError(m.id, -32601, 'Method not found'))
  if (m.method === 'initialize') return json({ jsonrpc: '2.0', id: m.id, result: await pool.initialize(spec) })
  if (!(header(c.req, 'accept') ?? '').includes('text/event-stream')) return json(await pool.request(spec, m, { signal: c.signal }))
  return stream(c, pool, spec, m)
}

/** The caller accepts SSE: notifications of this request stream as they come, then its response. */
async function stream(c: Ctx, pool: Pool, spec: PoolSpec, m: Msg): Promise<Reply | null> {
  const sse = new SseWriter(c.res)
  const onNotify = (n: Msg) => {
    sse.start()
    sse.send('message', n)
  }
  let res: Msg
  try {
    res = await pool.request(spec, m, { signal: c.signal, onNotify })
  } catch (e) {
    // Before the stream opened, failures keep their HTTP status.
    if (!sse.started) throw e
    const p = problem(e).body
    res = rpcError(m.id, e instanceof AppError && e.code === 'upstream_timeout' ? -32001 : -32603, String(p.detail), { code: p.code })
  }
  if (!sse.started) return { status: 200, body: res }
  sse.send('message', res)
  sse.end()
  return null
}

/** GET /api/v1/pool/health: the figures, never owners or commands. */
export async function poolHealth(c: Ctx) {
  if (!c.deps.config.stdioCatalog) return { status: 'ok', configured: false }
  const { pool, catalog } = await poolOf(c.deps)
  return { status: 'ok', configured: true, entries: catalog.entries.size, ...pool.stats() }
}
