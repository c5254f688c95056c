/**
 * Which client the gateway is at an authorization server, in the MCP spec's
 * order: a pre-registered client from the config; else a Client ID Metadata
 * Document (the gateway's own https URL is its client_id); else dynamic client
 * registration (RFC 7591), kept per issuer and never reused with another.
 */
import type { AuthorizationServerMetadata, OAuthClientInformationMixed } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { newSecretName } from '../ids.js'
import { registerSecrets } from '../log.js'
import type { McpDoc, Secrets } from '../registry/model.js'
import type { FetchLike } from '../egress/fetch.js'
import { CLIENTS, clientKey, type ClientRec, type ClientRef } from './model.js'
import { checkOAuthUrl } from './discover.js'
import { chargeVaultWrite } from '../quota/vault-writes.js'

export const callbackUrl = (d: Deps) => `${publicBase(d)}/api/v1/oauth/callback`
export const metadataDocumentUrl = (d: Deps) => `${publicBase(d)}/api/v1/oauth/client-metadata.json`

function publicBase(d: Deps): string {
  if (!d.config.publicBaseUrl) throw new AppError('unavailable', 'OAuth is not configured: set PUBLIC_BASE_URL.')
  return d.config.publicBaseUrl
}

/** The gateway's Client ID Metadata Document (served at metadataDocumentUrl). */
export function clientMetadataDocument(d: Deps) {
  return {
    client_id: metadataDocumentUrl(d),
    client_name: 'MCP Gateway',
    client_uri: publicBase(d),
    redirect_uris: [callbackUrl(d)],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  }
}

export interface ResolvedClient { ref: ClientRef; info: OAuthClientInformationMixed }

export async function resolveClient(
  d: Deps, doc: McpDoc, secrets: Secrets, metadata: AuthorizationServerMetadata | null, issuer: string | null, scope: string | null, fetch: FetchLike,
  /** The user on whose behalf a registration (and its secret) would be written. */
  sub?: string,
): Promise<ResolvedClient> {
  const o = doc.config.oauth
  if (o?.client_id) {
    return { ref: { kind: 'preregistered' }, info: { client_id: o.client_id, ...(secrets.client_secret ? { client_secret: secrets.client_secret } : {}) } }
  }
  const cimd = metadataDocumentUrl(d)
  if ((metadata as { client_id_metadata_document_supported?: boolean } | null)?.client_id_metadata_document_supported === true && cimd.startsWith('https://')) {
    return { ref: { kind: 'cimd', client_id: cimd }, info: { client_id: cimd } }
  }
  if (!metadata?.registration_endpoint || !issuer) {
    throw new AppError('upstream_error', 'The authorization server offers no client registration; configure a client_id for this MCP server.', { upstream: { reason: 'registration_unsupported' } })
  }
  return dynamicClient(d, metadata, issuer, scope, fetch, sub)
}

/** Reads a stored client back (the callback and refreshes need the same one). */
export async function clientInfo(d: Deps, ref: ClientRef, doc: McpDoc, secrets: Secrets): Promise<OAuthClientInformationMixed> {
  if (ref.kind === 'preregistered') {
    if (!doc.config.oauth?.client_id) throw new AppError('authorization_required', 'The MCP server\'s OAuth client changed; connect again.')
    return { client_id: doc.config.oauth.client_id, ...(secrets.client_secret ? { client_secret: secrets.client_secret } : {}) }
  }
  if (ref.kind === 'cimd') return { client_id: ref.client_id }
  const rec = await (await d.store()).get<ClientRec>(CLIENTS, ref.key)
  if (!rec) throw new AppError('authorization_required', 'The gateway\'s registration at the authorization server is gone; connect again.')
  return withSecret(d, rec.data)
}

async function withSecret(d: Deps, c: ClientRec): Promise<OAuthClientInformationMixed> {
  const raw = c.secret_ref ? await (await d.vault()).get(c.secret_ref) : null
  const secret = raw ? new TextDecoder().decode(raw) : null
  registerSecrets([secret])
  return {
    client_id: c.client_id,
    ...(secret ? { client_secret: secret } : {}),
    ...(c.token_endpoint_auth_method ? { token_endpoint_auth_method: c.token_endpoint_auth_method } : {}),
  } as OAuthClientInformationMixed
}

async function dynamicClient(d: Deps, metadata: AuthorizationServerMetadata, issuer: string, scope: string | null, fetch: FetchLike, sub?: string): Promise<ResolvedClient> {
  const redirect = callbackUrl(d)
  const key = clientKey(issuer, redirect)
  const store = await d.store()
  const known = await store.get<ClientRec>(CLIENTS, key)
  if (known && known.data.issuer === issuer) return { ref: { kind: 'dcr', key }, info: await withSecret(d, known.data) }
  checkOAuthUrl(d, metadata.registration_endpoint, 'registration endpoint')
  // A registration may return a secret for the vault: counted before it exists.
  if (sub) await chargeVaultWrite(d, sub)
  const { registerClient } = await import('@modelcontextprotocol/client')
  // The registration serves every MCP server behind this issuer and later step-ups, and a registered
  // `scope` limits what the client may ask for (RFC 7591 §2): register all the server advertises.
  const regScope = [...new Set([...(metadata.scopes_supported ?? []), ...(scope?.split(' ') ?? [])])].filter(Boolean).join(' ')
  let full
  try {
    full = await registerClient(metadata.issuer ?? issuer, {
      metadata,
      clientMetadata: {
        redirect_uris: [redirect],
        client_name: 'MCP Gateway',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      ...(regScope ? { scope: regScope } : {}),
      fetchFn: fetch,
    })
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('upstream_error', 'The authorization server refused to register the gateway as a client.', { upstream: { reason: 'registration_failed' } }, { cause: e })
  }
  const secretRef = full.client_secret ? newSecretName() : null
  registerSecrets([full.client_secret])
  if (secretRef) await (await d.vault()).put(secretRef, new TextEncoder().encode(full.client_secret!))
  const rec: ClientRec = {
    issuer,
    redirect_uri: redirect,
    client_id: full.client_id,
    secret_ref: secretRef,
    token_endpoint_auth_method: full.token_endpoint_auth_method ?? null,
    registered_at: d.clock.now(),
  }
  try {
    await store.create(CLIENTS, key, rec)
  } catch (e) {
    // Another instance registered at the same moment: use its registration, drop ours.
    if (secretRef) await (await d.vault()).delete(secretRef).catch(() => {})
    const won = await store.get<ClientRec>(CLIENTS, key)
    if (!won) throw e
    return { ref: { kind: 'dcr', key }, info: await withSecret(d, won.data) }
  }
  return { ref: { kind: 'dcr', key }, info: await withSecret(d, rec) }
}
