/** Listing: tools, resources, prompts, reading a resource, getting a prompt. */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { check } from '../validate.js'
import { promptBody, readQuery } from './schema.js'
import { load } from '../registry/read.js'
import { targetFor, withTarget } from './target.js'
import type { Session } from './sessions.js'
import { contentsView, promptView, resourceView, toolView } from './views.js'
import { loadState, saveState, toolsFresh, TOOLS_TTL } from './state.js'
import { checkResultDepth } from './depth.js'
import { upstreamError } from './errors.js'

// JSON-RPC 2.0 invalid params; MCP "resource not found".
const INVALID_PARAMS = -32602
const RESOURCE_NOT_FOUND = -32002

/**
 * A server refusing what the caller named (a prompt, a resource URI, their
 * arguments) is the caller's to fix: 404 for a resource it does not have, 400
 * otherwise, with the server's words. Never a 502: the server is fine.
 */
function callerFault(e: unknown): never {
  const code = (e as { code?: unknown })?.code
  if (code !== INVALID_PARAMS && code !== RESOURCE_NOT_FOUND) throw e
  const { extra } = upstreamError(e)
  const said = String((extra?.upstream as { message?: unknown } | undefined)?.message ?? '')
  if (code === RESOURCE_NOT_FOUND) throw new AppError('not_found', `The MCP server has no such resource: ${said}`, extra)
  throw new AppError('invalid_request', `The MCP server refused the parameters: ${said}`, extra)
}

async function run<T>(d: Deps, caller: Caller, id: string, signal: AbortSignal, fn: (s: Session, target: { key: string }) => Promise<T>) {
  const rec = await load(d, caller, id)
  return withTarget(d, caller, rec, signal, fn)
}

/** Upper bound on a server's own cache hint for tools/list. */
const MAX_TOOLS_TTL = 10 * 60_000

/**
 * Tools, served from the per-caller cache while fresh: a server's `ttlMs`
 * hint (SEP-2549) when it gives one, else a minute; `tools/list_changed`
 * empties it. `refresh` skips the cache.
 */
export async function listTools(d: Deps, caller: Caller, id: string, signal: AbortSignal, o: { refresh?: boolean } = {}) {
  const rec = await load(d, caller, id)
  // Known tools are served to this caller only once they could connect (OAuth: a usable token).
  const target = await targetFor(d, caller, rec)
  if (!o.refresh) {
    const cached = toolsFresh(await loadState(d, target.state), d.clock.now())
    if (cached) return { tools: cached.map(toolView) }
  }
  return withTarget(d, caller, rec, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.tools) return { tools: [] }
    const r = await s.client.listTools(undefined, { ...s.opts, cacheMode: 'bypass' })
    checkResultDepth(r.tools)
    const hint = (r as { ttlMs?: unknown }).ttlMs
    saveState(d, target.state, {
      tools: r.tools,
      tools_at: d.clock.now(),
      tools_ttl: typeof hint === 'number' && hint >= 0 ? Math.min(hint, MAX_TOOLS_TTL) : TOOLS_TTL,
    })
    return { tools: r.tools.map(toolView) }
  })
}

export const listResources = (d: Deps, caller: Caller, id: string, signal: AbortSignal) =>
  run(d, caller, id, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.resources) return { resources: [] }
    const { resources } = await s.client.listResources(undefined, s.opts)
    return { resources: resources.map(resourceView) }
  })

export const listPrompts = (d: Deps, caller: Caller, id: string, signal: AbortSignal) =>
  run(d, caller, id, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.prompts) return { prompts: [] }
    const { prompts } = await s.client.listPrompts(undefined, s.opts)
    return { prompts: prompts.map(promptView) }
  })

export async function readResource(d: Deps, caller: Caller, id: string, query: URLSearchParams, signal: AbortSignal) {
  if (query.getAll('uri').length > 1) throw new AppError('invalid_request', 'Give one uri.', { errors: [{ path: '/uri', message: 'must be given once' }] })
  const q = check<{ uri: string }>(readQuery, Object.fromEntries(query), 'query')
  return run(d, caller, id, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.resources) throw new AppError('not_found', 'This MCP server has no resources.')
    const r = await s.client.readResource({ uri: q.uri }, { ...s.opts, cacheMode: 'bypass' }).catch(callerFault)
    return { contents: r.contents.map(contentsView) }
  })
}

export async function getPrompt(d: Deps, caller: Caller, id: string, name: string, body: unknown, signal: AbortSignal) {
  const b = check<{ arguments?: Record<string, string> }>(promptBody, body ?? {})
  return run(d, caller, id, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.prompts) throw new AppError('not_found', 'This MCP server has no prompts.')
    const r = await s.client.getPrompt({ name, arguments: b.arguments ?? {} }, s.opts).catch(callerFault)
    checkResultDepth([r.messages])
    return { description: r.description ?? null, messages: r.messages }
  })
}
