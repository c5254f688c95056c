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
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN
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
export type Op = () => Promise<unknown>

/**
 * Runs the variants interleaved (A B C, then B C A, ...: the order rotates), `warmup` rounds
 * unrecorded, then `rounds` recorded. Sequential and bounded: rounds × variants calls in all.
 * Rotation keeps the cyclic order, so with three variants or more each mostly runs right after
 * the same one (whose after-work, e.g. a write-behind, spills into it); `shuffle` puts each
 * round in its own order instead (a fixed seed: every run the same sequence).
 */
export async function interleave<K extends string>(variants: Record<K, Op>, o: { rounds: number; warmup: number; shuffle?: boolean }): Promise<Record<K, Summary>> {
  const runs = (Object.entries(variants) as [K, Op][]).map(([name, op]) => ({ name, op, samples: [] as number[], errors: 0 }))
  const random = seeded(0x9e3779b9)
  for (let r = 0; r < o.warmup + o.rounds; r++) {
    const order = runs.map((_, k) => runs[(r + k) % runs.length]!)
    if (o.shuffle) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[order[i], order[j]] = [order[j]!, order[i]!]
      }
    }
    for (const v of order) {
      const t0 = performance.now()
      let ok = true
      try {
        ok = (await v.op()) !== false
      } catch {
        ok = false
      }
      const ms = performance.now() - t0
      if (r < o.warmup) continue
      if (ok) v.samples.push(ms)
      else v.errors++
    }
  }
  return Object.fromEntries(runs.map((v) => [v.name, summarize(v.samples, v.errors)])) as Record<K, Summary>
}

/** mulberry32: a small deterministic PRNG in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
