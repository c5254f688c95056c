/**
 * Configuration is a pure function of the environment, so tests pass a plain object.
 * Every knob is documented in README.md ("Configuration").
 */
import { splitEntry } from './egress/allowlist.js'

import { formatPolicy, parsePolicy, type Policy } from './ratelimit/policy.js'
export type Mode = 'local' | 'production'

export interface Config {
  mode: Mode
  projectId?: string
  auth: {
    issuer: string
    audience: string
    /** Remote JWKS (production); local mode verifies against the key in DATA_DIR. */
    jwksUrl?: string
    orgClaim: string
    adminClaim: string
    adminValue: string
  }
  /** Origins allowed by CORS and, later, as OAuth return_to targets. */
  appOrigins: string[]
  /** Hosts or CIDRs that the egress guard lets through although private/loopback. */
  egressAllowlist: string[]
  allowLoopback: boolean
  requireHttps: boolean
  maxBodyBytes: number
  maxResultBytes: number
  defaultTimeoutMs: number
  /** How long an execution waits for the user's answer to an elicitation or sampling request. */
  inputTimeoutMs: number
  /**
   * How often an instance holding a 2025 server's open call renews its lease (`execution_holders`);
   * three missed renewals and another instance fails the execution with `unavailable`.
   */
  heartbeatMs: number
  /** EXECUTION_YOUNG_WAITS_PER_USER: waits one user holds at once, per instance, for a young execution id the store does not have yet. */
  youngWaitsPerUser: number
  /** The function's own deadline; per-MCP timeouts are capped a little below it. */
  functionTimeoutMs: number
  dataDir: string
  store: 'local' | 'firestore'
  vault: 'local' | 'secret-manager'
  collectionPrefix: string
  secretPrefix: string
  localVaultKey?: string
  port: number
  /** Where the app and OAuth providers reach the gateway: the callback and client metadata URLs derive from it. */
  publicBaseUrl: string | null
}

const FIREBASE_JWKS = 'https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com'

const int = (v: string | undefined, d: number, min: number, max: number, name: string): number => {
  if (v === undefined || v === '') return d
  const n = Number(v)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`config: ${name} must be an integer in [${min}, ${max}]`)
  return n
}
const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)

/** A base URL: https, or plain http on loopback only; no trailing slash. */
function baseUrl(v: string | undefined, name: string): string | null {
  if (!v) return null
  const u = new URL(v)
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)))
    throw new Error(`config: ${name} must be https (http only on loopback)`)
  return u.href.replace(/\/$/, '')
}

