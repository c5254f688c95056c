/**
 * Short-lived upstream MCP connections: one per request, always closed,
 * through the egress-guarded, byte-capped fetch. The protocol era learned from
 * a server is cached per caller and MCP, so later connections skip the probe.
 */
import type { Client as ClientT, PriorDiscovery } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import { guardedFetch, TooLarge } from '../egress/fetch.js'
import { policyOf } from '../registry/service.js'
import { upstreamError } from './errors.js'
import { log, redact } from '../log.js'

let sdk: Promise<typeof import('@modelcontextprotocol/client')> | undefined
const loadSdk = () => (sdk ??= import('@modelcontextprotocol/client'))

export interface Target {
  /** Partition of per-connection caches: never shared across callers. */
  key: string
  type: 'http' | 'sse'
  endpoint: string
  headers: Record<string, string>
  timeoutMs: number
}

export interface Session {
  client: ClientT
  /** Pass to every request: aborted on client disconnect or a fatal stream fault. */
  opts: { signal: AbortSignal; timeout: number; maxTotalTimeout: number }
  era: 'modern' | 'legacy'
}

const ERA_TTL = 10 * 60_000
const eras = new Lru<PriorDiscovery>(2000)

export const GATEWAY_INFO = { name: 'mcp-gateway-gcp', version: '0.1.0' }

export async function withClient<T>(d: Deps, t: Target, outer: AbortSignal, fn: (s: Session) => Promise<T>): Promise<T> {
  const { Client, StreamableHTTPClientTransport, SSEClientTransport } = await loadSdk()
  const ac = new AbortController()
  let failure: AppError | undefined
  const fail = (e: AppError) => {
    failure ??= e
    if (!ac.signal.aborted) ac.abort(e)
  }
  const onOuter = () => fail(new AppError('invalid_request', 'The client closed the request.'))
  if (outer.aborted) onOuter()
  outer.addEventListener('abort', onOuter, { once: true })
  const fetch = guardedFetch(policyOf(d), { maxBytes: d.config.maxResultBytes, onTooLarge: () => fail(new TooLarge(d.config.maxResultBytes)) })
  const url = new URL(t.endpoint)
  const requestInit = { headers: t.headers }
  const transport =
    t.type === 'sse'
      ? new SSEClientTransport(url, { fetch: fetch as any, requestInit })
      : new StreamableHTTPClientTransport(url, { fetch: fetch as any, requestInit })
  // 2026-07-28 deprecates sampling and roots, and we cannot put an elicitation to the user yet: declare nothing.
  const client = new Client(GATEWAY_INFO, { capabilities: {}, versionNegotiation: { mode: 'auto' }, listMaxPages: 64 })
  let busy = false
  client.onerror = (e) => {
    // The SDK reports a dropped stream here but would wait out the whole timeout: fail the call now.
    if (busy && /disconnected|terminated|closed|ECONNRESET/i.test(String((e as Error)?.message))) {
      fail(new AppError('upstream_error', 'The MCP server closed the connection mid-response.', { upstream: { reason: 'connection_closed' } }))
    }
  }
  const opts = { signal: ac.signal, timeout: t.timeoutMs, maxTotalTimeout: t.timeoutMs }
  const prior = t.type === 'sse' ? ({ kind: 'legacy' } as const) : eras.get(`${t.key}|${t.endpoint}`)
  busy = true
  try {
    await client.connect(transport, { ...opts, ...(prior ? { prior } : {}) })
    const era = client.getProtocolEra?.() === 'modern' ? 'modern' : 'legacy'
    if (!prior && t.type === 'http') {
      const discover = client.getDiscoverResult?.()
      eras.set(`${t.key}|${t.endpoint}`, era === 'modern' && discover ? { kind: 'modern', discover } : { kind: 'legacy' }, ERA_TTL)
    }
    return await fn({ client, opts, era })
  } catch (e) {
    const err = failure ?? upstreamError(e)
    // A stale modern verdict fails loudly: forget it so the next call probes again.
    // Our own verdicts (bad arguments, unknown tool), a timeout and the caller leaving say nothing about the era.
    if (!failure && !['invalid_request', 'not_found', 'upstream_timeout'].includes(err.code)) eras.delete(`${t.key}|${t.endpoint}`)
    throw err
  } finally {
    busy = false
    outer.removeEventListener('abort', onOuter)
    const sessionId = (transport as { sessionId?: string }).sessionId
    const close = () => client.close().catch(() => {})
    if (sessionId && 'terminateSession' in transport && !failure) {
      // Release the upstream session without making the caller wait for it.
      void (transport as { terminateSession(): Promise<void> }).terminateSession().catch(() => {}).finally(close)
    } else void close()
  }
}

/** Forget cached protocol eras for one MCP (after its config changes). */
export function forgetEra(prefix: string) {
  eras.deletePrefix(prefix)
}

export const _debug = { eras, log: (m: string) => log('DEBUG', redact(m)) }
