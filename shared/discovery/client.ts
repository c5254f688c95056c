/**
 * The generic MCP Registry API, as a client: list pages and one version of a
 * server (`GET /v0.1/servers`, `GET /v0.1/servers/{name}/versions/{version}`).
 * Every request goes through the egress guard with a byte cap and a timeout;
 * a registry that fails answers `upstream_error` / `upstream_timeout`.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { guardedFetch, TooLarge } from '../egress/fetch.js'
import { policyOf } from '../egress/policy.js'

export interface ListParams { cursor?: string; limit?: number; search?: string; updated_since?: string; version?: string }
export interface ListAnswer { servers: unknown[]; next_cursor: string | null }

const MAX_ITEMS = 1000

async function getJson(d: Deps, url: string): Promise<{ status: number; json: unknown }> {
  const { maxBytes, timeoutMs } = d.config.discovery
  const fetchFn = guardedFetch(policyOf(d), { maxBytes, connections: d.config.egressConnections, ...(d.lookup ? { lookup: d.lookup } : {}) })
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const get = () => fetchFn(url, { method: 'GET', headers: { accept: 'application/json' }, signal })
    // A kept-alive connection the registry closed meanwhile fails at once: a GET is safe to send again, once.
    const res = await get().catch((e) => (e instanceof TypeError && !signal.aborted ? get() : Promise.reject(e)))
    const text = await res.text()
    if (res.status === 404) return { status: 404, json: null }
    if (res.status !== 200) throw new AppError('upstream_error', `The registry answered HTTP ${res.status}.`, { upstream: { reason: 'registry_status', status: res.status } })
    try {
      return { status: 200, json: JSON.parse(text) }
    } catch {
      throw new AppError('upstream_error', 'The registry answered something that is not JSON.', { upstream: { reason: 'registry_not_json' } })
    }
  } catch (e) {
    if (e instanceof TooLarge) throw new AppError('upstream_response_too_large', `The registry's answer was over ${maxBytes} bytes.`)
    if (signal.aborted) throw new AppError('upstream_timeout', `The registry did not answer within ${timeoutMs} ms.`)
    if (e instanceof AppError) throw e
    throw new AppError('upstream_error', 'The registry could not be reached.', { upstream: { reason: 'registry_unreachable' } }, { cause: e })
  }
}

/** One page of `GET /v0.1/servers`. */
export async function listPage(d: Deps, base: string, p: ListParams): Promise<ListAnswer> {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') q.set(k, String(v))
  const { status, json } = await getJson(d, `${base}/v0.1/servers?${q}`)
  const body = json as { servers?: unknown; metadata?: { nextCursor?: unknown } } | null
  if (status !== 200 || !body || !Array.isArray(body.servers) || body.servers.length > MAX_ITEMS)
    throw new AppError('upstream_error', 'The registry answered a list that is not a ServerList.', { upstream: { reason: 'registry_bad_list' } })
  const next = body.metadata?.nextCursor
  if (next !== undefined && next !== null && (typeof next !== 'string' || next.length > 4096))
    throw new AppError('upstream_error', 'The registry answered a bad cursor.', { upstream: { reason: 'registry_bad_cursor' } })
  return { servers: body.servers, next_cursor: next ? next : null }
}

/** `GET /v0.1/servers/{name}/versions/{version}` (the name and version URL-encoded, as the API says); null when the registry has none. */
export async function getVersion(d: Deps, base: string, name: string, version: string): Promise<unknown | null> {
  const { status, json } = await getJson(d, `${base}/v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`)
  return status === 404 ? null : json
}
