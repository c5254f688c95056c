/** Item 1: `execute` through the gateway vs a direct warm session and a direct short-lived call, same upstream. */
import { interleave, type Summary } from './stats.js'
import { ECHO, type Api } from './api.js'
import { shortLivedCall, warmClient, type Era } from './direct.js'

export interface LatencyResult {
  server: string
  era: Era
  gateway: Summary
  direct_warm: Summary
  direct_short: Summary
  /** gateway p50 / direct warm p50 */
  ratio_p50: number
  /** gateway p95 − direct warm p95, ms */
  delta_p95_ms: number
}

export async function latency(a: Api, server: string, era: Era, url: string, id: string, o: { rounds: number; warmup: number }): Promise<LatencyResult> {
  const warm = await warmClient(url, era)
  try {
    const r = await interleave(
      {
        gateway: () => a.execute(id, 'echo', ECHO),
        direct_warm: () => warm.call(),
        direct_short: () => shortLivedCall(url, era),
      },
      o,
    )
    return {
      server, era,
      gateway: r.gateway, direct_warm: r.direct_warm, direct_short: r.direct_short,
      ratio_p50: r.gateway.p50 / r.direct_warm.p50,
      delta_p95_ms: r.gateway.p95 - r.direct_warm.p95,
    }
  } finally {
    await warm.close()
  }
}
