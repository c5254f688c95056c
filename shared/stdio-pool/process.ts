/**
 * One stdio MCP server process, speaking newline-delimited JSON-RPC. Spawned
 * without a shell, in its own process group (so the whole group can be
 * killed), with exactly the spec's environment. The pool does the MCP
 * handshake once; callers' requests get pool-unique ids (and progress tokens)
 * so concurrent calls multiplex on the one process, and are mapped back.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { StringDecoder } from 'node:string_decoder'
import { AppError } from '../errors.js'
import type { SpawnSpec } from '../stdio/catalog.js'
import type { StderrLog } from './stderr.js'
import { NotificationGate } from '../mcp/notify.js'
import { VERSION } from '../version.js'

export type Id = string | number
export interface Msg {
  jsonrpc: '2.0'
  id?: Id
  method?: string
  params?: Record<string, any>
  result?: unknown
  error?: { code: number; message: string; data?: unknown }
}

export interface CallOpts {
  timeoutMs: number
  /** This request's notifications (progress with the caller's token restored, log messages). */
  onNotify?: (m: Msg) => void
  signal?: AbortSignal
}

interface Pending { callerId: Id; token?: Id; resolve(m: Msg): void; reject(e: AppError): void; onNotify?: (m: Msg) => void; timer?: NodeJS.Timeout; gate?: NotificationGate }

export interface Hooks {
  /** The process is gone; `crashed` unless we stopped it. */
  onExit(p: StdioProcess, crashed: boolean): void
  /** A request timed out: the process is presumed hung. */
  onTimeout(p: StdioProcess): void
}

interface Exit { code: number | null; signal: NodeJS.Signals | null; error?: string }

/**
 * A server that exited on its own: `reason: "process_exited"` with its exit
 * code (or signal) and its last stderr lines, redacted as the log has them,
 * so the user sees why (a missing API key, a bad argument) instead of a bare 502.
 */
function exitError(how: Exit, stderr: string[]): AppError {
  const what = how.error ? `could not be started (${how.error})` : how.signal ? `was killed by ${how.signal}` : `exited with code ${how.code}`
  return new AppError('upstream_error', `The stdio server ${what}.`, {
    upstream: { reason: 'process_exited', exit_code: how.code, signal: how.signal, stderr },
  })
}

export const PROTOCOL_VERSION = '2025-11-25'
const CLIENT_INFO = { name: 'mcp-gateway-pool', version: VERSION }
/** A stdout line (one JSON-RPC message) longer than this kills the process. */
const MAX_LINE = 16 << 20
/** Bytes of our answers to its requests that a server may leave unread on its stdin. */
const MAX_UNREAD_ANSWERS = 1 << 20
let seq = 0

export class StdioProcess {
  readonly child: ChildProcess
  readonly pid: number
  initResult?: Record<string, unknown>
  exited = false
  /** Set when the pool stops it (eviction, recycle, shutdown): its exit is not a crash. */
  stopping = false
  readonly exit: Promise<void>
  private pending = new Map<number, Pending>()
  private out = ''
  private failure?: AppError

  constructor(spec: SpawnSpec, cwd: string, private stderr: StderrLog, private hooks: Hooks, readonly startedAt: number) {
    this.child = spawn(spec.command, spec.args, { cwd, env: spec.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true, shell: false, windowsHide: true })
    this.pid = this.child.pid ?? -1
    const dec = new StringDecoder('utf8')
    const errDec = new StringDecoder('utf8')
    this.child.stdout!.on('data', (b: Buffer) => this.onData(dec.write(b)))
    this.child.stderr!.on('data', (b: Buffer) => this.stderr.feed(errDec.write(b)))
    this.child.stdin!.on('error', () => {})
    this.exit = new Promise<void>((resolve) => {
      const done = (how: Exit) => {
        if (this.exited) return
        this.exited = true
        // Stragglers the server left in its group go with it.
        this.group('SIGKILL')
        // Let a response written just before the exit, and the last stderr lines, still arrive (bounded).
        const finish = () => {
          this.stderr.end()
          this.failure ??= this.stopping ? new AppError('upstream_error', 'The stdio server was stopped.') : exitError(how, this.stderr.tail())
          this.failAll(this.failure)
          this.hooks.onExit(this, !this.stopping)
          resolve()
        }
        const open = [this.child.stdout!, this.child.stderr!].filter((s) => !s.readableEnded)
        if (!open.length) return finish()
        const t = setTimeout(finish, 100)
        let left = open.length
        for (const s of open) s.once('end', () => { if (--left === 0) { clearTimeout(t); finish() } })
      }
      this.child.once('exit', (code, signal) => done({ code, signal }))
      this.child.once('error', (e: NodeJS.ErrnoException) => done({ code: null, signal: null, error: e.code ?? 'spawn error' }))
    })
  }

  /** Why it ended, once it has: what its callers were answered. */
  get ended(): AppError | undefined {
    return this.exited ? this.failure : undefined
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.pending.size
  }

