/** Server-sent events on a Node response, with heartbeats so idle proxies keep the stream open. */
import type { ServerResponse } from 'node:http'
import { secretMasker } from './log.js'

export class SseWriter {
  private beat?: NodeJS.Timeout
  private open = false
  /** Secret values the request has read never go out in an event. */
  private mask = secretMasker()
  constructor(private res: ServerResponse) {}

  start(): void {
    if (this.open) return
    this.open = true
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    })
    this.res.flushHeaders?.()
    this.beat = setInterval(() => this.res.write(': keep-alive\n\n'), 15_000)
    this.beat.unref()
  }

  get started(): boolean {
    return this.open
  }

  send(event: string, data: unknown): void {
    if (!this.open || this.res.writableEnded) return
    this.res.write(`event: ${event}\ndata: ${this.mask(JSON.stringify(data))}\n\n`)
  }

  end(): void {
    clearInterval(this.beat)
    if (!this.res.writableEnded) this.res.end()
  }
}
