/** A Proxy that counts method calls by name (and, inside `transact`, the tx ops as `transact.get` etc.). */

export type Counts = Record<string, number>

export function countingProxy<T extends object>(target: T, counts: Counts, prefix = ''): T {
  return new Proxy(target, {
    get(t, prop, recv) {
      const v = Reflect.get(t, prop, recv)
      if (typeof v !== 'function' || typeof prop !== 'string') return v
      return (...args: unknown[]) => {
        const name = prefix + prop
        counts[name] = (counts[name] ?? 0) + 1
        if (prop === 'transact' && typeof args[0] === 'function') {
          const body = args[0] as (tx: object) => unknown
          args[0] = (tx: object) => body(countingProxy(tx, counts, 'transact.'))
        }
        return v.apply(t, args)
      }
    },
  })
}

const READS = new Set(['get', 'list', 'take', 'transact.get'])
const WRITES = new Set(['create', 'update', 'delete', 'take', 'put', 'transact.set', 'transact.delete'])

/** Totals per call: reads, writes and each method. */
export function perCall(counts: Counts, calls: number): { reads: number; writes: number; by_method: Record<string, number> } {
  let reads = 0
  let writes = 0
  const by: Record<string, number> = {}
  for (const [k, n] of Object.entries(counts)) {
    if (k === 'close' || k === 'ping') continue
    by[k] = n / calls
    if (READS.has(k)) reads += n
    if (WRITES.has(k)) writes += n
  }
  return { reads: reads / calls, writes: writes / calls, by_method: by }
}
