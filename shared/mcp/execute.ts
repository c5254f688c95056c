/** Tool execution: validate against the tool's schema (when known), call, map the result, audit. */
import type { Tool } from '@modelcontextprotocol/client'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { audit } from '../audit.js'
import { check } from '../validate.js'
import { executeBody, type LogLevel } from './schema.js'
import { load } from '../registry/read.js'
import { withTarget } from './target.js'
import type { Session } from './sessions.js'
import { resultView } from './views.js'
import { loadState, saveState, toolsFresh, type StateKey } from './state.js'
import type { Target } from './sessions.js'
import { checkArguments, checkOutput, isPlain, prepareSchema } from './args.js'
import { checkArgumentDepth, checkResultDepth } from './depth.js'
import { rateLimit } from '../ratelimit/limit.js'
import { blockOf, gateFor, type Gate } from '../governance/gate.js'
import { INVALID_PARAMS, METHOD_NOT_FOUND, rpcCode } from './refusal.js'
import type { Declared } from './sessions.js'
import type { Started } from '../executions/api.js'

export interface Hooks {
  /** Called once the call is about to start (validation passed): streaming writes its headers here. */
  onStart?(): void
  onProgress?(p: { progress: number; total: number | null; message: string | null }): void
  onLog?(l: { level: string; logger: string | null; data: unknown }): void
  /** The RateLimit and RateLimit-Policy response fields, when limits apply (also before a 429). */
  onRateLimit?(headers: Record<string, string>): void
}

export type ToolResultView = ReturnType<typeof resultView>

async function fetchTools(d: Deps, s: Session, k: StateKey): Promise<Tool[]> {
  if (!s.client.getServerCapabilities()?.tools) throw new AppError('not_found', 'This MCP server has no tools.')
  const { tools } = await s.client.listTools(undefined, { ...s.opts, cacheMode: 'bypass' })
  checkResultDepth(tools)
  saveState(d, k, { tools, tools_at: d.clock.now() })
  return tools
}

const noSuchTool = (name: string) => new AppError('not_found', `The MCP server has no tool named ${JSON.stringify(name.slice(0, 128))}.`)

/** Fetches the definitions afresh, then checks the tool's approval and the arguments against it: 404, 409 or 400 when at fault. */
export async function checkedAfresh(d: Deps, s: Session, t: Target, name: string, args: Record<string, unknown>, gate: Gate): Promise<Tool> {
  const tools = await fetchTools(d, s, t.state)
  const tool = tools.find((x) => x.name === name)
  if (!tool) throw noSuchTool(name)
  await gate.check(tools)
  await checkArguments(tool.inputSchema as Record<string, unknown>, args)
  return tool
}

/**
 * The tool's definition, for validating arguments before the call. Known
 * definitions are used however old; an unknown name, or a validation failure
 * against a definition past its freshness, refetches once. Undefined when no
 * definition of this MCP's tools is known yet (it was never listed): the call
 * then goes straight to the server, which must validate its inputs itself
 * (MCP tools: servers MUST validate all tool inputs). If the server refuses
 * it (an error result, or JSON-RPC invalid params), `checkedAfresh` answers
 * as if the arguments had been checked first; when they pass, the server's
 * own answer stands. A first call does not pay a tools/list for validation,
 * unless the tool policy has pinned definitions to compare it with (the gate).
 */
export async function validated(d: Deps, s: Session, t: Target, name: string, args: Record<string, unknown>, gate: Gate): Promise<Tool | undefined> {
  const state = await loadState(d, t.state)
  if (!state?.tools) {
    if (await gate.needsDefinitions()) return checkedAfresh(d, s, t, name, args, gate)
    await gate.check(undefined)
    return undefined
  }
  const tool = state.tools.find((x) => x.name === name)
  if (!tool) return checkedAfresh(d, s, t, name, args, gate)
  try {
    await gate.check(state.tools)
  } catch (e) {
    // A refusal against definitions past their freshness is decided on the server's current ones.
    if (!blockOf(e) || toolsFresh(state, d.clock.now())) throw e
    return checkedAfresh(d, s, t, name, args, gate)
  }
  try {
    await checkArguments(tool.inputSchema as Record<string, unknown>, args)
    return tool
  } catch (e) {
    if (toolsFresh(state, d.clock.now())) throw e
    return checkedAfresh(d, s, t, name, args, gate)
  }
}

/**
 * When the tool's definition is known (the store's learned state) and a schema of it is
 * not plain (plain-schema.ts), starts compiling that schema in the worker now, so that on
 * a new instance the worker's start and the compilation overlap the SDK's load and the
 * upstream connect instead of following them; `validated` and `prepareSchema` then wait
 * for the same compilation. An instance whose calls need no compiled validator (plain
 * schemas and conforming values, or no known definitions) never starts the worker.
 */
function precompile(d: Deps, k: StateKey, name: string): void {
  void loadState(d, k).then((s) => {
    const tool = s?.tools?.find((x) => x.name === name)
    for (const schema of [tool?.inputSchema, tool?.outputSchema]) if (schema && !isPlain(schema)) void prepareSchema(schema)
  }).catch(() => {})
}

// 2026-07-28: the level travels in each request's `_meta` (absent: the server sends no log messages).
const LOG_LEVEL_META = 'io.modelcontextprotocol/logLevel'

/**
 * Asks the server for log messages from `level` up, the way its protocol era
 * does it: 2026-07-28 in the call's own `_meta` (returned), 2025 with
 * logging/setLevel on this call's private connection, when the caller chose a
 * level and the server declares `logging` (one that does not answer it keeps
 * its own level).
 */