/** EGRESS_ALLOWLIST: entries as given, each checked for a sound host and port. */
function allowlist(v: string | undefined): string[] {
  const entries = list(v)
  for (const e of entries) {
    const s = splitEntry(e)
    if ('error' in s) throw new Error(`config: EGRESS_ALLOWLIST entry ${e} ${s.error} (write host, host:port, [IPv6]:port or a CIDR)`)
  }
  return entries
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const mode: Mode = env.GATEWAY_MODE === 'local' ? 'local' : 'production'
  const local = mode === 'local'
  const projectId = env.GOOGLE_CLOUD_PROJECT || env.GCLOUD_PROJECT || env.FIREBASE_PROJECT || undefined
  const issuer = env.AUTH_ISSUER || (local ? 'urn:mcp-gateway:local' : projectId ? `https://securetoken.google.com/${projectId}` : '')
  const audience = env.AUTH_AUDIENCE || (local ? 'mcp-gateway-local' : projectId ?? '')
  const jwksUrl = env.AUTH_JWKS_URL || (local ? undefined : issuer.startsWith('https://securetoken.google.com/') ? FIREBASE_JWKS : undefined)
  const origins = list(env.APP_ORIGINS)
  for (const o of origins) {
    const u = new URL(o)
    if (u.origin !== o) throw new Error(`config: APP_ORIGINS entry ${o} is not an origin`)
  }
  const functionTimeoutMs = int(env.FUNCTION_TIMEOUT_SEC, 300, 1, 3600, 'FUNCTION_TIMEOUT_SEC') * 1000
  return {
    mode,
    projectId,
    auth: {
      issuer,
      audience,
      jwksUrl,
      orgClaim: env.AUTH_ORG_CLAIM || 'org_id',
      adminClaim: env.AUTH_ADMIN_CLAIM || 'org_role',
      adminValue: env.AUTH_ADMIN_VALUE || 'admin',
    },
    appOrigins: origins,
    egressAllowlist: allowlist(env.EGRESS_ALLOWLIST),
    allowLoopback: local ? env.EGRESS_ALLOW_LOOPBACK !== 'false' : false,
    requireHttps: !local,
    maxBodyBytes: int(env.MAX_BODY_BYTES, 1 << 20, 1024, 32 << 20, 'MAX_BODY_BYTES'),
    maxResultBytes: int(env.MAX_RESULT_BYTES, 10 << 20, 1024, 256 << 20, 'MAX_RESULT_BYTES'),
    defaultTimeoutMs: int(env.DEFAULT_TIMEOUT_MS, 60_000, 100, 3_600_000, 'DEFAULT_TIMEOUT_MS'),
    inputTimeoutMs: int(env.EXECUTION_INPUT_TIMEOUT_MS, 600_000, 100, 3_600_000, 'EXECUTION_INPUT_TIMEOUT_MS'),
    heartbeatMs: int(env.EXECUTION_HEARTBEAT_MS, 10_000, 100, 600_000, 'EXECUTION_HEARTBEAT_MS'),
    youngWaitsPerUser: int(env.EXECUTION_YOUNG_WAITS_PER_USER, 8, 0, 1000, 'EXECUTION_YOUNG_WAITS_PER_USER'),
    functionTimeoutMs,
    dataDir: env.DATA_DIR || './.data',
    store: env.STORE === 'firestore' || (!local && env.STORE !== 'local') ? 'firestore' : 'local',
    vault: env.VAULT === 'secret-manager' || (!local && env.VAULT !== 'local') ? 'secret-manager' : 'local',
    collectionPrefix: env.COLLECTION_PREFIX ?? 'mcpgw_',
    secretPrefix: env.SECRET_PREFIX ?? 'mcpgw-',
    localVaultKey: env.LOCAL_VAULT_KEY || undefined,
    port: int(env.PORT, 8080, 0, 65535, 'PORT'),
    publicBaseUrl: baseUrl(env.PUBLIC_BASE_URL, 'PUBLIC_BASE_URL') ?? (local ? `http://127.0.0.1:${env.PORT || 8080}` : null),
    ...parsePoolConfig(env, local),
    ...parseQuotaConfig(env),
    ...parseRateLimitConfig(env),
    ...parseDiscoveryConfig(env, local),
    ...parseConnectionConfig(env),
  }
}

/** What /health may show: shape and booleans, never values that could be secret. */
export function describeConfig(c: Config) {
  return {
    mode: c.mode,
    project_configured: Boolean(c.projectId),
    auth_issuer: c.auth.issuer || null,
    auth_audience_configured: Boolean(c.auth.audience),
    auth_jwks: c.auth.jwksUrl ? 'remote' : c.mode === 'local' ? 'local' : 'missing',
    app_origins: c.appOrigins.length,
    public_base_url: c.publicBaseUrl,
    egress_allowlist: c.egressAllowlist.length,
    store: c.store,
    vault: c.vault,
    // CORS off means no browser app can call the API: say so.
    cors: c.appOrigins.length ? 'on' : 'off',
    stdio: c.stdioCatalog ? 'on' : 'off',
    rate_limit: {
      user: c.rateLimit.user && formatPolicy(c.rateLimit.user),
      user_mcp: c.rateLimit.userMcp && formatPolicy(c.rateLimit.userMcp),
      org: c.rateLimit.org && formatPolicy(c.rateLimit.org),
      store: c.rateLimit.redisUrl ? 'redis' : 'memory',
      fail: c.rateLimit.fail,
    },
  }
}

// ---- stdio pool (shared/pool, functions/stdio-pool.ts) -------------------------------------
// Kept as one block: the fields merge into Config by declaration merging.
export interface Config {
  /** The stdio catalog file (STDIO_CATALOG); null disables stdio servers. */
  stdioCatalog: string | null
  /** Where the gateway reaches the pool function (POOL_URL); null: stdio disabled. */
  poolUrl: string | null
  /** The audience of service tokens to the pool (POOL_AUDIENCE, default poolUrl). */
  poolAudience: string | null
  /** Service-account emails allowed to call the pool (production), empty: any verified Google token for the audience. */
  poolInvokers: string[]
  /** Parent of each pooled process's own 0700 home directory. */
  poolDataDir: string
  /** Processes per pool instance, whatever the catalog entries allow. */
  poolMaxProcesses: number
  /**
   * Persistent homes and one process per (owner, config) across instances:
   * `gcs` (POOL_HOMES_BUCKET), `local` (a directory under DATA_DIR; local mode's
   * default) or `off` (homes live and die with the instance).
   */
  poolHomes: 'off' | 'local' | 'gcs'
  poolHomesBucket: string | null
  /** POOL_HOME_KEY: the 32-byte key sealing saved homes (a Secret Manager secret in production); local mode derives one from the vault key. */
  poolHomeKey: string | null
  /** Periodic save of running processes' homes, ms (0: only on idle-out, hand-over and shutdown). */
  poolHomeSaveMs: number
  /** How long an instance's leases outlive its last heartbeat. */
  poolLeaseTtlMs: number
  /** How often an instance looks for hand-over requests and deleted configs. */
  poolHandoverPollMs: number
}

