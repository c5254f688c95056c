/**
 * Built-in providers (`config.oauth.provider`): their documented endpoints and
 * the quirks a plain OAuth 2.1 client trips over. Pure data and functions; the
 * flow (./start.ts, ./token-request.ts, ./revoke.ts) applies them. None of
 * these providers publishes metadata an MCP client could discover, so a preset
 * also stands in for discovery. Each preset needs a pre-registered client.
 *
 * Resource indicators (RFC 8707) are never sent to a preset: Microsoft's v2.0
 * endpoints refuse the `resource` parameter, and the others do not use it.
 */
import type { AuthMethod } from './client-auth.js'

export const PRESET_IDS = ['github', 'google', 'microsoft', 'auth0', 'atlassian', 'slack'] as const
export type PresetId = (typeof PRESET_IDS)[number]

export interface PresetParams {
  /** microsoft: the Entra ID tenant (`common`, `organizations`, `consumers`, a tenant id or domain). */
  tenant?: string
  /** auth0: the tenant's domain, e.g. `example.eu.auth0.com`. */
  domain?: string
  /** auth0: the API identifier tokens are for. */
  audience?: string
}

export interface Preset {
  endpoints(p: PresetParams): { auth_url: string; token_url: string; revocation_url: string | null }
  /** How scopes are joined in the authorization request. */
  scope_separator: ' ' | ','
  /** The authorization request parameter that carries them. */
  scope_param: 'scope' | 'user_scope'
  /** Asked for on top of the config's scopes (what a refresh token needs). */
  scopes: string[]
  /** Extra authorization request parameters. */
  auth_params(p: PresetParams): Record<string, string>
  pkce: boolean
  /** Default when `config.oauth.token_endpoint_auth_method` is not set. */
  token_endpoint_auth_method: AuthMethod
  /** How the token endpoint answers (./token-request.ts). */
  token_response: 'standard' | 'github' | 'slack'
  /** The provider's own token error codes, as RFC 6749 §5.2 codes. */
  errors: Record<string, string>
  /** Parameters it needs unless `auth_url` and `token_url` are given. */
  needs: (keyof PresetParams)[]
}

export const PRESETS: Record<PresetId, Preset> = {
  // GitHub OAuth and GitHub Apps: PKCE (S256) since July 2025; the token response is form-encoded unless the
  // request accepts JSON, errors come with HTTP 200, and granted scopes are comma-separated. Expiring user tokens
  // (GitHub Apps) come with a refresh token. No RFC 7009 endpoint.
  github: {
    endpoints: () => ({ auth_url: 'https://github.com/login/oauth/authorize', token_url: 'https://github.com/login/oauth/access_token', revocation_url: null }),
    scope_separator: ' ',
    scope_param: 'scope',
    scopes: [],
    auth_params: () => ({}),
    pkce: true,
    token_endpoint_auth_method: 'client_secret_post',
    token_response: 'github',
    errors: { bad_verification_code: 'invalid_grant', bad_refresh_token: 'invalid_grant', incorrect_client_credentials: 'invalid_client', redirect_uri_mismatch: 'invalid_grant' },
    needs: [],
  },
  // Google: a refresh token only with access_type=offline, and again on a later consent only with prompt=consent.
  google: {
    endpoints: () => ({ auth_url: 'https://accounts.google.com/o/oauth2/v2/auth', token_url: 'https://oauth2.googleapis.com/token', revocation_url: 'https://oauth2.googleapis.com/revoke' }),
    scope_separator: ' ',
    scope_param: 'scope',
    scopes: [],
    auth_params: () => ({ access_type: 'offline', prompt: 'consent' }),
    pkce: true,
    token_endpoint_auth_method: 'client_secret_post',
    token_response: 'standard',
    errors: {},
    needs: [],
  },
  // Microsoft Entra ID (v2.0 endpoints): the tenant is part of the path; a refresh token only with offline_access;
  // `resource` is refused (AADSTS901002). No RFC 7009 endpoint.
  microsoft: {
    endpoints: (p) => {
      const base = `https://login.microsoftonline.com/${encodeURIComponent(p.tenant ?? 'common')}/oauth2/v2.0`
      return { auth_url: `${base}/authorize`, token_url: `${base}/token`, revocation_url: null }
    },
    scope_separator: ' ',
    scope_param: 'scope',
    scopes: ['offline_access'],
    auth_params: () => ({}),
    pkce: true,
    token_endpoint_auth_method: 'client_secret_post',
    token_response: 'standard',
    errors: {},
    needs: [],
  },
  // Auth0: endpoints on the tenant's domain; a refresh token only with offline_access (and the API allowing
  // offline access); `audience` names the API a token is for; RFC 7009 revocation of refresh tokens.
  auth0: {
    endpoints: (p) => {
      const base = `https://${p.domain}`
      return { auth_url: `${base}/authorize`, token_url: `${base}/oauth/token`, revocation_url: `${base}/oauth/revoke` }
    },
    scope_separator: ' ',
    scope_param: 'scope',
    scopes: ['offline_access'],
    auth_params: (p): Record<string, string> => (p.audience ? { audience: p.audience } : {}),
    pkce: true,
    token_endpoint_auth_method: 'client_secret_post',
    token_response: 'standard',
    errors: {},
    needs: ['domain'],
  },
  // Atlassian Cloud (OAuth 2.0 3LO): the authorization request needs audience=api.atlassian.com and
  // prompt=consent; a refresh token only with offline_access, rotated on every use. Its documentation
  // describes neither PKCE nor a revocation endpoint.
  atlassian: {
    endpoints: () => ({ auth_url: 'https://auth.atlassian.com/authorize', token_url: 'https://auth.atlassian.com/oauth/token', revocation_url: null }),
    scope_separator: ' ',
    scope_param: 'scope',
    scopes: ['offline_access'],
    auth_params: () => ({ audience: 'api.atlassian.com', prompt: 'consent' }),
    pkce: false,
    token_endpoint_auth_method: 'client_secret_post',
    token_response: 'standard',
    errors: {},
    needs: [],
  },
  // Slack (OAuth v2): scopes are comma-separated, and a user token (what an MCP server acting for the user
  // needs) is asked for with `user_scope` and comes back under `authed_user`, token_type "user"; errors come
  // with HTTP 200 as {ok: false, error}. Slack asks for client credentials in Basic. PKCE via code_verifier.
  // Its auth.revoke is not RFC 7009.
  slack: {
    endpoints: () => ({ auth_url: 'https://slack.com/oauth/v2/authorize', token_url: 'https://slack.com/api/oauth.v2.access', revocation_url: null }),
    scope_separator: ',',
    scope_param: 'user_scope',
    scopes: [],
    auth_params: () => ({}),
    pkce: true,
    token_endpoint_auth_method: 'client_secret_basic',
    token_response: 'slack',
    errors: { invalid_code: 'invalid_grant', code_already_used: 'invalid_grant', invalid_refresh_token: 'invalid_grant', invalid_client_id: 'invalid_client', bad_client_secret: 'invalid_client', bad_redirect_uri: 'invalid_grant' },
    needs: [],
  },
}

export const presetOf = (id: PresetId | undefined | null): Preset | null => (id ? PRESETS[id] ?? null : null)

/** The authorization request parameters a preset adds or changes, given the scopes to ask for. */
export function presetAuthParams(p: Preset, params: PresetParams, scopes: string[]): Record<string, string> {
  const all = [...new Set([...scopes, ...p.scopes])]
  return { ...(all.length ? { [p.scope_param]: all.join(p.scope_separator) } : {}), ...p.auth_params(params) }
}
