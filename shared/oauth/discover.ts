/**
 * Discovery for one MCP server (MCP authorization spec 2025-11-25): the 401
 * probe and its WWW-Authenticate hints, RFC 9728 protected resource metadata
 * (with the spec's well-known fallbacks), RFC 8414 / OIDC authorization server
 * metadata, and the checks the spec asks of a client before it redirects.
 */
import type { AuthorizationServerMetadata } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { checkOAuthUrl, policyOf } from '../egress/policy.js'
import type { McpConfig } from '../registry/model.js'
import type { FetchLike } from '../egress/fetch.js'
import type { AsInfo } from './model.js'
import { GATEWAY_INFO } from '../mcp/info.js'
import { presetOf } from './presets.js'
import { loadSdk, type Sdk } from '../mcp/sdk.js'
import { netReason } from '../mcp/errors.js'

export interface Discovered {
  as: AsInfo
  metadata: AuthorizationServerMetadata | null
  /** RFC 8707 resource indicator for this MCP server. */
  resource: string
  scope: string | null
}

const fail = (reason: string, message: string) => new AppError('upstream_error', message, { upstream: { reason } })

/**
 * An endpoint as discovered (metadata, or the config's own): present and
 * allowed by the egress policy, else 502 upstream_error oauth_metadata_invalid.
 */
export function discoveredEndpoint(d: Deps, url: string | undefined, what: string, whose = 'authorization server'): string {
  if (!url) throw fail('oauth_metadata_invalid', `The ${whose} has no ${what}.`)
  // javascript:, data:, file: and the like fail here, as do plain http (outside local loopback) and private addresses.
  const v = checkOAuthUrl(policyOf(d), url)
  if (!v.ok) throw fail('oauth_metadata_invalid', `The ${whose}'s ${what} ${v.reason}.`)
  return v.url.href
}

async function probe(endpoint: string, fetch: FetchLike, sdk: Sdk) {
  // An unauthenticated initialize: a protected server answers 401 with its hints (RFC 9728 §5.1).
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: GATEWAY_INFO } }),
    signal: AbortSignal.timeout(10_000),
  })
  const hints = res.status === 401 || res.status === 403 ? sdk.extractWWWAuthenticateParams(res) : {}
  await res.body?.cancel().catch(() => {})
  return hints
}

