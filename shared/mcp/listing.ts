/** Listing: tools, resources, resource templates, prompts, reading a resource, getting a prompt; and the review of pending definitions. */
import type { Prompt, Resource, ResourceTemplateType, Tool } from '@modelcontextprotocol/client'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import { audit } from '../audit.js'
import type { Rec } from '../ports.js'
import { check } from '../validate.js'
import { approveBody, promptBody, readQuery } from './schema.js'
import { load } from '../registry/read.js'
import { mutable, type McpConfig } from '../registry/model.js'
import { targetFor, withTarget } from './target.js'
import type { ConnectOptions, Declared, Session } from './sessions.js'
import type { Started } from '../executions/api.js'
import { contentsView, promptView, resourceView, templateView, toolView } from './views.js'
import { loadState, otherToolNames, saveState, toolsFresh, TOOLS_TTL } from './state.js'
import { checkResultDepth } from './depth.js'
import { missingArguments, orEmpty, promptRefused, resourceRefused, type Warning } from './refusal.js'

/** `capabilities=elicitation.form,elicitation.url,sampling` (a read's query) as declared capabilities. */
function declaredOf(v: string): Declared {
  const parts = new Set(v.split(','))
  const form = parts.has('elicitation') || parts.has('elicitation.form')
  const url = parts.has('elicitation.url')
  return {
    ...(form || url ? { elicitation: { ...(form ? { form: {} } : {}), ...(url ? { url: {} } : {}) } } : {}),
    ...(parts.has('sampling') ? { sampling: {} } : {}),
  }
}
import { scanContext, type ScanContext } from '../governance/assess.js'
import { auditBlock, blockOf, gateFor } from '../governance/gate.js'
import { approvePins } from '../governance/pins.js'
import type { PinKind } from '../governance/model.js'
import { policyOf } from '../governance/policy.js'
import { approvalView, changes, review, select, type Review } from '../governance/review.js'

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
export async function knownTools(d: Deps, caller: Caller, rec: Rec<McpConfig>, signal: AbortSignal, o: { refresh?: boolean; warnings?: Warning[] } = {}, conn: ConnectOptions = {}): Promise<Tool[]> {
  // Known tools are served to this caller only once they could connect (OAuth: a usable token).
  const target = await targetFor(d, caller, rec)
  if (!o.refresh) {
    const cached = toolsFresh(await loadState(d, target.state), d.clock.now())
    if (cached) return cached
  }
  return withTarget(d, caller, rec, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.tools) return []
    // A server that declares tools but does not answer tools/list lists as empty, with a warning (not cached: it may be fixed).
    const r = await orEmpty(s.client.listTools(undefined, { ...s.opts, cacheMode: 'bypass' }).then((l) => [l]), 'tools/list', o.warnings ?? []).then((l) => l[0])
    if (!r) return []
    checkResultDepth(r.tools)
    const hint = (r as { ttlMs?: unknown }).ttlMs
    saveState(d, target.state, {
      tools: r.tools,
      tools_at: d.clock.now(),
      tools_ttl: typeof hint === 'number' && hint >= 0 ? Math.min(hint, MAX_TOOLS_TTL) : TOOLS_TTL,
    })
    return r.tools
  }, conn)
}

/**
 * The scanner's context: the caller's other servers' tool names this instance
 * knows, and this server's own. Kept for 10 s per caller, config version and
 * own tool list, so repeated listings do not gather and hash the names again.
 */
const contexts = new Lru<{ own: readonly Tool[]; ctx: ScanContext }>(2000)
function scanFor(caller: Caller, rec: Rec<McpConfig>, own: readonly Tool[]): ScanContext {
  const key = seenKey(caller, rec)
  const hit = contexts.get(key)
  if (hit?.own === own) return hit.ctx
  const ctx = scanContext(otherToolNames(caller.sub, rec.id), own.map((t) => t.name))
  contexts.set(key, { own, ctx }, 10_000)
  return ctx
}

export const reviewTools = async (d: Deps, caller: Caller, rec: Rec<McpConfig>, tools: Tool[], record: boolean) =>
  review(d, caller, rec, 'tool', tools, { scan: scanFor(caller, rec, tools), record })

