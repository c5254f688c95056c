/**
 * A child's stderr, line by line, into the structured log: bounded per process
 * (lines and bytes per minute) and with every user-supplied env value replaced
 * by `[redacted]` before anything is cut or written.
 */
import { log, redact } from '../log.js'

export interface StderrLimits { lines: number; bytes: number; windowMs: number; lineChars: number }
export const STDERR_LIMITS: StderrLimits = { lines: 64, bytes: 16 << 10, windowMs: 60_000, lineChars: 1024 }

const NOISY = /\b(error|fatal|panic|exception|warn(ing)?)\b/i

/** The last lines kept to say why a process exited: at most this many, each cut to `TAIL_CHARS`. */
export const TAIL_LINES = 10
const TAIL_CHARS = 300

export class StderrLog {
  private partial = ''
  /** Set while the rest of an overlong line is being skipped. */
  private skipping = false
  private windowStart = 0
  private lines = 0
  private bytes = 0
  private dropped = 0
  private secrets: string[]
  /** The last lines, redacted, logged or not (what a caller sees when the process exits). */
  private recent: string[] = []

  constructor(
    private catalogId: string,
    secrets: string[],
    private now: () => number = Date.now,
    private limits: StderrLimits = STDERR_LIMITS,
  ) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length)
  }

  /** Feeds raw output; complete lines are logged, an overlong one is cut at 4 KiB and its rest skipped. */
  feed(chunk: string): void {
    let text = this.partial + chunk
    this.partial = ''
    let nl: number
    while ((nl = text.indexOf('\n')) >= 0) {
      const line = text.slice(0, nl)
      text = text.slice(nl + 1)
      if (this.skipping) this.skipping = false
      else this.line(line, false)
    }
    if (this.skipping) return
    if (text.length > 4096) {
      this.line(text.slice(0, 4096), true)
      this.skipping = true
    } else this.partial = text
  }

  /** The last lines written (at most TAIL_LINES), redacted as the log has them. */
  tail(): string[] {
    return [...this.recent]
  }

  /** Logs what is left (the process exited). */
  end(): void {
    if (this.partial && !this.skipping) this.line(this.partial, false)
    this.partial = ''
    this.flushDropped()
  }

  /** Redacts env values; a cut line also loses any tail that starts a secret. */
  scrub(line: string, cut: boolean): string {
    for (const s of this.secrets) line = line.split(s).join('[redacted]')
    if (cut)
      for (const s of this.secrets)
        for (let k = Math.min(s.length - 1, line.length); k > 0; k--)
          if (line.endsWith(s.slice(0, k))) {
            line = line.slice(0, line.length - k) + '[redacted]'
            break
          }
    return redact(line)
  }

  private line(raw: string, cut: boolean): void {
    const now = this.now()
    if (now - this.windowStart >= this.limits.windowMs) {
      this.flushDropped()
      this.windowStart = now
      this.lines = 0
      this.bytes = 0
    }
    let text = this.scrub(raw.replace(/\r$/, ''), cut)
    if (!text.trim()) return
    this.recent.push(text.length > TAIL_CHARS ? text.slice(0, TAIL_CHARS) + '…' : text)
    if (this.recent.length > TAIL_LINES) this.recent.shift()
    if (text.length > this.limits.lineChars) text = text.slice(0, this.limits.lineChars) + '…'
    const size = Buffer.byteLength(text)
    if (this.lines >= this.limits.lines || this.bytes + size > this.limits.bytes) {
      this.dropped++
      return
    }
    this.lines++
    this.bytes += size
    log(NOISY.test(text) ? 'WARNING' : 'INFO', 'stdio stderr', { catalog_id: this.catalogId, line: text })
  }

  private flushDropped(): void {
    if (!this.dropped) return
    log('WARNING', 'stdio stderr suppressed', { catalog_id: this.catalogId, dropped_lines: this.dropped })
    this.dropped = 0
  }
}
