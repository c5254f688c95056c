/** `listing`: tools, resources, resource templates and prompts of one MCP server, completions, and the review and approval of their definitions. */
import { serve, header, type Ctx, type Route } from '../shared/http.js'
import { approve, getPrompt, listChanges, listPrompts, listResources, listResourceTemplates, listTools, readResource } from '../shared/mcp/listing.js'
import { complete } from '../shared/mcp/complete.js'
import { checkMcp } from '../shared/mcp/check.js'

/** A plain answer, or an interactive one (with `capabilities`): the result, a question, or the failure, as execute answers. */
async function answer(c: Ctx, r: object) {
  if (!('started' in r)) return { status: 200, body: r }
  const { started } = r as { started: import('../shared/executions/api.js').Started }
  const { replyFor } = await import('../shared/executions/api.js')
  return replyFor(c.deps, started.id, await started.stopped)
}

const routes: Route[] = [
  {
    method: 'GET', path: /^\/mcps\/(?<id>[^/]+)\/tools$/,
    // `Cache-Control: no-cache` asks for a fresh tools/list instead of the cached one.
    run: async (c) => ({ status: 200, body: await listTools(c.deps, c.caller, c.param('id'), c.signal, { refresh: /no-cache/i.test(header(c.req, 'cache-control') ?? '') }) }),
  },
  // What waits for approval, with diffs; and approving exact versions (owner or org admin).
  { method: 'GET', path: /^\/mcps\/(?<id>[^/]+)\/tools\/changes$/, run: async (c) => ({ status: 200, body: await listChanges(c.deps, c.caller, c.param('id'), c.signal) }) },
  {
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/tools\/approve$/,
    run: async (c) => ({ status: 200, body: await approve(c.deps, c.caller, c.param('id'), await c.body(), c.signal) }),
  },
  { method: 'GET', path: /^\/mcps\/(?<id>[^/]+)\/resources$/, run: async (c) => ({ status: 200, body: await listResources(c.deps, c.caller, c.param('id'), c.signal) }) },
  {
    method: 'GET', path: /^\/mcps\/(?<id>[^/]+)\/resources\/read$/,
    run: async (c) => answer(c, await readResource(c.deps, c.caller, c.param('id'), c.query, c.signal)),
  },
  {
    method: 'GET', path: /^\/mcps\/(?<id>[^/]+)\/resources\/templates$/,
    run: async (c) => ({ status: 200, body: await listResourceTemplates(c.deps, c.caller, c.param('id'), c.signal) }),
  },
  { method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/complete$/, run: async (c) => ({ status: 200, body: await complete(c.deps, c.caller, c.param('id'), await c.body(), c.signal) }) },
  { method: 'GET', path: /^\/mcps\/(?<id>[^/]+)\/prompts$/, run: async (c) => ({ status: 200, body: await listPrompts(c.deps, c.caller, c.param('id'), c.signal) }) },
  {
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/prompts\/(?<name>[^/]+)\/get$/,
    run: async (c) => answer(c, await getPrompt(c.deps, c.caller, c.param('id'), c.param('name'), await c.body(), c.signal)),
  },
  // Health: connect afresh with the caller's credentials and say what answered (or why nothing did).
  { method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/check$/, run: async (c) => ({ status: 200, body: await checkMcp(c.deps, c.caller, c.param('id'), c.signal) }) },
]

export const handler = serve('listing', routes)
