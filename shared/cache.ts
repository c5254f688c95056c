/**
 * A bounded LRU with per-entry expiry: every in-memory cache in the gateway is
 * one of these. Bounded in entries, and optionally in bytes: entries set with
 * a weight (their approximate size) count towards `maxBytes`, and the least
 * recently used go until both bounds hold. One entry heavier than the whole
 * budget is not kept at all.
 */
export class Lru<V> {
  private map = new Map<string, { v: V; exp: number; bytes: number }>()
  private weight = 0
  constructor(private max: number, private now: () => number = Date.now, private maxBytes = Infinity) {}

  get(key: string): V | undefined {
    const e = this.map.get(key)
    if (!e) return undefined
    this.map.delete(key)
    if (e.exp <= this.now()) {
      this.weight -= e.bytes
      return undefined
    }
    this.map.set(key, e)
    return e.v
  }

  /** `bytes`: the entry's approximate size, counted against `maxBytes`. */
  set(key: string, v: V, ttlMs: number, bytes = 0): void {
    this.delete(key)
    if (bytes > this.maxBytes) return
    this.map.set(key, { v, exp: this.now() + ttlMs, bytes })
    this.weight += bytes
    while (this.map.size > this.max || this.weight > this.maxBytes) this.delete(this.map.keys().next().value!)
  }

  delete(key: string): void {
    const e = this.map.get(key)
    if (!e) return
    this.map.delete(key)
    this.weight -= e.bytes
  }

  /** Drop every key starting with `prefix` (e.g. one MCP's entries). */
  deletePrefix(prefix: string): void {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.delete(k)
  }

  /** Live entries, least recently used first; reading them does not refresh them. */
  *entries(): IterableIterator<[string, V]> {
    const now = this.now()
    for (const [k, e] of this.map) if (e.exp > now) yield [k, e.v]
  }

  get size(): number {
    return this.map.size
  }

  /** The summed weight of the entries held. */
  get bytes(): number {
    return this.weight
  }
}
