/**
 * `tools/call` through the proxy: the same checks as REST execute (rate
 * limits, the tool policy, arguments against the known schema), then the
 * request as the agent sent it, and its result as the server gave it.
 */
import type { ServerContext } from '@modelcontextprotocol/server'
import { AppError } from '../errors.js'
import { audit } from '../audit.js'
import { withTarget } from '../mcp/target.js'
import { checkedAfresh, validated } from '../mcp/execute.js'
import { prepareSchema } from '../mcp/args.js'
import { checkArgumentDepth, checkResultDepth } from '../mcp/depth.js'
import { rateLimit } from '../ratelimit/limit.js'
import { blockOf, gateFor } from '../governance/gate.js'
import { relay } from './relay.js'
import { toRpc } from './errors.js'
import { INVALID_PARAMS } from '../mcp/refusal.js'
import { downstreamOf, progressOpts, withoutProgress, type Bound } from './forward.js'
import type { Downstream } from './relay.js'
import { rounds } from './input.js'

export async function callTool(b: Bound, ctx: ServerContext, params: Record<string, any>): Promise<any> {
  const name = String(params?.name ?? '')
  if (b.legacy) return callOnce(b, params, ctx.mcpReq.signal, downstreamOf(ctx, true))
  // 2026-07-28 agent: questions come back as input_required (shared/agent/input.ts).
  const { requestState: _s, inputResponses: _r, ...first } = params ?? {}
  return rounds(b, ctx, 'tools/call', name, params, (extra, signal, to) => callOnce(b, { ...first, ...extra }, signal, to, true))
}

/** One call upstream; `manual`: an upstream's input_required is returned, not fulfilled. */
async function callOnce(b: Bound, params: Record<string, any>, signal: AbortSignal, to: Downstream, manual = false): Promise<any> {
  const t0 = performance.now()
  const { d, caller, rec } = b
  const name = String(params?.name ?? '')
  const args = (params?.arguments ?? {}) as Record<string, unknown>
  let outcome: 'ok' | 'error' | 'cancelled' = 'error'
  let code: string | undefined
  let blocked: ReturnType<typeof blockOf>
  try {
    checkArgumentDepth(args)
    await rateLimit(d, caller, rec, name)
    const gate = gateFor(d, caller, rec, 'tool', name)
    const r = await withTarget(d, caller, rec, signal, async (s, target) => {
      const tool = await validated(d, s, target, name, args, gate)
      if (tool?.outputSchema) await prepareSchema(tool.outputSchema)
      const result = await relay.run(to, () =>
        s.client.callTool(withoutProgress(params) as never, { ...s.opts, ...(tool ? { toolDefinition: tool } : {}), ...progressOpts(to, params), ...(manual ? { allowInputRequired: true } : {}) } as never),
      ).catch(async (e) => {
        if (!tool && (e as { code?: unknown })?.code === INVALID_PARAMS) await checkedAfresh(d, s, target, name, args, gate)
        throw e
      })
      if (!tool && result.isError) await checkedAfresh(d, s, target, name, args, gate)
      checkResultDepth([result.content, result.structuredContent])
      return result
    }, { client: b.client, ...(manual && Object.keys(b.client.capabilities).length ? { extraMs: d.config.inputTimeoutMs } : {}) })
    outcome = 'ok'
    return r
  } catch (e) {
    code = e instanceof AppError ? e.code : (e as { code?: unknown })?.code !== undefined ? 'upstream_error' : 'internal'
    if (code === 'cancelled') outcome = 'cancelled'
    blocked = blockOf(e)
    throw toRpc(e)
  } finally {
    audit(d, {
      actor: caller.sub, org: caller.org ?? null, action: blocked ? 'tool.blocked' : 'tool.execute', mcp_id: rec.id, tool: name.slice(0, 128),
      argument_names: Object.keys(args).slice(0, 50), outcome: blocked ? 'denied' : outcome, ...(code ? { code: blocked ?? code } : {}), duration_ms: Math.round(performance.now() - t0),
    })
  }
}