function parsePoolConfig(env: Record<string, string | undefined>, local: boolean) {
  const poolUrl = baseUrl(env.POOL_URL, 'POOL_URL') ?? (local ? `http://127.0.0.1:${env.PORT || 8080}` : null)
  return {
    stdioCatalog: env.STDIO_CATALOG || null,
    poolUrl,
    poolAudience: env.POOL_AUDIENCE || poolUrl,
    poolInvokers: list(env.POOL_INVOKERS).map((e) => e.toLowerCase()),
    poolDataDir: env.POOL_DATA_DIR || `${(env.TMPDIR || '/tmp').replace(/\/+$/, '')}/mcp-gateway-pool`,
    poolMaxProcesses: int(env.POOL_MAX_PROCESSES, 50, 1, 1000, 'POOL_MAX_PROCESSES'),
    ...parseHomesConfig(env, local),
  }
}

function parseHomesConfig(env: Record<string, string | undefined>, local: boolean) {
  const bucket = env.POOL_HOMES_BUCKET || null
  if (bucket && !/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(bucket)) throw new Error('config: POOL_HOMES_BUCKET must be a Cloud Storage bucket name')
  const want = env.POOL_HOMES || (bucket ? 'gcs' : local ? 'local' : 'off')
  if (!['off', 'local', 'gcs'].includes(want)) throw new Error('config: POOL_HOMES must be off, local or gcs')
  if (want === 'gcs' && !bucket) throw new Error('config: POOL_HOMES=gcs needs POOL_HOMES_BUCKET')
  const key = env.POOL_HOME_KEY?.trim()
  // Checked for shape only, and never repeated in the message.
  if (key && !/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/.test(key)) throw new Error('config: POOL_HOME_KEY must be 32 bytes, given as base64 or as 64 hex characters')
  return {
    poolHomes: want as 'off' | 'local' | 'gcs',
    poolHomesBucket: bucket,
    poolHomeKey: key || null,
    poolHomeSaveMs: int(env.POOL_HOME_SAVE_MS, 300_000, 0, 86_400_000, 'POOL_HOME_SAVE_MS'),
    poolLeaseTtlMs: int(env.POOL_LEASE_TTL_MS, 15_000, 1000, 600_000, 'POOL_LEASE_TTL_MS'),
    poolHandoverPollMs: int(env.POOL_HANDOVER_POLL_MS, 1000, 50, 60_000, 'POOL_HANDOVER_POLL_MS'),
  }
}

// ---- quotas (shared/quota) -----------------------------------------------------------------
export interface Config {
  /** Per-tenant limits that protect shared project quotas (Secret Manager writes above all). */
  quotas: {
    /** Configs one user may hold (scope `user`), QUOTA_CONFIGS_PER_USER. */
    configsPerUser: number
    /** Configs one org may hold (scope `org`), QUOTA_CONFIGS_PER_ORG. */
    configsPerOrg: number
    /** Vault writes one user may cause per minute, QUOTA_VAULT_WRITES_PER_MINUTE. */
    vaultWritesPerMinute: number
  }
}

function parseQuotaConfig(env: Record<string, string | undefined>) {
  return {
    quotas: {
      configsPerUser: int(env.QUOTA_CONFIGS_PER_USER, 100, 1, 1_000_000, 'QUOTA_CONFIGS_PER_USER'),
      configsPerOrg: int(env.QUOTA_CONFIGS_PER_ORG, 1000, 1, 1_000_000, 'QUOTA_CONFIGS_PER_ORG'),
      vaultWritesPerMinute: int(env.QUOTA_VAULT_WRITES_PER_MINUTE, 30, 1, 1_000_000, 'QUOTA_VAULT_WRITES_PER_MINUTE'),
    },
  }
}

// ---- rate limits (shared/ratelimit) --------------------------------------------------------
export interface Config {
  rateLimit: {
    /** RATE_LIMIT_USER, RATE_LIMIT_USER_MCP, RATE_LIMIT_ORG: null means no limit. */
    user: Policy | null
    userMcp: Policy | null
    org: Policy | null
    /** REDIS_URL: buckets shared by every instance; null keeps them in this instance's memory. */
    redisUrl: string | null
    /** RATE_LIMIT_FAIL: what a call gets while Redis is unreachable. */
    fail: 'open' | 'closed'
  }
}

