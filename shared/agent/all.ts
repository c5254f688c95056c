/**
 * `/api/v1/mcp`: every config the caller can use (their own and their org's)
 * as one MCP server. Tools and prompts are `<slug>__<name>`, resources
 * `mcpgw://<slug>/...` (shared/agent/names.ts). A config that cannot be
 * reached, or needs the user to (re)connect OAuth, is a line of the server's
 * `instructions` (with its `start_url`), never an error that breaks the list.
 */
import { createHash } from 'node:crypto'
import { Server } from '@modelcontextprotocol/server'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { Rec } from '../ports.js'
import { MCPS, tenantsOf, visible, type McpConfig } from '../registry/model.js'
import { GATEWAY_INFO } from '../mcp/info.js'
import { handlerOn } from './errors.js'
import { forward, type Bound, type UpstreamInfo } from './forward.js'
import { getPrompt, listPrompts, listTools, upstreamInfo } from './proxy.js'
import { callTool } from './call.js'
import { exposed, exposedTemplate, exposedUri, original, parseUri, slugOf, slugs } from './names.js'
import type { Endpoint } from './session.js'
import type { ToolCall } from './fast.js'

/** Configs one aggregate serves at most, and how long one may take to answer before it is left out. */
const MAX_CONFIGS = 200
const CONNECT_MS = 5_000
const CONNECTS = 8
/** A listing tries again the configs that were slow to answer, at most this often. */
const RETRY_LATE_MS = 30_000

export async function configsOf(d: Deps, caller: Caller): Promise<Rec<McpConfig>[]> {
  const store = await d.store()
  const out: Rec<McpConfig>[] = []
  let cursor: string | undefined
  do {
    const page = await store.list<McpConfig>(MCPS, { where: { field: 'tenant', in: tenantsOf(caller) }, limit: 100, cursor })
    out.push(...page.items.filter((r) => visible(r.data, caller)))
    cursor = page.next ?? undefined
  } while (cursor && out.length < MAX_CONFIGS)
  return out.slice(0, MAX_CONFIGS)
}

/** What the configs are now: changes when one is added, removed, changed or reconnected. */
export const versionOf = (recs: Rec<McpConfig>[]) => createHash('sha256').update(recs.map((r) => `${r.id}:${r.version}:${r.data.status}`).sort().join(',')).digest('base64url').slice(0, 16)

interface Member { slug: string; b: Bound; up: UpstreamInfo }

export async function allEndpoint(d: Deps, caller: Caller): Promise<Endpoint> {
  const first = await configsOf(d, caller)
  return {
    owner: `${caller.sub}|*`,
    async build(client, legacy, signal) {
      // The members as of the configs' version: built again once a config is added, removed or reconnected.
      let known: { version: string; p: Promise<Awaited<ReturnType<typeof connectAll>>> } | undefined
      const load = async (recs: Rec<McpConfig>[]) => {
        const version = versionOf(recs)
        const prev = known && (await known.p)
        if (known?.version !== version || (prev?.late && Date.now() - prev.at > RETRY_LATE_MS)) known = { version, p: connectAll(d, caller, recs, client, legacy, signal) }
        return known.p
      }
      const { notes, members } = await load(first)
      const theirs = members.filter((m) => m.up.instructions).map((m) => `${m.slug}: ${m.up.instructions!.slice(0, 2000)}`)
      const all = async () => (await load(await configsOf(d, caller))).members
      return { server: () => aggregateServer(all, notes, theirs), caps: CAPS, call: callOf(all) }
    },
    async version() {
      return versionOf(await configsOf(d, caller))
    },
  }
}

/**
 * Connects to every config, at most CONNECTS at a time, all within
 * CONNECT_MS: a server that is slow to answer is a line of the instructions
 * ("not connected yet") and is tried again on a later listing, never a wait
 * for the whole aggregate.
 */
async function connectAll(d: Deps, caller: Caller, recs: Rec<McpConfig>[], client: Bound['client'], legacy: boolean, signal: AbortSignal) {
  const slug = slugs(recs.map((r) => ({ id: r.id, name: r.data.name })))
  const notes: string[] = []
  const members: Member[] = []
  const budget = AbortSignal.any([signal, AbortSignal.timeout(CONNECT_MS)])
  let late = false
  const queue = [...recs]
  const worker = async () => {
    for (let rec = queue.shift(); rec; rec = queue.shift()) {
      const b: Bound = { d, caller, rec, client, legacy }
      if (budget.aborted) {
        late = true
        notes.push(`- ${slug.get(rec.id)} (${rec.data.name}): not connected yet; listed once it answers.`)
        continue
      }
      try {
        members.push({ slug: slug.get(rec.id)!, b, up: await upstreamInfo(b, budget) })
      } catch (e) {
        if (budget.aborted) late = true
        notes.push(noteOf(slug.get(rec.id)!, rec, e))
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONNECTS, recs.length) }, worker))
  members.sort((a, b) => a.slug.localeCompare(b.slug))
  return { members, notes: notes.sort(), at: Date.now(), late }
}

function noteOf(slug: string, rec: Rec<McpConfig>, e: unknown): string {
  const start = e instanceof AppError && e.code === 'authorization_required' ? (e.extra as { start_url?: string } | undefined)?.start_url : undefined
  if (start) return `- ${slug} (${rec.data.name}): needs you to connect it: POST ${start} from the app, then reconnect this client.`
  return `- ${slug} (${rec.data.name}): unavailable now (${e instanceof AppError ? e.code : 'upstream_error'}).`
}

