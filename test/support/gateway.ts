/**
 * Boots the whole gateway in local mode on a loopback port (real HTTP, real
 * routing from firebase.json, real adapters), and gives tests tokens and a
 * request helper. Log lines are captured so tests can prove no secret leaks.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeDeps, setDeps, type Deps } from '../../shared/deps.js'
import { parseConfig } from '../../shared/config.js'
import { setLogSink } from '../../shared/log.js'
import { startLocal } from '../../shared/local/server.js'
import { handlers } from '../../functions/names.js'
import { devToken } from '../../shared/auth/dev-token.js'
import { auditFlushed } from '../../shared/audit.js'
import { closeSessions } from '../../shared/mcp/sessions.js'
import { ContractError, contractViolation } from './contract.js'

export interface Res {
  status: number
  headers: Headers
  text: string
  json: any
}

export interface Gateway {
  url: string
  base: string
  deps: Deps
  logs: string[]
  dataDir: string
  token(user: string, o?: { org?: string; admin?: boolean; ttlSec?: number }): Promise<string>
  /**
   * One request. Every answer under /api/v1 is checked against the OpenAPI document (test/support/contract.ts):
   * an undocumented status or media type, or a body its schema refuses, throws a ContractError. `contract: false`
   * skips the check, only for requests that deliberately send hostile bytes.
   */
  req(method: string, path: string, o?: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; contract?: boolean }): Promise<Res>
  close(): Promise<void>
}

export async function startGateway(o: { env?: Record<string, string>; over?: Parameters<typeof makeDeps>[1] } = {}): Promise<Gateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-test-'))
  const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir, ...o.env })
  const deps = makeDeps(config, o.over)
  setDeps(deps)
  const logs: string[] = []
  const prevSink = setLogSink((l) => logs.push(l))
  const local = await startLocal({ port: 0, handlers: handlers() })
  // The OAuth callback and client metadata URLs derive from where the gateway really listens.
  if (!o.env?.PUBLIC_BASE_URL) config.publicBaseUrl = local.url
  // In local mode the stdio pool is this same server.
  if (!o.env?.POOL_URL) {
    config.poolUrl = local.url
    config.poolAudience = o.env?.POOL_AUDIENCE ?? local.url
  }
  const base = `${local.url}/api/v1`
  return {
    url: local.url,
    base,
    deps,
    logs,
    dataDir,
    token: (user, t = {}) => devToken(config, { user, ...t }),
    async req(method, path, r = {}) {
      const headers: Record<string, string> = { ...(r.headers ?? {}) }
      if (r.token) headers.authorization = `Bearer ${r.token}`
      let body: string | Buffer | undefined = r.raw
      if (r.body !== undefined) {
        body = JSON.stringify(r.body)
        headers['content-type'] ??= 'application/json'
      }
      const url = new URL(path.startsWith('http') ? path : base + path)
      const res = await fetch(url, { method, headers, body: body as any, signal: AbortSignal.timeout(30_000) })
      const text = await res.text()
      if (r.contract !== false && url.pathname.startsWith('/api/v1/')) {
        const broken = contractViolation(method, url.pathname, res.status, res.headers.get('content-type'), text)
        if (broken) throw new ContractError(broken)
      }
      let json: any
      try {
        json = text ? JSON.parse(text) : undefined
      } catch {
        json = undefined
      }
      return { status: res.status, headers: res.headers, text, json }
    },
    async close() {
      await local.close()
      await auditFlushed()
      await closeSessions()
      setLogSink(prevSink)
      await (await deps.store()).close().catch(() => {})
      await (await deps.vault()).close().catch(() => {})
      await (await deps.limiter()).close().catch(() => {})
      setDeps(undefined)
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
