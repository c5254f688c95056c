/**
 * An agent reduced to its HTTP exchange: a warm `tools/call` of `echo`
 * through the proxy sent with the same plain `fetch` and `JSON.parse` as
 * REST execute's bench client (bench/api.ts), so that the two compare like
 * with like. The bench's SDK client spends more of its own CPU per call than
 * a bare `fetch` (zod, web streams, JSON-RPC bookkeeping: docs/performance.md),
 * which on a shared machine shows as latency the gateway did not add.
 *
 * - `modern`: the 2026-07-28 request: the `_meta` envelope, `MCP-Protocol-Version`,
 *   `Mcp-Method` and `Mcp-Name`;
 * - `legacy`: a 2025 session: `initialize` and `notifications/initialized`
 *   once, then each call with its `Mcp-Session-Id`.
 *
 * A call counts only when it is answered with JSON (the proxy's fast path),
 * its id, and a result that is not an error.
 */
import { ECHO } from './api.js'
import type { Era } from './direct.js'

const TIMEOUT_MS = 15_000
const INFO = { name: 'bench-fetch-agent', version: '0' }
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': INFO }

export interface FetchAgent {
  call(): Promise<boolean>
  close(): Promise<void>
}

export async function fetchAgent(url: string, token: string, era: Era): Promise<FetchAgent> {
  const base = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }
  const post = (headers: Record<string, string>, msg: unknown) => fetch(url, { method: 'POST', headers, signal: AbortSignal.timeout(TIMEOUT_MS), body: JSON.stringify(msg) })
  let headers: Record<string, string>
  let sid: string | null = null
  if (era === 'legacy') {
    const init = await post(base, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: INFO } })
    await init.text()
    sid = init.headers.get('mcp-session-id')
    if (init.status !== 200 || !sid) throw new Error(`initialize: ${init.status}`)
    headers = { ...base, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' }
    const ack = await post(headers, { jsonrpc: '2.0', method: 'notifications/initialized' })
    await ack.text()
    if (ack.status !== 202) throw new Error(`initialized: ${ack.status}`)
  } else {
    headers = { ...base, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' }
  }
  const params = { name: 'echo', arguments: ECHO, ...(era === 'modern' ? { _meta: ENVELOPE } : {}) }
  let id = 0
  return {
    async call() {
      const n = ++id
      const r = await post(headers, { jsonrpc: '2.0', id: n, method: 'tools/call', params })
      const text = await r.text()
      if (r.status !== 200 || !r.headers.get('content-type')?.startsWith('application/json')) return false
      const m = JSON.parse(text)
      return m.id === n && m.result !== undefined && m.result.isError !== true
    },
    async close() {
      if (sid) await fetch(url, { method: 'DELETE', headers, signal: AbortSignal.timeout(TIMEOUT_MS) }).then((r) => r.text()).catch(() => {})
    },
  }
}