const by = async (all: () => Promise<Member[]>, slug: string | undefined) => {
  const m = (await all()).find((x) => x.slug === slug)
  if (!m) throw new AppError('not_found', 'No such tool, prompt or resource here.')
  return m
}

/** What the aggregate declares. */
const CAPS = { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true }, completions: {}, logging: {} }

/** `tools/call` on the aggregate: the config named by the tool's prefix, called as the proxy calls it. */
const callOf = (all: () => Promise<Member[]>): ToolCall => async (p, ctx) => {
  const m = await by(all, slugOf(String(p?.name ?? '')))
  // A name that was not shortened maps back without a listing; a shortened one is found among the current names.
  const rest = String(p.name).slice(m.slug.length + 2)
  const name = exposed(m.slug, rest) === p.name ? rest : original(m.slug, String(p.name), (await listTools(m.b, ctx.mcpReq.signal)).map((t) => t.name))
  if (!name) throw new AppError('not_found', `No tool named ${JSON.stringify(String(p.name).slice(0, 128))}.`)
  return callTool(m.b, ctx, { ...p, name })
}

function aggregateServer(all: () => Promise<Member[]>, notes: string[], theirs: string[]): Server {
  const instructions = [
    'Tools and prompts of every MCP server you registered in the gateway, named <server>__<name>.',
    ...(notes.length ? ['Not available now:', ...notes] : []),
    ...theirs,
  ].join('\n')
  const server = new Server(GATEWAY_INFO, { capabilities: CAPS, instructions })
  const on = handlerOn(server)
  const each = async <T>(cap: string, fn: (m: Member) => Promise<T[]>) =>
    (await Promise.all((await all()).filter((m) => m.up.capabilities[cap]).map((m) => fn(m).catch(() => [] as T[])))).flat()

  on('tools/list', async (_p, ctx) => ({
    tools: await each('tools', async (m) => (await listTools(m.b, ctx.mcpReq.signal)).map((t) => ({ ...t, name: exposed(m.slug, t.name) }))),
  }))
  on('tools/call', callOf(all))
  on('prompts/list', async (_p, ctx) => ({
    prompts: await each('prompts', async (m) => (await listPrompts(m.b, ctx)).map((x) => ({ ...x, name: exposed(m.slug, x.name) }))),
  }))
  on('prompts/get', async (p, ctx) => {
    const m = await by(all, slugOf(String(p?.name ?? '')))
    const name = original(m.slug, String(p.name), (await listPrompts(m.b, ctx)).map((x) => x.name))
    if (!name) throw new AppError('not_found', `No prompt named ${JSON.stringify(String(p.name).slice(0, 128))}.`)
    return getPrompt(m.b, ctx, { ...p, name })
  })
  on('resources/list', async (_p, ctx) => ({
    resources: await each('resources', async (m) => ((await forward(m.b, ctx, 'resources/list', undefined)).resources ?? []).map((r: { uri: string }) => ({ ...r, uri: exposedUri(m.slug, r.uri) }))),
  }))
  on('resources/read', async (p, ctx) => {
    const at = parseUri(String(p?.uri ?? ''))
    const m = await by(all, at?.slug)
    const r = await forward(m.b, ctx, 'resources/read', { ...p, uri: at!.uri })
    return { ...r, contents: (r.contents ?? []).map((c: { uri: string }) => ({ ...c, uri: exposedUri(m.slug, c.uri) })) }
  })
  on('resources/templates/list', async (_p, ctx) => ({
    resourceTemplates: await each('resources', async (m) =>
      ((await forward(m.b, ctx, 'resources/templates/list', undefined)).resourceTemplates ?? []).map((t: { uriTemplate: string }) => ({ ...t, uriTemplate: exposedTemplate(m.slug, t.uriTemplate) }))),
  }))
  // Completion refs name an aggregate prompt or template: mapped back to the config's own.
  on('completion/complete', async (p, ctx) => {
    const ref = (p?.ref ?? {}) as { type?: string; name?: string; uri?: string }
    if (ref.type === 'ref/prompt') {
      const m = await by(all, slugOf(String(ref.name ?? '')))
      const name = original(m.slug, String(ref.name), (await listPrompts(m.b, ctx)).map((x) => x.name))
      if (!name) throw new AppError('not_found', `No prompt named ${JSON.stringify(String(ref.name).slice(0, 128))}.`)
      return completeOn(m, ctx, { ...p, ref: { ...ref, name } })
    }
    const at = parseUri(String(ref.uri ?? ''))
    const m = await by(all, at?.slug)
    return completeOn(m, ctx, { ...p, ref: { ...ref, uri: at!.uri } })
  })
  // One level for every config that logs; one that cannot take it is left as it is.
  on('logging/setLevel', async (p, ctx) => {
    await Promise.all((await all()).filter((m) => m.up.capabilities.logging).map((m) => forward(m.b, ctx, 'logging/setLevel', p).catch(() => undefined)))
    return {}
  })
  return server
}

const completeOn = (m: Member, ctx: Parameters<typeof forward>[1], p: Record<string, any>) => {
  if (!m.up.capabilities.completions) return { completion: { values: [] } }
  return forward(m.b, ctx, 'completion/complete', p)
}