async function logLevelFor(s: Session, level: LogLevel | undefined): Promise<Record<string, unknown>> {
  if (s.era === 'modern') return { _meta: { [LOG_LEVEL_META]: level ?? 'info' } }
  if (level && s.client.getServerCapabilities()?.logging) {
    await s.client.setLoggingLevel(level, s.opts).catch((e) => { if (rpcCode(e) !== METHOD_NOT_FOUND) throw e })
  }
  return {}
}

/** How an interactive execution is wanted: with what the caller declared it can answer, and whether the caller waits. */
export interface Interactive {
  /** `Prefer: respond-async`: answer 202 at once; the call goes on without the caller's connection. */
  async: boolean
}

export async function execute(d: Deps, caller: Caller, id: string, toolName: string, body: unknown, signal: AbortSignal, hooks: Hooks = {}): Promise<ToolResultView> {
  const r = await executeOrStart(d, caller, id, toolName, body, signal, hooks)
  if ('started' in r) throw new Error('execute: an interactive execution needs executeOrStart')
  return r
}

/** The executions module (interactive and async calls): loaded on first use, then kept (an `import()` per request costs a resolve). */
let executionsApi: Promise<typeof import('../executions/api.js')> | undefined
export const loadExecutions = () => (executionsApi ??= import('../executions/api.js'))

/**
 * A plain call (no `capabilities`, not async), exactly as always; or an
 * interactive execution (shared/executions/), started after the same checks.
 */
export async function executeOrStart(d: Deps, caller: Caller, id: string, toolName: string, body: unknown, signal: AbortSignal, hooks: Hooks = {}, how?: Interactive): Promise<ToolResultView | { started: Started }> {
  const t0 = performance.now()
  const b = check<{ arguments?: Record<string, unknown>; log_level?: LogLevel; capabilities?: Declared }>(executeBody, body === undefined ? {} : body)
  const args = b.arguments ?? {}
  checkArgumentDepth(args)
  const rec = await load(d, caller, id)
  precompile(d, { sub: caller.sub, id: rec.id, version: rec.version }, toolName)
  await rateLimit(d, caller, rec, toolName, hooks.onRateLimit)
  if (b.capabilities || how?.async) {
    const { startExecution } = await loadExecutions()
    const gate = gateFor(d, caller, rec, 'tool', toolName)
    const started = await startExecution(d, caller, rec, 'tool', toolName, args, b.capabilities ?? {}, {
      ...(how?.async ? { async: true } : { signal }),
      hooks: { onStart: hooks.onStart, onProgress: hooks.onProgress, onLog: hooks.onLog },
      before: async (s, target) => {
        const tool = await validated(d, s, target, toolName, args, gate)
        if (tool?.outputSchema) await prepareSchema(tool.outputSchema)
        return tool
      },
    })
    return { started }
  }
  let outcome: 'ok' | 'error' | 'cancelled' = 'error'
  let code: string | undefined
  let blocked: ReturnType<typeof blockOf>
  try {
    // The tool policy: a denied tool is 404 here, before anything goes upstream.
    const gate = gateFor(d, caller, rec, 'tool', toolName)
    const result = await withTarget(d, caller, rec, signal, async (s, target) => {
      const tool = await validated(d, s, target, toolName, args, gate)
      // The SDK checks structured results against this schema: compiled now, off the event loop. A plain
      // one is checked after the call instead (below), so its compilation never holds the call up.
      const out = tool?.outputSchema as Record<string, unknown> | undefined
      if (out && !isPlain(out)) await prepareSchema(out)
      if (hooks.onLog) {
        s.client.setNotificationHandler('notifications/message', (n) => {
          hooks.onLog!({ level: n.params.level, logger: n.params.logger ?? null, data: n.params.data })
        })
      }
      const logging = hooks.onLog ? await logLevelFor(s, b.log_level) : {}
      hooks.onStart?.()
      const r = await s.client.callTool(
        { name: toolName, arguments: args, ...logging },
        {
          ...s.opts,
          ...(tool ? { toolDefinition: tool } : {}),
          ...(hooks.onProgress
            ? {
                resetTimeoutOnProgress: true,
                onprogress: (p: { progress: number; total?: number; message?: string }) =>
                  hooks.onProgress!({ progress: p.progress, total: p.total ?? null, message: p.message ?? null }),
              }
            : {}),
        },
      ).catch(async (e) => {
        if (!tool && (e as { code?: unknown })?.code === INVALID_PARAMS) await checkedAfresh(d, s, target, toolName, args, gate)
        throw e
      })
      if (!tool && r.isError) await checkedAfresh(d, s, target, toolName, args, gate)
      // As the SDK refuses a structured result that breaks the output schema (when it has the validator compiled).
      if (out && isPlain(out)) await checkOutput(out, r)
      checkResultDepth([r.content, r.structuredContent, (r as { toolResult?: unknown }).toolResult])
      return resultView(r as Parameters<typeof resultView>[0])
    }, { fresh: Boolean(hooks.onLog) })
    outcome = 'ok'
    return result
  } catch (e) {
    code = e instanceof AppError ? e.code : 'internal'
    if (code === 'cancelled') outcome = 'cancelled'
    blocked = blockOf(e)
    throw e
  } finally {
    // A call the tool policy refused is audited as such (tool.blocked, with the reason as its code).
    audit(d, {
      actor: caller.sub, org: caller.org ?? null, action: blocked ? 'tool.blocked' : 'tool.execute', mcp_id: id, tool: toolName.slice(0, 128),
      argument_names: Object.keys(args).slice(0, 50), outcome: blocked ? 'denied' : outcome, ...(code ? { code: blocked ?? code } : {}), duration_ms: Math.round(performance.now() - t0),
    })
  }
}