function policyVar(name: string, v: string | undefined): Policy | null {
  if (v === undefined || v.trim() === '') return null
  const r = parsePolicy(v)
  if (!r.ok) throw new Error(`config: ${name} ${r.reason}; got ${JSON.stringify(v.slice(0, 64))}`)
  return r.policy
}

function parseRateLimitConfig(env: Record<string, string | undefined>) {
  const fail = env.RATE_LIMIT_FAIL || 'open'
  if (fail !== 'open' && fail !== 'closed') throw new Error('config: RATE_LIMIT_FAIL must be open or closed')
  const redisUrl = env.REDIS_URL || null
  // The URL may hold a password: the message never repeats it.
  if (redisUrl && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) throw new Error('config: REDIS_URL must be a redis:// or rediss:// URL')
  return {
    rateLimit: {
      user: policyVar('RATE_LIMIT_USER', env.RATE_LIMIT_USER),
      userMcp: policyVar('RATE_LIMIT_USER_MCP', env.RATE_LIMIT_USER_MCP),
      org: policyVar('RATE_LIMIT_ORG', env.RATE_LIMIT_ORG),
      redisUrl,
      fail: fail as 'open' | 'closed',
    },
  }
}

// ---- discovery: registries implementing the generic MCP Registry API (shared/discovery) ---------
export interface Config {
  discovery: {
    /** REGISTRY_SOURCES: base URLs of registries (the part before `/v0.1/servers`); empty: discovery off. */
    sources: string[]
    /** REGISTRY_REFRESH_SEC: a listing older than this refreshes its source first (incrementally). */
    refreshSec: number
    /** REGISTRY_MAX_BYTES: cap on one registry answer. */
    maxBytes: number
    /** REGISTRY_TIMEOUT_MS: one registry request. */
    timeoutMs: number
    /** REGISTRY_REFRESH_AUDIENCE / REGISTRY_REFRESH_INVOKERS: who may call the scheduled refresh (service tokens). */
    refreshAudience: string | null
    refreshInvokers: string[]
  }
}

function parseDiscoveryConfig(env: Record<string, string | undefined>, local: boolean) {
  const sources = list(env.REGISTRY_SOURCES).map((s) => {
    let u: URL
    try {
      u = new URL(s)
    } catch {
      throw new Error(`config: REGISTRY_SOURCES entry ${JSON.stringify(s.slice(0, 100))} is not a URL`)
    }
    if (u.username || u.password || u.search || u.hash) throw new Error('config: REGISTRY_SOURCES entries are base URLs without credentials, query or fragment')
    if (u.protocol !== 'https:' && !(local && u.protocol === 'http:')) throw new Error('config: REGISTRY_SOURCES entries must be https (http only in local mode)')
    return u.href.replace(/\/+$/, '')
  })
  return {
    discovery: {
      sources,
      refreshSec: int(env.REGISTRY_REFRESH_SEC, 3600, 0, 7 * 86400, 'REGISTRY_REFRESH_SEC'),
      maxBytes: int(env.REGISTRY_MAX_BYTES, 4 << 20, 1024, 64 << 20, 'REGISTRY_MAX_BYTES'),
      timeoutMs: int(env.REGISTRY_TIMEOUT_MS, 10_000, 100, 120_000, 'REGISTRY_TIMEOUT_MS'),
      refreshAudience: env.REGISTRY_REFRESH_AUDIENCE || null,
      refreshInvokers: list(env.REGISTRY_REFRESH_INVOKERS).map((e) => e.toLowerCase()),
    },
  }
}

// ---- upstream connections (shared/egress/fetch.ts, shared/agent/session.ts) ----------------
export interface Config {
  /** EGRESS_CONNECTIONS_PER_ORIGIN: sockets the gateway opens to one upstream origin for requests. */
  egressConnections: number
  /** AGENT_SESSIONS_PER_USER: 2025 agent sessions one user keeps open on one MCP endpoint, per instance. */
  agentSessionsPerUser: number
}

function parseConnectionConfig(env: Record<string, string | undefined>) {
  return {
    egressConnections: int(env.EGRESS_CONNECTIONS_PER_ORIGIN, 128, 1, 4096, 'EGRESS_CONNECTIONS_PER_ORIGIN'),
    agentSessionsPerUser: int(env.AGENT_SESSIONS_PER_USER, 32, 1, 1000, 'AGENT_SESSIONS_PER_USER'),
  }
}