export async function discover(d: Deps, doc: McpConfig, fetch: FetchLike): Promise<Discovered> {
  const sdk = await loadSdk()
  const o = doc.config.oauth
  const configuredScope = o?.scopes?.length ? o.scopes.join(' ') : null
  const preset = presetOf(o?.provider)
  if (preset || (o?.auth_url && o.token_url)) {
    // A provider without metadata (e.g. GitHub): a preset's endpoints, or the operator's (which override a preset's).
    const ep = preset?.endpoints(o ?? {})
    const revocationUrl = o?.revocation_url ?? ep?.revocation_url ?? null
    return {
      as: {
        issuer: null,
        authorization_endpoint: discoveredEndpoint(d, o?.auth_url ?? ep?.auth_url, 'authorization endpoint'),
        token_endpoint: discoveredEndpoint(d, o?.token_url ?? ep?.token_url, 'token endpoint'),
        revocation_endpoint: revocationUrl ? discoveredEndpoint(d, revocationUrl, 'revocation endpoint') : null,
        token_endpoint_auth_methods_supported: null,
        iss_parameter_supported: false,
        ...(o?.provider ? { preset: o.provider } : {}),
      },
      metadata: null,
      resource: sdk.resourceUrlFromServerUrl(doc.endpoint).href,
      scope: configuredScope,
    }
  }
  let hints: { resourceMetadataUrl?: URL; scope?: string } = {}
  try {
    hints = await probe(doc.endpoint, fetch, sdk)
  } catch (e) {
    if (e instanceof AppError) throw e
    // Why, as for every upstream (connection_refused, dns_failure, tls_error, ...; docs/api.md, "Errors").
    const why = netReason(e)
    throw new AppError(why === 'timeout' ? 'upstream_timeout' : 'upstream_error', 'The MCP server could not be reached to discover its authorization server.', { upstream: { reason: why ?? 'unreachable' } }, { cause: e })
  }
  // A metadata URL the server names is an OAuth endpoint like any other (https, public).
  if (hints.resourceMetadataUrl) discoveredEndpoint(d, hints.resourceMetadataUrl.href, 'resource_metadata URL', 'MCP server')
  let prm: Awaited<ReturnType<typeof sdk.discoverOAuthProtectedResourceMetadata>> | undefined
  try {
    prm = await sdk.discoverOAuthProtectedResourceMetadata(doc.endpoint, { resourceMetadataUrl: hints.resourceMetadataUrl }, fetch)
  } catch (e) {
    if (e instanceof AppError) throw e
    // The server named its metadata and it is unusable: that is an error, not a reason to guess.
    if (hints.resourceMetadataUrl) throw fail('oauth_metadata_invalid', 'The MCP server\'s protected resource metadata could not be read.')
    // 2025-03-26 servers without RFC 9728 metadata: the authorization server is the MCP server's origin.
    prm = undefined
  }
  if (prm && !sdk.checkResourceAllowed({ requestedResource: doc.endpoint, configuredResource: prm.resource })) {
    // RFC 9728 §3.3: metadata for another resource must not be used.
    throw fail('resource_mismatch', 'The MCP server\'s protected resource metadata names a different resource.')
  }
  const asUrl = prm?.authorization_servers?.[0] ?? new URL('/', doc.endpoint).href
  discoveredEndpoint(d, asUrl, 'issuer URL')
  let metadata: AuthorizationServerMetadata | undefined
  try {
    metadata = await sdk.discoverAuthorizationServerMetadata(asUrl, { fetchFn: fetch })
  } catch (e) {
    if (e instanceof AppError) throw e
    throw fail('oauth_metadata_invalid', 'The authorization server metadata could not be read.')
  }
  if (!metadata) throw fail('oauth_metadata_missing', 'The authorization server publishes no metadata (RFC 8414 or OpenID Connect discovery).')
  // MCP authorization spec: PKCE is mandatory, and S256 must be advertised.
  if (!metadata.code_challenge_methods_supported?.includes('S256')) {
    throw fail('pkce_unsupported', 'The authorization server does not advertise PKCE with S256; connecting to it would be unsafe.')
  }
  return {
    as: {
      issuer: metadata.issuer ?? null,
      authorization_endpoint: discoveredEndpoint(d, metadata.authorization_endpoint, 'authorization endpoint'),
      token_endpoint: discoveredEndpoint(d, metadata.token_endpoint, 'token endpoint'),
      revocation_endpoint: revocation(metadata) ? discoveredEndpoint(d, revocation(metadata), 'revocation endpoint') : null,
      token_endpoint_auth_methods_supported: metadata.token_endpoint_auth_methods_supported ?? null,
      iss_parameter_supported: (metadata as { authorization_response_iss_parameter_supported?: boolean }).authorization_response_iss_parameter_supported === true,
    },
    metadata,
    resource: prm?.resource ?? sdk.resourceUrlFromServerUrl(doc.endpoint).href,
    // MCP spec: the WWW-Authenticate scope, else scopes_supported, else none.
    scope: configuredScope ?? hints.scope ?? (prm?.scopes_supported?.length ? prm.scopes_supported.join(' ') : null),
  }
}

// RFC 8414 §2 (revocation_endpoint) is in both OAuth and OIDC metadata, but not in every SDK type.
const revocation = (m: AuthorizationServerMetadata) => (m as { revocation_endpoint?: string }).revocation_endpoint

/** The SDK's view of an AS from what we stored (refresh and revocation need no discovery). */
export function metadataOf(as: AsInfo): AuthorizationServerMetadata {
  return {
    issuer: as.issuer ?? new URL(as.authorization_endpoint).origin,
    authorization_endpoint: as.authorization_endpoint,
    token_endpoint: as.token_endpoint,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    ...(as.revocation_endpoint ? { revocation_endpoint: as.revocation_endpoint } : {}),
    ...(as.token_endpoint_auth_methods_supported ? { token_endpoint_auth_methods_supported: as.token_endpoint_auth_methods_supported } : {}),
    ...(as.iss_parameter_supported ? { authorization_response_iss_parameter_supported: true } : {}),
  } as AuthorizationServerMetadata
}
