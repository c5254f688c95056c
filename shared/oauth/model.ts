/**
 * OAuth records (docs/storage-schema.md lists them). Tokens are never here:
 * they are in the vault under `secret_ref`; these records hold the facts.
 */
import { createHash } from 'node:crypto'
import type { PresetId } from './presets.js'

export const STATES = 'oauth_states'
export const CONNS = 'oauth_connections'
export const CLIENTS = 'oauth_clients'
export const LEASES = 'oauth_leases'
export const PENDING = 'oauth_pending'

/** RFC 9700 §4.7 and the MCP spec: state lives at most 10 minutes and is used once. */
export const STATE_TTL_MS = 10 * 60_000

/**
 * How long the user who started a connect has to confirm it (POST
 * /mcps/{id}/oauth/complete) after the callback exchanged the code.
 */
export const PENDING_TTL_MS = 10 * 60_000

/** What the authorization server told us, kept so refresh and revocation need no discovery. */
export interface AsInfo {
  issuer: string | null
  authorization_endpoint: string
  token_endpoint: string
  revocation_endpoint: string | null
  token_endpoint_auth_methods_supported: string[] | null
  iss_parameter_supported: boolean
  /** A provider preset (./presets.ts): its quirks apply to every request to this server. */
  preset?: PresetId
}

/**
 * Which client the gateway is at that server. `client_id` pins the exact
 * client: tokens issued to one client are never sent with another's
 * credentials (records from before it was kept have none).
 */
export type ClientRef =
  | { kind: 'preregistered'; client_id?: string }
  | { kind: 'cimd'; client_id: string }
  | { kind: 'dcr'; key: string; client_id?: string }

/** `oauth_states/{state}`: one authorization request in flight. */
export interface StateRec {
  sub: string
  /** The initiator's org, for the callback's audit record (absent on states stored before it was kept). */
  org?: string | null
  mcp_id: string
  /** PKCE verifier (RFC 7636): short-lived, consumed with the state. */
  verifier: string
  as: AsInfo
  client: ClientRef
  redirect_uri: string
  resource: string
  scope: string | null
  return_to: string | null
  app_origin: string | null
  expires_at: number
}

/** What a completed authorization holds, pending (`PendingRec`) or confirmed (`ConnRec`). */
export interface Grant {
  sub: string
  mcp_id: string
  /** The MCP endpoint the tokens were issued for: they go nowhere else. */
  endpoint: string
  resource: string
  as: AsInfo
  client: ClientRef
  /** The tokens, in the vault. */
  secret_ref: string
  scopes: string[]
  /** Access token expiry, epoch ms, or null when the server did not say. */
  token_expires_at: number | null
  has_refresh_token: boolean
}

/** `oauth_connections/{connId(sub, mcp)}`: one user's connection to one MCP server. */
export interface ConnRec extends Grant {
  /** Bumped on every token change; refresh compares and swaps on it. */
  generation: number
  connected_at: number
  last_refresh_at: number | null
  /** A code, never a secret (./view.ts lists them). Set with `status`, or alone after a transient refresh failure. */
  last_error: string | null
  /**
   * `connected`: usable. The others need the user to connect again:
   * `revoked` (the provider refused the refresh token), `expired` (the access
   * token expired and there is no refresh token), `needs_auth` (the client
   * or the server changed, or the provider no longer knows the client).
   */
  status: ConnStatus
}

export type ConnStatus = 'connected' | 'needs_auth' | 'revoked' | 'expired'

/**
 * `oauth_pending/{completionKey(completion)}`: tokens the callback obtained,
 * not usable until the user who started the flow confirms them. The tokens
 * are in the vault under `secret_ref`; on confirmation that secret becomes the
 * connection's. Deliberately no `expires_at`: an expired record would read as
 * missing, and the sweep could no longer find its vault secret to delete it.
 */
export interface PendingRec extends Grant {
  /** `sub` is the initiator (from the state): the only caller who may confirm. */
  created_at: number
  /** Epoch ms; after it the completion is refused and the tokens are discarded. */
  confirm_by: number
}

/**
 * `oauth_clients/{key}`: the current dynamic registration at one authorization
 * server (never used with another). Replaced by a new registration when the
 * server no longer knows it, when it never worked, or when the server's
 * metadata changed (./registration.ts). Fields marked optional are missing
 * from records written before they existed.
 */
export interface ClientRec {
  issuer: string
  redirect_uri: string
  client_id: string
  /** Vault name of the client secret, when the server issued one. */
  secret_ref: string | null
  token_endpoint_auth_method: string | null
  registered_at: number
  /** Digest of the metadata it was made for: issuer, registration_endpoint, token_endpoint_auth_methods_supported. */
  as_fingerprint?: string
  registration_endpoint?: string
  /** The first successful code exchange with it; null until then (unconfirmed). */
  confirmed_at?: number | null
  /** When a start first handed it out while unconfirmed. */
  first_used_at?: number | null
}

/** `oauth_leases/{connId}`: who may refresh a connection right now (single flight across instances). */
export interface LeaseRec {
  owner: string
  expires_at: number
}

/** Connection ids reveal neither user nor config. */
export const connId = (sub: string, mcpId: string) => createHash('sha256').update(`conn\u0000${sub}\u0000${mcpId}`).digest('hex').slice(0, 40)
/** Pending records are keyed by a digest: the store never holds a usable completion id. */
export const completionKey = (completion: string) => createHash('sha256').update(`completion\u0000${completion}`).digest('hex')
export const clientKey = (issuer: string, redirectUri: string) => createHash('sha256').update(`dcr\u0000${issuer}\u0000${redirectUri}`).digest('hex').slice(0, 40)
