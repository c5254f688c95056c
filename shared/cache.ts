/** A bounded LRU with per-entry expiry: every in-memory cache in the gateway is one of these. */
export class Lru<V> {
  private map = new Map<string, { v: V; exp: number }>()
  constructor(private max: number, private now: () => number = Date.now) {}

  get(key: string): V | undefined {
    const e = this.map.get(key)
    if (!e) return undefined
    this.map.delete(key)
    if (e.exp <= this.now()) return undefined
    this.map.set(key, e)
    return e.v
  }

  set(key: string, v: V, ttlMs: number): void {
    this.map.delete(key)
    this.map.set(key, { v, exp: this.now() + ttlMs })
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!)
  }

  delete(key: string): void {
    this.map.delete(key)
  }

  /** Drop every key starting with `prefix` (e.g. one MCP's entries). */
  deletePrefix(prefix: string): void {
    for (const k of this.map.keys()) if (k.startsWith(prefix)) this.map.delete(k)
  }

  get size(): number {
    return this.map.size
  }
}
