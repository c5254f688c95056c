/**
 * `POST /mcps/{id}/check`: connects to the server afresh with the caller's
 * own credentials (no warm connection, no cached protocol verdict), pings it,
 * and answers what it found; the result is kept per caller (`mcp_health`) for
 * the config view's `health`. What the gateway decides before anything is
 * sent (an OAuth config the caller has not connected: 409 with `start_url`;
 * stdio turned off: 503) is answered as for any other call, and not recorded.
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { load } from '../registry/read.js'
import { withTarget } from './target.js'
import { sdkIfLoaded } from './sdk.js'
import { writeHealth, type HealthError } from './health-record.js'
import { log, logWithRequest } from '../log.js'

export interface CheckResult {
  ok: boolean
  latency_ms: number
  checked_at: string
  protocol_version: string | null
  server: { name: string; version: string; title: string | null } | null
  instructions: string | null
  capabilities: Record<string, unknown> | null
  error: (HealthError & { detail: string; upstream?: unknown; start_url?: string }) | null
}

/** A failure that came from the server (or the way to it), as opposed to one the gateway decided before sending anything. */
function fromUpstream(e: unknown): e is AppError {
  if (!(e instanceof AppError)) return false
  const x = (e.extra ?? {}) as { upstream?: unknown; upstream_status?: unknown }
  return ['upstream_error', 'upstream_timeout', 'upstream_response_too_large', 'egress_denied'].includes(e.code) || x.upstream !== undefined || x.upstream_status !== undefined
}

export async function checkMcp(d: Deps, caller: Caller, id: string, signal: AbortSignal): Promise<CheckResult> {
  const rec = await load(d, caller, id)
  const t0 = performance.now()
  const ms = () => Math.round(performance.now() - t0)
  let out: CheckResult
  try {
    const found = await withTarget(d, caller, rec, signal, async (s) => {
      // The server answered discover (2026-07-28, which has no ping) or initialize; for the latter a ping shows
      // the credentials are taken for a request too. A JSON-RPC error to it (a server without ping) is still an answer.
      if (s.era === 'legacy') await s.client.ping(s.opts).catch((e) => {
        const sdk = sdkIfLoaded()
        if (!(sdk && e instanceof sdk.ProtocolError)) throw e
      })
      const v = s.client.getServerVersion()
      return {
        protocol_version: s.client.getNegotiatedProtocolVersion() ?? null,
        server: v ? { name: v.name, version: v.version, title: v.title ?? null } : null,
        instructions: s.client.getInstructions() ?? null,
        capabilities: (s.client.getServerCapabilities() as Record<string, unknown> | undefined) ?? {},
      }
    }, { fresh: true, probe: true })
    out = { ok: true, latency_ms: ms(), checked_at: '', ...found, error: null }
  } catch (e) {
    if (!fromUpstream(e)) throw e
    const x = { ...e.extra } as { upstream?: { reason?: unknown; http_status?: number }; upstream_status?: number; start_url?: string }
    // A 401 or 403 is `authorization_required` everywhere; here it is also what the server answered.
    if (x.upstream === undefined && typeof x.upstream_status === 'number') x.upstream = { reason: 'http_status', http_status: x.upstream_status }
    const reason = typeof x.upstream?.reason === 'string' ? x.upstream.reason : null
    // The request's log line says why, as a failed listing's does (the answer itself is a 200).
    logWithRequest('INFO', 'health check failed', { health: { ok: false, code: e.code }, ...(reason ? { upstream: { reason } } : {}) })
    out = {
      ok: false, latency_ms: ms(), checked_at: '', protocol_version: null, server: null, instructions: null, capabilities: null,
      error: { code: e.code, reason, detail: e.message, ...(x.upstream !== undefined ? { upstream: x.upstream } : {}), ...(x.start_url ? { start_url: x.start_url } : {}) },
    }
  }
  const now = d.clock.now()
  out.checked_at = new Date(now).toISOString()
  try {
    await writeHealth(d, caller.sub, rec, { ok: out.ok, source: 'check', latency_ms: out.latency_ms, error: out.error && { code: out.error.code, reason: out.error.reason } }, now)
  } catch (e) {
    // The answer is still true; the view shows the previous result until the next check.
    log('WARNING', 'health result not stored', { error: String((e as Error)?.message ?? e) })
  }
  return out
}
