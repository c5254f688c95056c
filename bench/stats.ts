/** Percentiles, summaries and the interleaved runner every latency figure comes from. */

export interface Summary {
  n: number
  p50: number
  p95: number
  p99: number
  mean: number
  min: number
  max: number
  /** Sequential calls per second (1000 / mean) for latency runs; measured rate for load runs. */
  throughput: number
  errors: number
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export function summarize(samples: number[], errors = 0): Summary {
  const s = [...samples].sort((a, b) => a - b)
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN
  return {
    n: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    mean,
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
    throughput: mean > 0 ? 1000 / mean : NaN,
    errors,
  }
}

/** A measured operation: resolves true on success, false (or throws) on an error. */
export type Op = () => Promise<boolean | void>

/**
 * Runs the variants interleaved (A B C, then B C A, ...: the order rotates so no
 * variant always runs right after another), `warmup` rounds unrecorded, then
 * `rounds` recorded. Sequential and bounded: rounds × variants calls in all.
 */
export async function interleave(variants: Record<string, Op>, o: { rounds: number; warmup: number }): Promise<Record<string, Summary>> {
  const names = Object.keys(variants)
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]]))
  const errors = Object.fromEntries(names.map((n) => [n, 0]))
  for (let r = 0; r < o.warmup + o.rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length]
      const t0 = performance.now()
      let ok = true
      try {
        ok = (await variants[name]()) !== false
      } catch {
        ok = false
      }
      const ms = performance.now() - t0
      if (r < o.warmup) continue
      if (ok) samples[name].push(ms)
      else errors[name]++
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n], errors[n])]))
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
