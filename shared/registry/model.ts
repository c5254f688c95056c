/** The stored shape of an MCP config, and how it is shown. docs/storage-schema.md lists it. */
import type { Caller } from '../auth/caller.js'
import type { Rec } from '../ports.js'
import { policyOf, policyView, type ToolPolicy } from '../governance/policy.js'

export const MCPS = 'mcps'

export type McpType = 'http' | 'sse' | 'stdio'
export type AuthType = 'none' | 'bearer' | 'oauth'
export type Status = 'ready' | 'needs_auth' | 'error'

/** `mcps/{id}`: one registered MCP server, as a user or org configured it (secrets are in the vault under `secret_ref`). */
export interface McpConfig {
  name: string
  type: McpType
  endpoint: string
  auth_type: AuthType
  scope: 'user' | 'org'
  /** `u:<sub>` or `o:<org>`: the one field list queries filter on. */
  tenant: string
  /** The creator's sub. */
  owner_id: string
  org_id: string | null
  config: {
    timeout_ms?: number
    headers?: Record<string, string>
    oauth?: OAuthConfig
    /** stdio: the catalog entry and its (non-secret) parameters; env values are in the vault. */
    catalog_id?: string
    params?: Record<string, string | number | boolean>
    /** Lowers RATE_LIMIT_USER_MCP for this MCP (shared/ratelimit). */
    rate_limit?: string
    /** Pinning and per-tool allow and deny; absent on configs stored before it existed (they read as `open`). */
    tool_policy?: ToolPolicy
  }
  /** Opaque vault name holding `Secrets`, or null when the config has none. */
  secret_ref: string | null
  has_token: boolean
  secret_header_names: string[]
  has_client_secret?: boolean
  /** Registered from a registry entry (shared/discovery): which one, and the form's non-secret values (the secret ones are in the vault). */
  registry?: RegistryRef
  /** stdio: names of the env vars set (values in the vault). */
  env_names?: string[]
  status: Status
  created_at: number
  updated_at: number
}

/** Where a config registered from a registry came from. */
export interface RegistryRef {
  source: string
  name: string
  version: string
  /** The index of the remote in the entry's `remotes`. */
  remote: number
  values: Record<string, string>
  /** Names of the form's secret values (the values are in the vault, `registry_values`). */
  secret_names: string[]
}

/** A pre-registered OAuth client (its secret is in the vault), a provider preset, and explicit endpoints for providers without metadata. */
export interface OAuthConfig {
  client_id?: string
  /** How the client authenticates at the token and revocation endpoints; default from the preset or the server's metadata. */
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none'
  /** A built-in provider (shared/oauth/presets.ts): endpoints and quirks. */
  provider?: 'github' | 'google' | 'microsoft' | 'auth0' | 'atlassian' | 'slack'
  /** microsoft: the Entra ID tenant. */
  tenant?: string
  /** auth0: the tenant's domain. */
  domain?: string
  /** auth0: the API identifier. */
  audience?: string
  auth_url?: string
  token_url?: string
  revocation_url?: string
  scopes?: string[]
}

/** What the vault holds for a config, as one JSON value. */
export interface Secrets {
  token?: string
  headers?: Record<string, string>
  client_secret?: string
  /** stdio: env values for the process. */
  env?: Record<string, string>
  /** Registry configs: the form's secret values as given, to fill a new version's form on upgrade. */
  registry_values?: Record<string, string>
}

/** Every secret value of a config, for masking (log.ts registerSecrets). */
export const secretValues = (s: Secrets): (string | undefined)[] => [s.token, s.client_secret, ...Object.values(s.headers ?? {}), ...Object.values(s.env ?? {}), ...Object.values(s.registry_values ?? {})]

export const tenantOf = (scope: 'user' | 'org', caller: Caller) => (scope === 'user' ? `u:${caller.sub}` : `o:${caller.org}`)

export const tenantsOf = (caller: Caller) => [`u:${caller.sub}`, ...(caller.org ? [`o:${caller.org}`] : [])]

/** Can the caller see (and use) this config? Others get 404. */
export const visible = (doc: McpConfig, c: Caller) =>
  doc.scope === 'user' ? doc.tenant === `u:${c.sub}` : Boolean(c.org) && doc.tenant === `o:${c.org}`

/** Can the caller change it? Org configs: admins of that org only. */
export const mutable = (doc: McpConfig, c: Caller) => (doc.scope === 'user' ? visible(doc, c) : visible(doc, c) && c.admin)

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * The API view: never a secret, only whether one is set. OAuth configs are
 * shown with the caller's own connection (shared/oauth/view.ts `viewFor`).
 */
export function view(rec: Rec<McpConfig>) {
  const d = rec.data
  return {
    id: rec.id,
    name: d.name,
    type: d.type,
    endpoint: d.type === 'stdio' ? null : d.endpoint,
    auth_type: d.auth_type,
    scope: d.scope,
    org_id: d.org_id,
    status: d.status,
    config: {
      ...(d.config.timeout_ms !== undefined ? { timeout_ms: d.config.timeout_ms } : {}),
      ...(d.config.rate_limit !== undefined ? { rate_limit: d.config.rate_limit } : {}),
      headers: d.config.headers ?? {},
      has_token: d.has_token,
      secret_header_names: d.secret_header_names,
      ...(d.auth_type === 'oauth' ? { oauth: { ...(d.config.oauth ?? {}), has_client_secret: Boolean(d.has_client_secret) } } : {}),
      ...(d.type === 'stdio' ? { catalog_id: d.config.catalog_id, params: d.config.params ?? {}, env_names: d.env_names ?? [] } : {}),
      tool_policy: policyView(policyOf(d)),
    },
    ...(d.registry ? { registry: { name: d.registry.name, version: d.registry.version, source: d.registry.source, remote: d.registry.remote, values: d.registry.values, secret_names: d.registry.secret_names } } : {}),
    created_by: d.owner_id,
    created_at: iso(d.created_at),
    updated_at: iso(d.updated_at),
  }
}

export const etag = (rec: Rec<unknown>) => `"v${rec.version}"`
