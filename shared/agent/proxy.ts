/**
 * One registered server as an MCP server for an agent: every request is
 * forwarded through the gateway's upstream connection (stored credentials,
 * egress guard, byte caps, timeouts), with the tool policy applied on the
 * way: a pending, blocked or denied tool is not listed and is refused on
 * call with a JSON-RPC error that says why. Calls are rate-limited and audited.
 */
import { Server } from '@modelcontextprotocol/server'
import type { ServerContext } from '@modelcontextprotocol/server'
import type { Tool, Prompt, Resource } from '@modelcontextprotocol/client'
import { withTarget } from '../mcp/target.js'
import { knownTools, reviewOther, reviewTools } from '../mcp/listing.js'
import { GATEWAY_INFO } from '../mcp/info.js'
import { Lru } from '../cache.js'
import { handlerOn, toRpc } from './errors.js'
import { forward, type Bound, type UpstreamInfo } from './forward.js'
import { callTool } from './call.js'
import { auditBlock, blockOf, gateFor } from '../governance/gate.js'

/** What a server declared, per caller, config version and client: a 2026-07-28 request builds its proxy without asking again. */
const infos = new Lru<UpstreamInfo>(2000)
const INFO_TTL = 60_000

export async function upstreamInfo(b: Bound, signal: AbortSignal): Promise<UpstreamInfo> {
  const key = `${b.caller.sub}|${b.rec.id}|${b.rec.version}|${b.client.key}`
  const hit = b.client.key.startsWith('s:') ? undefined : infos.get(key)
  if (hit) return hit
  const info = await withTarget(b.d, b.caller, b.rec, signal, async (s) => ({
    capabilities: (s.client.getServerCapabilities() ?? {}) as Record<string, any>,
    instructions: s.client.getInstructions?.(),
  }), { client: b.client })
  if (!b.client.key.startsWith('s:')) infos.set(key, info, INFO_TTL)
  return info
}

/** What the proxy declares: what the upstream has, less what the gateway cannot carry. */
export function declared(up: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {}
  if (up.tools) out.tools = { listChanged: true }
  if (up.resources) out.resources = { ...(up.resources.subscribe ? { subscribe: true } : {}), listChanged: true }
  if (up.prompts) out.prompts = { listChanged: true }
  if (up.completions) out.completions = {}
  if (up.logging) out.logging = {}
  return out
}

const approved = <T>(assessed: { approval: string; def: unknown }[]) => assessed.filter((a) => a.approval === 'approved').map((a) => a.def as T)

export async function listTools(b: Bound, signal: AbortSignal): Promise<Tool[]> {
  // Servers list more tools to a client that declares elicitation, sampling or roots: such listings are not cached.
  const tools = await knownTools(b.d, b.caller, b.rec, signal, { refresh: Object.keys(b.client.capabilities).length > 0 }, { client: b.client })
  return approved<Tool>((await reviewTools(b.d, b.caller, b.rec, tools, true)).assessed)
}

export async function listPrompts(b: Bound, ctx: ServerContext): Promise<Prompt[]> {
  const r = await forward(b, ctx, 'prompts/list', undefined)
  return approved<Prompt>((await reviewOther(b.d, b.caller, b.rec, 'prompt', r.prompts ?? [], true)).assessed)
}

export async function listResources(b: Bound, ctx: ServerContext, params: Record<string, any> | undefined): Promise<{ resources: Resource[]; nextCursor?: string }> {
  const r = await forward(b, ctx, 'resources/list', params)
  return { ...r, resources: approved<Resource>((await reviewOther(b.d, b.caller, b.rec, 'resource', r.resources ?? [], false)).assessed) }
}

/** A pending or blocked prompt is refused like a tool. */
export async function getPrompt(b: Bound, ctx: ServerContext, params: Record<string, any>): Promise<any> {
  const name = String(params.name ?? '')
  try {
    const gate = gateFor(b.d, b.caller, b.rec, 'prompt', name)
    const prompts = (await gate.needsDefinitions()) ? (await forward(b, ctx, 'prompts/list', undefined)).prompts : undefined
    await gate.check(prompts)
  } catch (e) {
    const block = blockOf(e)
    if (block) auditBlock(b.d, b.caller, b.rec.id, 'prompt', name, block)
    throw toRpc(e)
  }
  return forward(b, ctx, 'prompts/get', params)
}

/** The proxy server for one config, for one request (2026-07-28) or one 2025 session. */
export function proxyServer(b: Bound, up: UpstreamInfo): Server {
  const caps = declared(up.capabilities)
  const server = new Server(GATEWAY_INFO, { capabilities: caps, ...(up.instructions ? { instructions: up.instructions } : {}) })
  const on = handlerOn(server)
  if (caps.tools) {
    on('tools/list', async (_p, ctx) => ({ tools: await listTools(b, ctx.mcpReq.signal) }))
    on('tools/call', (p, ctx) => callTool(b, ctx, p))
  }
  if (caps.resources) {
    on('resources/list', (p, ctx) => listResources(b, ctx, p))
    on('resources/templates/list', (p, ctx) => forward(b, ctx, 'resources/templates/list', p))
    on('resources/read', (p, ctx) => forward(b, ctx, 'resources/read', p))
    if (caps.resources.subscribe) {
      on('resources/subscribe', (p, ctx) => forward(b, ctx, 'resources/subscribe', p))
      on('resources/unsubscribe', (p, ctx) => forward(b, ctx, 'resources/unsubscribe', p))
    }
  }
  if (caps.prompts) {
    on('prompts/list', async (_p, ctx) => ({ prompts: await listPrompts(b, ctx) }))
    on('prompts/get', (p, ctx) => getPrompt(b, ctx, p))
  }
  if (caps.completions) on('completion/complete', (p, ctx) => forward(b, ctx, 'completion/complete', p))
  if (caps.logging) on('logging/setLevel', (p, ctx) => forward(b, ctx, 'logging/setLevel', p))
  return server
}
