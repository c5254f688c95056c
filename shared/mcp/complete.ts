/** `POST /mcps/{id}/complete`: MCP completion/complete for a prompt's argument or a resource template's variable. */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { check } from '../validate.js'
import { load } from '../registry/read.js'
import { completeBody } from './schema.js'
import { withTarget } from './target.js'
import type { Session } from './sessions.js'
import { fetchPrompts, fetchResources, fetchTemplates } from './listing.js'
import type { McpConfig } from '../registry/model.js'
import type { Rec } from '../ports.js'
import { completionRefused, METHOD_NOT_FOUND, rpcCode, type Warning } from './refusal.js'

interface CompleteBody {
  ref: { type: 'ref/prompt' | 'ref/resource'; name?: string; uri?: string }
  argument: { name: string; value: string }
  context?: { arguments?: Record<string, string> }
}

// MCP caps a completion at 100 values.
const MAX_VALUES = 100
const none = (warning: Warning) => ({ completion: { values: [] as string[], total: 0, has_more: false }, warnings: [warning] })

/** The names a refused ref is judged against: the server's prompts, or its templates' and resources' URIs. */
async function known(s: Session, caller: Caller, rec: Rec<McpConfig>, ref: CompleteBody['ref']): Promise<string[] | undefined> {
  try {
    if (ref.type === 'ref/prompt') return (await fetchPrompts(s, caller, rec)).map((p) => p.name)
    return [...(await fetchTemplates(s)).map((t) => t.uriTemplate), ...(await fetchResources(s)).map((r) => r.uri)]
  } catch {
    return undefined
  }
}

/**
 * Suggestions for one argument, given the values already chosen in
 * `context.arguments`. A server without the `completions` capability, or one
 * that does not answer the method, has none to give: an empty completion with
 * a warning. A prompt or template the server does not list is 404.
 */
export async function complete(d: Deps, caller: Caller, id: string, body: unknown, signal: AbortSignal) {
  const b = check<CompleteBody>(completeBody, body)
  const rec = await load(d, caller, id)
  const ref = b.ref.type === 'ref/prompt' ? { type: b.ref.type, name: b.ref.name! } : { type: b.ref.type, uri: b.ref.uri! }
  return withTarget(d, caller, rec, signal, async (s) => {
    if (!s.client.getServerCapabilities()?.completions) {
      return none({ code: 'not_supported', method: 'completion/complete', message: 'The MCP server does not offer completions.' })
    }
    try {
      const r = await s.client.complete({ ref, argument: b.argument, ...(b.context ? { context: b.context } : {}) }, s.opts)
      const c = r.completion
      return { completion: { values: c.values.slice(0, MAX_VALUES), total: c.total ?? null, has_more: Boolean(c.hasMore) } }
    } catch (e) {
      if (rpcCode(e) === METHOD_NOT_FOUND) {
        return none({ code: 'method_not_found', method: 'completion/complete', message: 'The MCP server does not answer completion/complete (JSON-RPC -32601) although it declares the capability.' })
      }
      return completionRefused(e, ref, () => known(s, caller, rec, ref))
    }
  })
}
