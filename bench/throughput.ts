/**
 * Item 6: closed-loop throughput. `c` workers each call back to back for a
 * fixed duration; gateway `execute` against one shared warm direct client.
 * Peak RSS of the gateway process is read per level (VmHWM, reset before each
 * gateway run where Linux allows it).
 */
import { ECHO, type Api } from './api.js'
import { warmClient, type Era } from './direct.js'
import { summarize, type Op, type Summary } from './stats.js'
import type { GatewayProc } from './gateway-proc.js'

export interface LoadRun extends Summary { concurrency: number; calls: number; duration_s: number }
export interface ThroughputLevel {
  concurrency: number
  gateway: LoadRun
  direct: LoadRun
  /** gateway calls/s ÷ direct calls/s */
  ratio: number
  /** gateway RSS just before its run, and its peak during the run */
  gateway_rss_before_mib: number | null
  gateway_peak_rss_mib: number | null
  /** false when VmHWM could not be reset: then the peak is since the gateway started */
  peak_reset: boolean
}
export interface ThroughputResult { server: string; levels: ThroughputLevel[] }

export async function closedLoop(op: Op, concurrency: number, durationMs: number): Promise<LoadRun> {
  const samples: number[] = []
  let errors = 0
  const t0 = performance.now()
  const end = t0 + durationMs
  const worker = async () => {
    while (performance.now() < end) {
      const s = performance.now()
      let ok = false
      try { ok = (await op()) !== false } catch { ok = false }
      if (ok) samples.push(performance.now() - s)
      else errors++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const secs = (performance.now() - t0) / 1000
  const s = summarize(samples, errors)
  return { ...s, throughput: samples.length / secs, concurrency, calls: samples.length + errors, duration_s: secs }
}

export async function throughput(a: Api, gw: GatewayProc, server: string, era: Era, url: string, id: string, o: { levels: number[]; durationMs: number }): Promise<ThroughputResult> {
  const warm = await warmClient(url, era)
  const levels: ThroughputLevel[] = []
  try {
    const gwOp: Op = () => a.execute(id, 'echo', ECHO)
    await closedLoop(gwOp, 4, Math.min(300, o.durationMs)) // warm-up of both paths
    await closedLoop(() => warm.call(), 4, Math.min(300, o.durationMs))
    for (const [i, c] of o.levels.entries()) {
      let gateway: LoadRun | undefined
      let direct: LoadRun | undefined
      let peak_reset = false
      let peak: number | null = null
      let before: number | null = null
      const runGateway = async () => {
        before = gw.mem()?.rssMiB ?? null
        peak_reset = gw.resetPeak()
        gateway = await closedLoop(gwOp, c, o.durationMs)
        peak = gw.mem()?.peakMiB ?? null
      }
      const runDirect = async () => { direct = await closedLoop(() => warm.call(), c, o.durationMs) }
      // Alternate which side goes first from level to level.
      if (i % 2 === 0) { await runGateway(); await runDirect() } else { await runDirect(); await runGateway() }
      levels.push({ concurrency: c, gateway: gateway!, direct: direct!, ratio: gateway!.throughput / direct!.throughput, gateway_rss_before_mib: before, gateway_peak_rss_mib: peak, peak_reset })
    }
    return { server, levels }
  } finally {
    await warm.close()
  }
}
