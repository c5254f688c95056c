/**
 * Item 4: listing tools, cold (first listing of a freshly registered MCP: no
 * cached protocol era or tools) against warm (the same MCP listed again).
 * Registration is not timed; cold and warm calls are interleaved.
 */
import type { Api } from './api.js'
import { interleave, type Summary } from './stats.js'

export interface ListingResult { server: string; cold: Summary; warm: Summary; speedup_p50: number }

export async function listing(a: Api, server: string, url: string, o: { rounds: number; warmup: number }): Promise<ListingResult> {
  const steady = await a.register(`list-${server}`, url)
  let n = 0
  // One fresh MCP per cold sample, registered before the rounds so registering is never timed.
  const fresh: string[] = []
  for (let i = 0; i < o.rounds + o.warmup; i++) fresh.push(await a.register(`list-${server}-${i}`, url))
  const r = await interleave(
    {
      cold: () => a.listTools(fresh[n++]!),
      warm: () => a.listTools(steady),
    },
    o,
  )
  return { server, cold: r.cold, warm: r.warm, speedup_p50: r.cold.p50 / r.warm.p50 }
}
