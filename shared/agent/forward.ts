/** Forwarding one agent request upstream, with its progress and the server's requests relayed back. */
import type { ServerContext } from '@modelcontextprotocol/server'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import type { ConnectOptions } from '../mcp/sessions.js'
import { withTarget } from '../mcp/target.js'
import { relay, type Downstream, type Message } from './relay.js'
import { toRpc } from './errors.js'
import { rounds } from './input.js'

export interface Bound {
  d: Deps
  caller: Caller
  rec: Rec<McpConfig>
  /** The upstream client this agent's calls use (its capabilities, its connection). */
  client: NonNullable<ConnectOptions['client']>
  /** Set for a 2025 session: server requests can be put to the agent. */
  legacy: boolean
}

export interface UpstreamInfo { capabilities: Record<string, any>; instructions?: string }

/** The downstream request as the relay sees it. */
export function downstreamOf(ctx: ServerContext, legacy: boolean): Downstream {
  return {
    notify: (n) => ctx.mcpReq.notify(n as never),
    ...(legacy ? { request: (r: Message) => ctx.mcpReq.send(r as never) } : {}),
  }
}

/**
 * Progress: the agent's token is kept, the upstream's replaced by the SDK's
 * own. It goes where the call's other notifications go (`to`): for a held
 * call, the request now waiting on it (shared/agent/input.ts).
 */
export function progressOpts(to: Downstream, params: Record<string, any> | undefined) {
  const token = params?._meta?.progressToken
  if (token === undefined) return {}
  return {
    resetTimeoutOnProgress: true,
    onprogress: (p: { progress: number; total?: number; message?: string }) =>
      void to.notify({ method: 'notifications/progress', params: { progressToken: token, ...p } }).catch(() => {}),
  }
}

export function withoutProgress(params: Record<string, any> | undefined): Record<string, any> | undefined {
  if (!params?._meta || params._meta.progressToken === undefined) return params
  const { progressToken: _p, ...meta } = params._meta
  return { ...params, _meta: meta }
}

/** Forwards one request upstream, as is (cursors and `_meta` included). */
export async function forward(b: Bound, ctx: ServerContext, method: string, params: Record<string, any> | undefined): Promise<any> {
  const once = (p: Record<string, any> | undefined, signal: AbortSignal, to: Downstream, manual = false) =>
    withTarget(b.d, b.caller, b.rec, signal, (s) =>
      relay.run(to, () => s.client.request({ method, params: withoutProgress(p) } as never, { ...s.opts, ...progressOpts(to, p), ...(manual ? { allowInputRequired: true } : {}) } as never)),
      { client: b.client, ...(manual && Object.keys(b.client.capabilities).length ? { extraMs: b.d.config.inputTimeoutMs } : {}) })
  try {
    // A 2026-07-28 agent: questions come back as input_required (shared/agent/input.ts).
    if (!b.legacy && (method === 'prompts/get' || method === 'resources/read')) {
      const { requestState: _s, inputResponses: _r, ...first } = params ?? {}
      const name = String(method === 'prompts/get' ? params?.name : params?.uri)
      return await rounds(b, ctx, method, name, params, (extra, signal, to) => once({ ...first, ...extra }, signal, to, true))
    }
    return await once(params, ctx.mcpReq.signal, downstreamOf(ctx, b.legacy))
  } catch (e) {
    throw toRpc(e)
  }
}