export async function listTools(d: Deps, caller: Caller, id: string, signal: AbortSignal, o: { refresh?: boolean } = {}) {
  const rec = await load(d, caller, id)
  const warnings: Warning[] = []
  const r = await reviewTools(d, caller, rec, await knownTools(d, caller, rec, signal, { ...o, warnings }), true)
  return { tools: r.assessed.map((a) => ({ ...toolView(a.def as Tool), ...approvalView(a) })), fingerprint: r.fingerprint, ...(warnings.length ? { warnings } : {}) }
}

// Prompts as last listed, per caller and config version: what a prompt get is checked against.
const promptsSeen = new Lru<Prompt[]>(2000, Date.now, 32 * 1024 * 1024)
const PROMPTS_TTL = 60_000
const seenKey = (caller: Caller, rec: Rec<McpConfig>) => `${caller.sub}|${rec.id}|${rec.version}`

/** A server that declares a list but answers -32601 lists as empty, with an entry in `warnings`. */
export async function fetchPrompts(s: Session, caller: Caller, rec: Rec<McpConfig>, warnings: Warning[] = []): Promise<Prompt[]> {
  if (!s.client.getServerCapabilities()?.prompts) return []
  const prompts = await orEmpty(s.client.listPrompts(undefined, s.opts).then((r) => r.prompts), 'prompts/list', warnings)
  promptsSeen.set(seenKey(caller, rec), prompts, PROMPTS_TTL, JSON.stringify(prompts).length)
  return prompts
}

export async function fetchResources(s: Session, warnings: Warning[] = []): Promise<Resource[]> {
  if (!s.client.getServerCapabilities()?.resources) return []
  return orEmpty(s.client.listResources(undefined, s.opts).then((r) => r.resources), 'resources/list', warnings)
}

/** Resource templates are part of the resources capability; many servers that declare it do not serve them (-32601). */
export async function fetchTemplates(s: Session, warnings: Warning[] = []): Promise<ResourceTemplateType[]> {
  if (!s.client.getServerCapabilities()?.resources) return []
  return orEmpty(s.client.listResourceTemplates(undefined, s.opts).then((r) => r.resourceTemplates), 'resources/templates/list', warnings)
}

const withWarnings = (warnings: Warning[]) => (warnings.length ? { warnings } : {})

const ownTools = async (d: Deps, caller: Caller, rec: Rec<McpConfig>) => (await loadState(d, { sub: caller.sub, id: rec.id, version: rec.version }))?.tools ?? []

export async function reviewOther(d: Deps, caller: Caller, rec: Rec<McpConfig>, kind: 'prompt' | 'resource', defs: unknown[], record: boolean): Promise<Review> {
  return review(d, caller, rec, kind, defs, { scan: scanFor(caller, rec, await ownTools(d, caller, rec)), record })
}

export async function listResources(d: Deps, caller: Caller, id: string, signal: AbortSignal) {
  const rec = await load(d, caller, id)
  const warnings: Warning[] = []
  const resources = await withTarget(d, caller, rec, signal, (s) => fetchResources(s, warnings))
  const r = await reviewOther(d, caller, rec, 'resource', resources, true)
  return { resources: r.assessed.map((a) => ({ ...resourceView(a.def as Resource), ...approvalView(a) })), ...withWarnings(warnings) }
}

/** `GET /mcps/{id}/resources/templates`: upstream pagination followed, as for resources. */
export async function listResourceTemplates(d: Deps, caller: Caller, id: string, signal: AbortSignal) {
  const warnings: Warning[] = []
  const templates = await run(d, caller, id, signal, (s) => fetchTemplates(s, warnings))
  return { resource_templates: templates.map(templateView), ...withWarnings(warnings) }
}

export async function listPrompts(d: Deps, caller: Caller, id: string, signal: AbortSignal) {
  const rec = await load(d, caller, id)
  const warnings: Warning[] = []
  const prompts = await withTarget(d, caller, rec, signal, (s) => fetchPrompts(s, caller, rec, warnings))
  const r = await reviewOther(d, caller, rec, 'prompt', prompts, true)
  return { prompts: r.assessed.map((a) => ({ ...promptView(a.def as Prompt), ...approvalView(a) })), ...withWarnings(warnings) }
}

