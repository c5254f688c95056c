/**
 * Who calls the MCP endpoints: an ID token, as on the rest of the API, or a
 * personal access token (shared/tokens), which works only here. A refusal is
 * a 401 whose `WWW-Authenticate` names the RFC 9728 protected-resource
 * metadata, so OAuth-capable clients can discover the issuer.
 */
import type { IncomingMessage } from 'node:http'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { bearerPat, verifyToken } from '../tokens/verify.js'

const WELL_KNOWN = '/.well-known/oauth-protected-resource'

/**
 * The URL the agent used, up to the path: RFC 9728 §3.3 has clients check
 * that the metadata's `resource` is the URL they called. Through Hosting
 * (`X-Forwarded-Host` is PUBLIC_BASE_URL's host) that is PUBLIC_BASE_URL;
 * called at the function's own URL (which streams, where Hosting buffers),
 * it is that URL: the request's `Host`. A forwarded host other than
 * PUBLIC_BASE_URL's is not believed.
 */
export function baseOf(d: Deps, req: IncomingMessage): string {
  const pub = d.config.publicBaseUrl
  const first = (h: string | string[] | undefined) => (typeof h === 'string' ? h.split(',')[0]!.trim().toLowerCase() : '')
  const host = first(req.headers.host)
  const forwarded = first(req.headers['x-forwarded-host'])
  if (pub) {
    const known = new URL(pub).host.toLowerCase()
    if (forwarded === known || (!forwarded && host === known) || !host) return pub
  }
  if (!host || !/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/.test(host)) return pub ?? 'https://localhost'
  // Cloud Run serves HTTPS only; local mode is plain HTTP.
  return `${d.config.mode === 'local' ? 'http' : 'https'}://${host}`
}

/** RFC 9728 §3.1: the metadata URL inserts the well-known segment before the resource's path. */
export const metadataUrl = (base: string, resourcePath: string) => `${base}${WELL_KNOWN}${resourcePath}`

export async function agentCaller(d: Deps, req: IncomingMessage, resourcePath: string): Promise<Caller> {
  const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined
  try {
    const pat = bearerPat(authorization)
    return pat ? await verifyToken(d, pat) : await d.verify(authorization)
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'unauthenticated') throw e
    // RFC 9728 §5.1, RFC 6750 §3.
    const challenge = `Bearer resource_metadata="${metadataUrl(baseOf(d, req), resourcePath)}"`
    throw new AppError('unauthenticated', e.message, undefined, { cause: e, headers: { 'WWW-Authenticate': challenge } })
  }
}

/** RFC 9728 §2: the metadata of one MCP endpoint (`resourcePath` under /api/v1), or null when the path is not one. */
export function resourceMetadata(d: Deps, req: IncomingMessage, path: string) {
  if (!path.startsWith(WELL_KNOWN)) return null
  const resourcePath = path.slice(WELL_KNOWN.length)
  if (!/^\/api\/v1\/(mcp|mcps\/[A-Za-z0-9_-]{1,64}\/mcp)$/.test(resourcePath)) return null
  return {
    resource: `${baseOf(d, req)}${resourcePath}`,
    authorization_servers: d.config.auth.issuer ? [d.config.auth.issuer] : [],
    bearer_methods_supported: ['header'],
    resource_name: 'MCP gateway',
    resource_documentation: 'Send an ID token from the issuer, or a personal access token (mgw_...) from POST /api/v1/tokens.',
  }
}

/**
 * MCP streamable HTTP (2025-06-18, Security Warning): servers must validate
 * `Origin`, against DNS rebinding. Agents send none; a browser page may call
 * only from the app's origins (APP_ORIGINS) or the gateway's own (in local
 * mode, from loopback). Anything else is 403.
 */
/** Local mode listens on loopback: pages served from loopback may use it (as the SDK's localhost protection allows). */
const loopback = (origin: string) => {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(origin).hostname)
  } catch {
    return false
  }
}

export function checkOrigin(d: Deps, req: IncomingMessage): void {
  const origin = req.headers.origin
  if (origin === undefined) return
  if (typeof origin === 'string' && (d.config.appOrigins.includes(origin) || (d.config.publicBaseUrl !== null && origin === new URL(d.config.publicBaseUrl).origin) || (d.config.mode === 'local' && loopback(origin)))) return
  throw new AppError('forbidden', 'This Origin may not use the MCP endpoints.')
}
