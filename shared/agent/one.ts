/** `/api/v1/mcps/{id}/mcp`: one config as an MCP server for the caller (404 for anyone else's). */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { load } from '../registry/read.js'
import { declared, proxyServer, upstreamInfo } from './proxy.js'
import type { Endpoint } from './session.js'
import { callTool } from './call.js'

export async function oneEndpoint(d: Deps, caller: Caller, id: string): Promise<Endpoint> {
  const rec = await load(d, caller, id)
  return {
    owner: `${caller.sub}|${rec.id}`,
    async build(client, legacy, signal) {
      const b = { d, caller, rec, client, legacy }
      const up = await upstreamInfo(b, signal)
      return { server: () => proxyServer(b, up), caps: declared(up.capabilities), ...(up.capabilities.tools ? { call: (p, ctx) => callTool(b, ctx, p) } : {}) }
    },
  }
}
