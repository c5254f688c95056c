/** Listing: tools, resources, prompts, reading a resource, getting a prompt. */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { check } from '../validate.js'
import { load } from '../registry/service.js'
import { targetFor } from './target.js'
import { withClient, type Session } from './connect.js'
import { contentsView, promptView, resourceView, toolView } from './views.js'
import { rememberTools } from './tools-cache.js'

async function run<T>(d: Deps, caller: Caller, id: string, signal: AbortSignal, fn: (s: Session, target: { key: string }) => Promise<T>) {
  const rec = await load(d, caller, id)
  const target = await targetFor(d, caller, rec)
  return withClient(d, target, signal, (s) => fn(s, target))
}

export const listTools = (d: Deps, caller: Caller, id: string, signal: AbortSignal) =>
  run(d, caller, id, signal, async (s, t) => {
    if (!s.client.getServerCapabilities()?.tools) return { tools: [] }
    const { tools } = await s.client.listTools(undefined, s.opts)
    rememberTools(t.key, tools)
    return { tools: tools.map(toolView) }
  })

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

const readQuery = {
  type: 'object', additionalProperties: false, required: ['uri'],
  properties: { uri: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const

export async function readResource(d: Deps, caller: Caller, id: string, query: URLSearchParams, signal: AbortSignal) {
  if (query.getAll('uri').length > 1) throw new AppError('invalid_request', 'Give one uri.', { errors: [{ path: '/uri', message: 'must be given once' }] })
  const q = check<{ uri: string }>(readQuery, Object.fromEntries(query), 'query')
  return run(d, caller, id, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.resources) throw new AppError('not_found', 'This MCP server has no resources.')
    const r = await s.client.readResource({ uri: q.uri }, { ...s.opts, cacheMode: 'bypass' })
    return { contents: r.contents.map(contentsView) }
  })
}

const promptBody = {
  type: 'object', additionalProperties: false,
  properties: {
    arguments: { type: 'object', maxProperties: 100, additionalProperties: { type: 'string', maxLength: 65536 } },
  },
} as const

export async function getPrompt(d: Deps, caller: Caller, id: string, name: string, body: unknown, signal: AbortSignal) {
  const b = check<{ arguments?: Record<string, string> }>(promptBody, body ?? {})
  return run(d, caller, id, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.prompts) throw new AppError('not_found', 'This MCP server has no prompts.')
    const r = await s.client.getPrompt({ name, arguments: b.arguments ?? {} }, s.opts)
    return { description: r.description ?? null, messages: r.messages }
  })
}
