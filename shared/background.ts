/**
 * Work that must not hold up a response (audit records, learned upstream
 * state). Tracked so shutdown and tests can wait for it: `flushed()`.
 */
const pending = new Set<Promise<unknown>>()

export function track(p: Promise<unknown>): void {
  const q = p.catch(() => {})
  pending.add(q)
  void q.finally(() => pending.delete(q))
}

export async function flushed(): Promise<void> {
  for (let i = 0; pending.size && i < 100; i++) await Promise.all([...pending])
}
