/**
 * How many of an upstream's notifications go on to the MCP client (and so to
 * the caller): a gate per answer (one call) or per long-lived stream (one
 * connection), applied before the SDK parses or dispatches anything.
 *
 * - `notifications/<x>/list_changed`: once per method (per window on a
 *   long-lived stream): acting on it twice changes nothing.
 * - `notifications/progress`: per token, a burst of 10 then at most 10 a
 *   second (a token bucket); the latest one held back goes just before the
 *   answer.
 * - anything else from the server (log messages, `resources/updated`,
 *   unknown notifications, requests to us, events that are not JSON-RPC):
 *   `others` in all (per window on a long-lived stream).
 * - responses always pass.
 * Pure policy: no I/O, the clock is injected.
 */
export type Message = Record<string, unknown>

export interface GateLimits {
  /** Progress per token: a burst of `progressBurst`, then `progressPerSecond`. */
  progressPerSecond: number
  progressBurst: number
  /** Notifications other than progress and list_changed, requests, and non-JSON-RPC events. */
  others: number
  /** Counters restart every `windowMs` (long-lived streams); Infinity for one answer. */
  windowMs: number
}

/** One call's answer. */
export const CALL_LIMITS: GateLimits = { progressPerSecond: 10, progressBurst: 10, others: 100, windowMs: Infinity }
/** A connection's long-lived stream (the HTTP+SSE transport's, or streamable HTTP's GET stream). */
export const STREAM_LIMITS: GateLimits = { progressPerSecond: 10, progressBurst: 10, others: 100, windowMs: 10_000 }

type Token = string | number
/** Progress tokens tracked at once; a stream that uses more starts over (only rate is lost, never answers). */
const MAX_TOKENS = 256
const LIST_CHANGED = /^notifications\/[A-Za-z0-9_]+\/list_changed$/

export interface Dropped { list_changed: number; progress: number; other: number }

export class NotificationGate {
  readonly dropped: Dropped = { list_changed: 0, progress: 0, other: 0 }
  private windowStart: number
  private listed = new Set<string>()
  private others = 0
  /** Token buckets, per progress token. */
  private buckets = new Map<Token, { tokens: number; at: number }>()
  private held = new Map<Token, Message>()

  constructor(private limits: GateLimits = CALL_LIMITS, private now: () => number = Date.now) {
    this.windowStart = now()
  }

  /** Passes on `m`, and anything held that must go first, through `emit`; drops the rest. */
  pass(m: Message | undefined, emit: (m: Message | undefined) => void): void {
    const now = this.now()
    if (now - this.windowStart >= this.limits.windowMs) {
      this.windowStart = now
      this.listed.clear()
      this.others = 0
    }
    if (m === undefined) return this.other(m, emit) // not a JSON-RPC message
    const method = m.method
    if (typeof method !== 'string') {
      // A response: the held progress of its call goes first.
      const id = m.id
      if (typeof id === 'string' || typeof id === 'number') {
        for (const tok of [id, String(id), Number(id)]) {
          const h = this.held.get(tok)
          if (h) {
            this.held.delete(tok)
            emit(h)
          }
        }
      }
      return emit(m)
    }
    if (m.id === undefined && LIST_CHANGED.test(method)) {
      if (this.listed.has(method)) return void this.dropped.list_changed++
      this.listed.add(method)
      return emit(m)
    }
    if (m.id === undefined && method === 'notifications/progress') {
      const tok = (m.params as { progressToken?: unknown } | undefined)?.progressToken
      if (typeof tok === 'string' || typeof tok === 'number') return this.progress(tok, m, now, emit)
    }
    this.other(m, emit)
  }

  /** Releases every progress notification held back (the answer is about to go). */
  flush(emit: (m: Message) => void): void {
    const held = [...this.held.values()]
    this.held.clear()
    for (const m of held) emit(m)
  }

  private progress(tok: Token, m: Message, now: number, emit: (m: Message) => void): void {
    let b = this.buckets.get(tok)
    if (!b) {
      if (this.buckets.size >= MAX_TOKENS) {
        this.buckets.clear()
        this.held.clear()
      }
      b = { tokens: this.limits.progressBurst, at: now }
      this.buckets.set(tok, b)
    }
    b.tokens = Math.min(this.limits.progressBurst, b.tokens + ((now - b.at) * this.limits.progressPerSecond) / 1000)
    b.at = now
    if (b.tokens < 1) {
      this.dropped.progress++
      this.held.set(tok, m)
      return
    }
    b.tokens -= 1
    this.held.delete(tok)
    emit(m)
  }

  private other(m: Message | undefined, emit: (m: Message | undefined) => void): void {
    if (this.others >= this.limits.others) return void this.dropped.other++
    this.others++
    emit(m)
  }

  get droppedTotal(): number {
    return this.dropped.list_changed + this.dropped.progress + this.dropped.other
  }
}
