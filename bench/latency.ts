/** Item 1: `execute` through the gateway vs a direct warm session and a direct short-lived call, same upstream. */
import { interleave, type Summary } from './stats.js'
import { ECHO, type Api } from './api.js'
import { shortLivedCall, warmClient, type Era } from './direct.js'

export interface LatencyResult {
  server: string
  era: Era
  /** From the pair with the direct warm session. */
  gateway: Summary
  direct_warm: Summary
  /** From the pair with the direct short-lived call. */
  gateway_vs_short: Summary
  direct_short: Summary
  /** gateway p50 / direct warm p50 */
  ratio_p50: number
  /** gateway p95 − direct warm p95, ms */
  delta_p95_ms: number
}

export async function latency(a: Api, server: string, era: Era, url: string, id: string, o: { rounds: number; warmup: number }): Promise<LatencyResult> {
  const warm = await warmClient(url, era)
  try {
    // Each comparison is its own interleaved pair (A B A B ...), as the issue asks: a
    // short-lived call's teardown (session DELETE, socket close) would otherwise spill
    // into whichever call follows it.
    const w = await interleave({ gateway: () => a.execute(id, 'echo', ECHO), direct_warm: () => warm.call() }, o)
    const s = await interleave({ gateway: () => a.execute(id, 'echo', ECHO), direct_short: () => shortLivedCall(url, era) }, o)
    return {
      server, era,
      gateway: w.gateway, direct_warm: w.direct_warm, gateway_vs_short: s.gateway, direct_short: s.direct_short,
      ratio_p50: w.gateway.p50 / w.direct_warm.p50,
      delta_p95_ms: w.gateway.p95 - w.direct_warm.p95,
    }
  } finally {
    await warm.close()
  }
}