/** What an interactive read or prompt get was started as: answered like execute (shared/executions/api.ts `replyFor`). */
export type StartedCall = { started: Started }

export async function readResource(d: Deps, caller: Caller, id: string, query: URLSearchParams, signal: AbortSignal): Promise<{ contents: ReturnType<typeof contentsView>[] } | StartedCall> {
  if (query.getAll('uri').length > 1) throw new AppError('invalid_request', 'Give one uri.', { errors: [{ path: '/uri', message: 'must be given once' }] })
  const q = check<{ uri: string; capabilities?: string }>(readQuery, Object.fromEntries(query), 'query')
  if (q.capabilities) {
    // A 2026-07-28 server may answer input_required: the read becomes an execution.
    const rec = await load(d, caller, id)
    const { startExecution } = await import('../executions/api.js')
    return { started: await startExecution(d, caller, rec, 'resource', q.uri, {}, declaredOf(q.capabilities), { signal }) }
  }
  return run(d, caller, id, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.resources) throw new AppError('not_found', 'This MCP server has no resources.')
    const r = await s.client.readResource({ uri: q.uri }, { ...s.opts, cacheMode: 'bypass' })
      .catch((e) => resourceRefused(e, q.uri, () => fetchResources(s).then((l) => l.map((x) => x.uri), () => undefined)))
    return { contents: r.contents.map(contentsView) }
  })
}

/** A pending or blocked prompt is refused like a tool (409 tool_not_approved); see the gate. */
export async function getPrompt(d: Deps, caller: Caller, id: string, name: string, body: unknown, signal: AbortSignal): Promise<{ description: string | null; messages: unknown[] } | StartedCall> {
  const b = check<{ arguments?: Record<string, string>; capabilities?: Declared }>(promptBody, body === undefined ? {} : body)
  const rec = await load(d, caller, id)
  try {
    const gate = gateFor(d, caller, rec, 'prompt', name)
    const checked = async (s: Session) => {
      if (!s.client.getServerCapabilities()?.prompts) throw new AppError('not_found', 'This MCP server has no prompts.')
      let prompts = promptsSeen.get(seenKey(caller, rec))
      // Unknown, or not among the prompts last seen: listed afresh when there are pins to compare with.
      if (!prompts?.some((p) => p.name === name) && (await gate.needsDefinitions())) prompts = await fetchPrompts(s, caller, rec)
      await gate.check(prompts)
      // Required arguments are checked here when the prompt's definition is known: 400 before anything is sent.
      const known = prompts?.find((p) => p.name === name)
      const missing = known ? missingArguments(known, b.arguments) : []
      if (missing.length) throw new AppError('invalid_request', `The prompt needs ${missing.length === 1 ? 'an argument' : 'arguments'} it was not given: ${missing.map((m) => m.path).join(', ')}.`, { errors: missing })
    }
    if (b.capabilities) {
      // A 2026-07-28 server may answer input_required: the get becomes an execution.
      const { startExecution } = await import('../executions/api.js')
      return { started: await startExecution(d, caller, rec, 'prompt', name, b.arguments ?? {}, b.capabilities, { signal, before: async (s) => void (await checked(s)) }) }
    }
    return await withTarget(d, caller, rec, signal, async (s) => {
      await checked(s)
      const r = await s.client.getPrompt({ name, arguments: b.arguments ?? {} }, s.opts)
        .catch((e) => promptRefused(e, name, b.arguments, () => fetchPrompts(s, caller, rec).catch(() => undefined)))
      checkResultDepth([r.messages])
      return { description: r.description ?? null, messages: r.messages }
    })
  } catch (e) {
    const block = blockOf(e)
    if (block) auditBlock(d, caller, id, 'prompt', name, block)
    throw e
  }
}