  /** `initialize` + `notifications/initialized`, declaring no client capabilities; caches the result. */
  async handshake(timeoutMs: number): Promise<Record<string, unknown>> {
    const res = await this.call(
      { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO } },
      { timeoutMs },
    )
    if (res.error || !res.result || typeof res.result !== 'object') throw new AppError('upstream_error', `The stdio server refused to initialize: ${res.error?.message ?? 'no result'}`)
    this.write({ jsonrpc: '2.0', method: 'notifications/initialized' })
    return (this.initResult = res.result as Record<string, unknown>)
  }

  /** Forwards a caller's request under a pool-unique id; resolves with the response under the caller's id. */
  call(msg: Msg, o: CallOpts): Promise<Msg> {
    if (this.exited) return Promise.reject(this.failure ?? new AppError('upstream_error', 'The stdio server is not running.'))
    const id = ++seq
    const params = msg.params && typeof msg.params === 'object' ? { ...msg.params } : msg.params
    let token: Id | undefined
    const meta = params?._meta
    if (meta && typeof meta === 'object' && (typeof meta.progressToken === 'string' || typeof meta.progressToken === 'number')) {
      token = meta.progressToken
      params!._meta = { ...meta, progressToken: `p${id}` }
    }
    return new Promise<Msg>((resolve, reject) => {
      // The call's notifications are rate-limited and capped like any upstream's (shared/mcp/notify.ts).
      const p: Pending = { callerId: msg.id!, token, resolve, reject, onNotify: o.onNotify, ...(o.onNotify ? { gate: new NotificationGate() } : {}) }
      p.timer = setTimeout(() => {
        if (!this.pending.delete(id)) return
        reject(new AppError('upstream_timeout', `The stdio server did not answer within ${o.timeoutMs} ms.`))
        this.hooks.onTimeout(this)
      }, o.timeoutMs)
      this.pending.set(id, p)
      if (o.signal) {
        const abort = () => this.abort(id, 'The caller went away.')
        if (o.signal.aborted) return abort()
        o.signal.addEventListener('abort', abort, { once: true })
        const clean = () => o.signal!.removeEventListener('abort', abort)
        p.resolve = (m) => { clean(); resolve(m) }
        p.reject = (e) => { clean(); reject(e) }
      }
      this.write({ ...msg, id, ...(params !== undefined ? { params } : {}) })
    })
  }

  /** A caller's `notifications/cancelled`: forwarded only when exactly one in-flight request has that caller id. */
  cancelCaller(callerId: Id, reason?: string): boolean {
    const [id, ...more] = [...this.pending].filter(([, p]) => p.callerId === callerId).map(([id]) => id)
    if (id === undefined || more.length) return false
    this.abort(id, reason)
    return true
  }

  private abort(id: number, reason?: string): void {
    const p = this.pending.get(id)
    if (!p) return
    this.pending.delete(id)
    clearTimeout(p.timer)
    this.write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, ...(reason ? { reason } : {}) } })
    p.reject(new AppError('cancelled', 'The request was cancelled.'))
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true
    if (!this.exited) {
      this.group('SIGTERM')
      const t = setTimeout(() => this.group('SIGKILL'), graceMs)
      await this.exit
      clearTimeout(t)
    }
  }

  /** Signals the whole process group (synchronous; safe on exit). */
  group(signal: NodeJS.Signals): void {
    if (this.pid <= 0) return
    try {
      process.kill(-this.pid, signal)
    } catch {
      try { this.child.kill(signal) } catch {}
    }
  }

  private write(m: Msg): void {
    if (this.exited || !this.child.stdin!.writable) return
    this.child.stdin!.write(JSON.stringify(m) + '\n')
  }

  private onData(s: string): void {
    let from = this.out.length
    this.out += s
    let nl: number
    while ((nl = this.out.indexOf('\n', from)) >= 0) {
      const line = this.out.slice(0, nl).trim()
      this.out = this.out.slice(nl + 1)
      from = 0
      if (line) this.onLine(line)
    }
    if (this.out.length > MAX_LINE) {
      this.failure = new AppError('upstream_response_too_large', 'The stdio server wrote a message over 16 MiB.')
      this.out = ''
      this.stopping = true
      this.group('SIGKILL')
    }
  }

  private onLine(line: string): void {
    let m: Msg
    try {
      m = JSON.parse(line)
    } catch {
      // Not protocol: treat it as diagnostics (bounded and redacted like stderr).
      return this.stderr.feed(line + '\n')
    }
    if (!m || typeof m !== 'object') return
    if (m.method === undefined && (typeof m.id === 'number' || typeof m.id === 'string')) {
      const id = Number(m.id)
      const p = this.pending.get(id)
      if (!p) return
      this.pending.delete(id)
      clearTimeout(p.timer)
      p.gate?.flush((n) => p.onNotify?.(n as unknown as Msg))
      p.resolve({ jsonrpc: '2.0', id: p.callerId, ...(m.error ? { error: m.error } : { result: m.result }) })
    } else if (typeof m.method === 'string' && m.id !== undefined) {
      // A request from the server. We declared no capabilities: answer ping, refuse the rest.
      // A server that floods requests and reads none of the answers gets no more of them.
      if (this.child.stdin!.writableLength > MAX_UNREAD_ANSWERS) return
      if (m.method === 'ping') this.write({ jsonrpc: '2.0', id: m.id, result: {} })
      else this.write({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: `${m.method} is not supported by the gateway` } })
    } else if (m.method === 'notifications/progress') {
      const tok = m.params?.progressToken
      const id = typeof tok === 'string' && tok.startsWith('p') ? Number(tok.slice(1)) : NaN
      const p = this.pending.get(id)
      if (p?.onNotify && p.token !== undefined) p.gate!.pass({ ...m, params: { ...m.params, progressToken: p.token } }, (n) => p.onNotify!(n as unknown as Msg))
    } else if (m.method === 'notifications/message') {
      // Log messages carry no request id on stdio: every in-flight call of this
      // process (one owner, one config) may see them.
      for (const p of this.pending.values()) if (p.onNotify) p.gate!.pass(m as unknown as Record<string, unknown>, (n) => p.onNotify!(n as unknown as Msg))
    }
  }

  private failAll(e: AppError): void {
    const all = [...this.pending.values()]
    this.pending.clear()
    for (const p of all) {
      clearTimeout(p.timer)
      p.reject(e)
    }
  }
}
