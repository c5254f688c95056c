/**
 * Which client the gateway is at an authorization server, in the MCP spec's
 * order: a pre-registered client from the config; else a Client ID Metadata
 * Document (the gateway's own https URL is its client_id); else dynamic client
 * registration (RFC 7591), one current registration per issuer, made anew when
 * the server forgot it or it went stale (./registration.ts, ./liveness.ts).
 */
import type { AuthorizationServerMetadata, OAuthClientInformationMixed } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { newSecretName } from '../ids.js'
import { log, registerSecrets } from '../log.js'
import type { McpConfig, Secrets } from '../registry/model.js'
import type { FetchLike } from '../egress/fetch.js'
import { CLIENTS, clientKey, type AsInfo, type ClientRec, type ClientRef } from './model.js'
import { discoveredEndpoint } from './discover.js'
import { chargeVaultWrite } from '../quota/vault-writes.js'
import { pickAuthMethod, registrationMethod } from './client-auth.js'
import { presetOf } from './presets.js'
import { needsAuth } from './needs-auth.js'
import { asFingerprint, staleReason } from './registration.js'
import { probeClient } from './liveness.js'
import type { TokenClient } from './token-request.js'
import { loadSdk } from '../mcp/sdk.js'

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
  d: Deps, doc: McpConfig, secrets: Secrets, metadata: AuthorizationServerMetadata | null, issuer: string | null, scope: string | null, fetch: FetchLike,
  /** The user on whose behalf a registration (and its secret) would be written. */
  sub?: string,
): Promise<ResolvedClient> {
  const o = doc.config.oauth
  if (o?.client_id) {
    return { ref: { kind: 'preregistered', client_id: o.client_id }, info: { client_id: o.client_id, ...(secrets.client_secret ? { client_secret: secrets.client_secret } : {}) } }
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

/**
 * The credentials and authentication method for token, refresh and
 * revocation requests of a connection (or a state in flight) made with `ref`.
 * 409 authorization_required when that client is no longer the one in use.
 */
export async function tokenClient(d: Deps, ref: ClientRef, doc: McpConfig, secrets: Secrets, mcpId: string, as: AsInfo): Promise<TokenClient> {
  const supported = as.token_endpoint_auth_methods_supported
  if (ref.kind === 'preregistered') {
    const o = doc.config.oauth
    if (!o?.client_id || (ref.client_id !== undefined && ref.client_id !== o.client_id)) {
      throw needsAuth(mcpId, 'client_changed', 'The MCP server\'s OAuth client changed; connect again.')
    }
    const creds = { client_id: o.client_id, ...(secrets.client_secret ? { client_secret: secrets.client_secret } : {}) }
    return { creds, method: pickAuthMethod(creds, o.token_endpoint_auth_method ?? presetOf(as.preset)?.token_endpoint_auth_method, supported) }
  }
  if (ref.kind === 'cimd') return { creds: { client_id: ref.client_id }, method: 'none' }
  const rec = await (await d.store()).get<ClientRec>(CLIENTS, ref.key)
  if (!rec || (ref.client_id !== undefined && rec.data.client_id !== ref.client_id)) {
    throw needsAuth(mcpId, 'registration_gone', 'The gateway\'s registration at the authorization server was replaced; connect again.')
  }
  const creds = await credsOf(d, rec.data)
  return { creds, method: pickAuthMethod(creds, rec.data.token_endpoint_auth_method, supported) }
}

async function credsOf(d: Deps, c: ClientRec): Promise<{ client_id: string; client_secret?: string }> {
  const raw = c.secret_ref ? await (await d.vault()).get(c.secret_ref) : null
  const secret = raw ? new TextDecoder().decode(raw) : null
  // This request holds the client secret: its responses and log lines mask it.
  registerSecrets([secret])
  return { client_id: c.client_id, ...(secret ? { client_secret: secret } : {}) }
}

async function withSecret(d: Deps, c: ClientRec): Promise<OAuthClientInformationMixed> {
  return { ...(await credsOf(d, c)), ...(c.token_endpoint_auth_method ? { token_endpoint_auth_method: c.token_endpoint_auth_method } : {}) } as OAuthClientInformationMixed
}

const matches = (rec: ClientRec, ref: ClientRef) => ref.kind === 'dcr' && (ref.client_id === undefined || rec.client_id === ref.client_id)

/** After the first successful code exchange: the registration works (no longer a candidate for the unconfirmed rule). */
export async function confirmRegistration(d: Deps, ref: ClientRef): Promise<void> {
  if (ref.kind !== 'dcr') return
  const store = await d.store()
  await store.transact(async (tx) => {
    const r = await tx.get<ClientRec>(CLIENTS, ref.key)
    if (r && matches(r.data, ref) && r.data.confirmed_at === null) tx.set<ClientRec>(CLIENTS, ref.key, { ...r.data, confirmed_at: d.clock.now() })
  })
}

/**
 * The server answered `invalid_client` for this registration: forget it (and
 * its secret), so that the next start registers anew. A no-op for
 * pre-registered and metadata-document clients, and when it was already replaced.
 */
export async function dropRegistration(d: Deps, ref: ClientRef, reason: string): Promise<void> {
  if (ref.kind !== 'dcr') return
  const store = await d.store()
  const dropped = await store.transact(async (tx) => {
    const r = await tx.get<ClientRec>(CLIENTS, ref.key)
    if (!r || !matches(r.data, ref)) return null
    tx.delete(CLIENTS, ref.key)
    return r.data
  })
  if (!dropped) return
  log('WARNING', 'dynamic client registration dropped', { reason, issuer: dropped.issuer })
  if (dropped.secret_ref) await (await d.vault()).delete(dropped.secret_ref).catch(() => {})
}

async function dynamicClient(d: Deps, metadata: AuthorizationServerMetadata, issuer: string, scope: string | null, fetch: FetchLike, sub?: string): Promise<ResolvedClient> {
  const redirect = callbackUrl(d)
  const key = clientKey(issuer, redirect)
  const store = await d.store()
  const fingerprint = asFingerprint(issuer, metadata)
  const known = await store.get<ClientRec>(CLIENTS, key)
  if (known && known.data.issuer === issuer) {
    const stale = staleReason(known.data, fingerprint, d.clock.now())
    const creds = await credsOf(d, known.data)
    const alive = stale ? null : await probeClient(d, metadata, { creds, method: pickAuthMethod(creds, known.data.token_endpoint_auth_method, metadata.token_endpoint_auth_methods_supported) }, fetch)
    if (alive && alive !== 'forgotten') {
      await markUsed(d, key, known.data.client_id, fingerprint)
      return { ref: { kind: 'dcr', key, client_id: known.data.client_id }, info: await withSecret(d, known.data) }
    }
    log('INFO', 'registering the gateway again', { reason: stale ?? 'invalid_client', issuer })
  }
  return register(d, metadata, issuer, scope, fetch, key, fingerprint, known?.data.client_id ?? null, sub)
}

/** Records the first start that hands out an unconfirmed registration, and adopts the fingerprint on records from before it was kept. */
async function markUsed(d: Deps, key: string, clientId: string, fingerprint: string): Promise<void> {
  await (await d.store()).transact(async (tx) => {
    const r = await tx.get<ClientRec>(CLIENTS, key)
    if (!r || r.data.client_id !== clientId) return
    const firstUse = r.data.confirmed_at === null && r.data.first_used_at == null
    if (firstUse || r.data.as_fingerprint === undefined) {
      tx.set<ClientRec>(CLIENTS, key, { ...r.data, as_fingerprint: fingerprint, ...(firstUse ? { first_used_at: d.clock.now() } : {}) })
    }
  })
}

async function register(
  d: Deps, metadata: AuthorizationServerMetadata, issuer: string, scope: string | null, fetch: FetchLike,
  key: string, fingerprint: string, replacing: string | null, sub?: string,
): Promise<ResolvedClient> {
  discoveredEndpoint(d, metadata.registration_endpoint, 'registration endpoint')
  // A registration may return a secret for the vault: counted before it exists.
  if (sub) await chargeVaultWrite(d, sub)
  const { registerClient } = await loadSdk()
  // The registration serves every MCP server behind this issuer and later step-ups, and a registered
  // `scope` limits what the client may ask for (RFC 7591 §2): register all the server advertises.
  const regScope = [...new Set([...(metadata.scopes_supported ?? []), ...(scope?.split(' ') ?? [])])].filter(Boolean).join(' ')
  const method = registrationMethod(metadata.token_endpoint_auth_methods_supported)
  let full
  try {
    full = await registerClient(metadata.issuer ?? issuer, {
      metadata,
      clientMetadata: {
        redirect_uris: [callbackUrl(d)],
        client_name: 'MCP Gateway',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        ...(method ? { token_endpoint_auth_method: method } : {}),
      },
      ...(regScope ? { scope: regScope } : {}),
      fetchFn: fetch,
    })
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('upstream_error', 'The authorization server refused to register the gateway as a client.', { upstream: { reason: 'registration_failed' } }, { cause: e })
  }
  const vault = await d.vault()
  const secretRef = full.client_secret ? newSecretName() : null
  registerSecrets([full.client_secret])
  if (secretRef) await vault.put(secretRef, new TextEncoder().encode(full.client_secret!))
  const rec: ClientRec = {
    issuer,
    redirect_uri: callbackUrl(d),
    client_id: full.client_id,
    secret_ref: secretRef,
    // RFC 7591 §3.2.1: the server echoes the method it registered (it may differ from the one asked for).
    token_endpoint_auth_method: full.token_endpoint_auth_method ?? method ?? null,
    registered_at: d.clock.now(),
    as_fingerprint: fingerprint,
    ...(metadata.registration_endpoint ? { registration_endpoint: metadata.registration_endpoint } : {}),
    confirmed_at: null,
    first_used_at: d.clock.now(),
  }
  const store = await d.store()
  // Ours goes in unless another start replaced the same registration first: then theirs is used and ours dropped.
  const outcome = await store.transact(async (tx) => {
    const cur = await tx.get<ClientRec>(CLIENTS, key)
    if (cur && cur.data.client_id !== replacing) return { won: false as const, cur: cur.data }
    tx.set<ClientRec>(CLIENTS, key, rec)
    return { won: true as const, old: cur?.data ?? null }
  })
  if (!outcome.won) {
    if (secretRef) await vault.delete(secretRef).catch(() => {})
    return { ref: { kind: 'dcr', key, client_id: outcome.cur.client_id }, info: await withSecret(d, outcome.cur) }
  }
  if (outcome.old?.secret_ref) await vault.delete(outcome.old.secret_ref).catch(() => {})
  return { ref: { kind: 'dcr', key, client_id: rec.client_id }, info: await withSecret(d, rec) }
}