/** Current definitions of each kind the caller sees, as a review; `record`: the owner's look pins a first set, as a listing does. */
async function current(d: Deps, caller: Caller, rec: Rec<McpConfig>, signal: AbortSignal, kinds: readonly PinKind[], record: boolean): Promise<Partial<Record<PinKind, Review>>> {
  const out: Partial<Record<PinKind, Review>> = {}
  // Fresh from the server: what is approved is what it serves now.
  if (kinds.includes('tool')) out.tool = await reviewTools(d, caller, rec, await knownTools(d, caller, rec, signal, { refresh: true }), record)
  const others = kinds.filter((k): k is 'prompt' | 'resource' => k !== 'tool')
  if (!others.length) return out
  const lists = await withTarget(d, caller, rec, signal, async (s) => ({
    prompt: others.includes('prompt') ? await fetchPrompts(s, caller, rec) : [],
    resource: others.includes('resource') ? await fetchResources(s) : [],
  }))
  for (const k of others) out[k] = await reviewOther(d, caller, rec, k, lists[k], record)
  return out
}

const PLURAL = { tool: 'tools', prompt: 'prompts', resource: 'resources' } as const

/** `GET /mcps/{id}/tools/changes`: what waits for approval, with diffs, per kind. */
export async function listChanges(d: Deps, caller: Caller, id: string, signal: AbortSignal) {
  const rec = await load(d, caller, id)
  const reviews = await current(d, caller, rec, signal, ['tool', 'prompt', 'resource'], true)
  const out: Record<string, unknown> = { mode: policyOf(rec.data).mode, fingerprint: reviews.tool!.fingerprint }
  const removed: Record<string, unknown> = {}
  for (const k of ['tool', 'prompt', 'resource'] as const) {
    const c = changes(reviews[k]!)
    out[PLURAL[k]] = c.pending
    removed[PLURAL[k]] = c.removed
  }
  return { ...out, removed }
}

interface ApproveBody { tools?: Record<string, string>; prompts?: Record<string, string>; resources?: Record<string, string>; acknowledge_findings?: boolean }

/**
 * `POST /mcps/{id}/tools/approve`: pins exactly the versions named, by
 * fingerprint; any that moved meanwhile (or is no longer listed) makes it 409
 * `conflict` and nothing is approved. Owner or org admin only.
 */
export async function approve(d: Deps, caller: Caller, id: string, body: unknown, signal: AbortSignal) {
  const t0 = performance.now()
  const b = check<ApproveBody>(approveBody, body)
  const rec = await load(d, caller, id)
  if (!mutable(rec.data, caller)) throw new AppError('forbidden', 'Only the owner, or an admin of its org, can approve definitions of this MCP server.')
  const wanted = (['tool', 'prompt', 'resource'] as const).filter((k) => Object.keys(b[PLURAL[k]] ?? {}).length)
  if (!wanted.length) throw new AppError('invalid_request', 'Name at least one definition to approve.', { errors: [{ path: '/tools', message: 'must name at least one tool, prompt or resource' }] })
  const reviews = await current(d, caller, rec, signal, wanted, false)
  const picks = wanted.map((k) => [k, select(reviews[k]!, b[PLURAL[k]]!, b.acknowledge_findings === true)] as const)
  const conflicts = Object.fromEntries(picks.filter(([, s]) => Object.keys(s.conflicts).length).map(([k, s]) => [PLURAL[k], s.conflicts]))
  if (Object.keys(conflicts).length)
    throw new AppError('conflict', 'A definition changed (or is no longer listed) since its fingerprint was read: review the changes again.', { conflicts })
  const unacked = picks.flatMap(([k, s]) => s.unacknowledged.map((key) => ({ path: `/${PLURAL[k]}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'has critical findings: approve it with "acknowledge_findings": true' })))
  if (unacked.length) throw new AppError('invalid_request', 'Critical findings must be acknowledged to approve these definitions.', { errors: unacked })
  const out: Record<string, unknown[]> = {}
  for (const [k, s] of picks) {
    await approvePins(d, k, rec, caller, s.items, b.acknowledge_findings === true)
    out[PLURAL[k]] = s.items.map((a) => ({ [k === 'resource' ? 'uri' : 'name']: a.key, fingerprint: a.fingerprint, approval: 'approved' }))
    audit(d, {
      actor: caller.sub, org: caller.org ?? null, action: 'tool.approve', kind: k, mcp_id: id, outcome: 'ok',
      names: s.items.map((a) => a.key.slice(0, 128)).slice(0, 50), duration_ms: Math.round(performance.now() - t0),
    })
  }
  return out
}
