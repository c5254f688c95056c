/** Writing MCP configs: create, patch and delete, with tenancy, quotas, secrets in the vault, If-Match and audit. */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { newId, newSecretName } from '../ids.js'
import { audit } from '../audit.js'
import { log } from '../log.js'
import { createCounted, deleteCounted, roomFor } from '../quota/configs.js'
import { chargeVaultWrite } from '../quota/vault-writes.js'
import type { Rec } from '../ports.js'
import { check } from '../validate.js'
import { DEFAULT_POLICY, policyOf as toolPolicyOf, type ToolPolicy } from '../governance/policy.js'
import { createSchema, patchSchema } from './schema.js'
import { etag, MCPS, mutable, tenantOf, type AuthType, type McpConfig, type McpType, type OAuthConfig, type RegistryRef, type Secrets } from './model.js'
import { load, readSecrets } from './read.js'
import { bad, checkSemantics } from './rules.js'

interface CreateBody {
  name: string
  type: McpType
  endpoint?: string
  auth_type: AuthType
  scope: 'user' | 'org'
  config?: {
    timeout_ms?: number; headers?: Record<string, string>; secret_headers?: Record<string, string>; token?: string; oauth?: OAuthConfig & { client_secret?: string }
    catalog_id?: string; params?: Record<string, string | number | boolean>; env?: Record<string, string>; rate_limit?: string
    tool_policy?: Partial<ToolPolicy>
  }
}
type OAuthPatch = { [K in keyof (OAuthConfig & { client_secret?: string })]?: (OAuthConfig & { client_secret?: string })[K] | null }
type PatchBody = Partial<Omit<CreateBody, 'config'>> & {
  config?: {
    timeout_ms?: number | null; headers?: Record<string, string> | null; secret_headers?: Record<string, string | null> | null; token?: string | null; oauth?: OAuthPatch | null
    params?: Record<string, string | number | boolean>; env?: Record<string, string | null>; rate_limit?: string | null
    tool_policy?: Partial<ToolPolicy> | null
  }
}

const hasSecrets = (s: Secrets) => Boolean(s.token) || Boolean(s.client_secret) || Object.keys(s.headers ?? {}).length > 0 || Object.keys(s.env ?? {}).length > 0 || Object.keys(s.registry_values ?? {}).length > 0

/** What a registry registration or upgrade adds to a write (shared/discovery): where the config came from, and the form's secret values. */
export interface RegistryExtra { registry: RegistryRef; registry_values: Record<string, string> }
const encode = (s: Secrets) => new TextEncoder().encode(JSON.stringify(s))

export async function create(d: Deps, caller: Caller, body: unknown, extra?: RegistryExtra): Promise<Rec<McpConfig>> {
  const t0 = performance.now()
  const b = check<CreateBody>(createSchema, body)
  if (b.scope === 'org' && !caller.org) throw new AppError('forbidden', 'Only members of an org can create org-scoped MCP servers.')
  if (b.scope === 'org' && !caller.admin) throw new AppError('forbidden', 'Only org admins can create org-scoped MCP servers.')
  const cfg = b.config ?? {}
  const { client_secret, ...oauthCfg } = cfg.oauth ?? {}
  const secrets: Secrets = {
    ...(cfg.token ? { token: cfg.token } : {}),
    ...(cfg.secret_headers ? { headers: cfg.secret_headers } : {}),
    ...(client_secret ? { client_secret } : {}),
    ...(cfg.env && Object.keys(cfg.env).length ? { env: cfg.env } : {}),
    ...(extra && Object.keys(extra.registry_values).length ? { registry_values: extra.registry_values } : {}),
  }
  const now = d.clock.now()
  const doc: McpConfig = {
    name: b.name,
    type: b.type,
    endpoint: b.endpoint ?? '',
    auth_type: b.auth_type,
    scope: b.scope,
    tenant: tenantOf(b.scope, caller),
    owner_id: caller.sub,
    org_id: b.scope === 'org' ? caller.org! : null,
    config: {
      ...(cfg.timeout_ms !== undefined ? { timeout_ms: cfg.timeout_ms } : {}),
      ...(cfg.headers ? { headers: cfg.headers } : {}),
      ...(cfg.oauth ? { oauth: oauthCfg } : {}),
      ...(cfg.catalog_id !== undefined ? { catalog_id: cfg.catalog_id } : {}),
      ...(cfg.params !== undefined ? { params: cfg.params } : {}),
      ...(cfg.rate_limit !== undefined ? { rate_limit: cfg.rate_limit } : {}),
      tool_policy: { ...DEFAULT_POLICY, ...cfg.tool_policy },
    },
    secret_ref: null,
    has_token: Boolean(secrets.token),
    secret_header_names: Object.keys(secrets.headers ?? {}),
    has_client_secret: Boolean(secrets.client_secret),
    ...(b.type === 'stdio' ? { env_names: Object.keys(secrets.env ?? {}) } : {}),
    ...(extra ? { registry: extra.registry } : {}),
    status: b.auth_type === 'oauth' ? 'needs_auth' : 'ready',
    created_at: now,
    updated_at: now,
  }
  checkSemantics(d, doc, secrets)
  const id = newId()
  // Quotas before the vault: a refused create writes no secret.
  const room = await roomFor(d, doc.tenant)
  if (hasSecrets(secrets)) {
    await chargeVaultWrite(d, caller.sub)
    doc.secret_ref = newSecretName()
    await (await d.vault()).put(doc.secret_ref, encode(secrets))
  }
  try {
    const rec = await createCounted(d, room, id, doc)
    audit(d, { actor: caller.sub, org: caller.org ?? null, action: 'mcp.create', mcp_id: id, outcome: 'ok', duration_ms: Math.round(performance.now() - t0) })
    return rec
  } catch (e) {
    // The record never existed: its secret must not outlive it.
    if (doc.secret_ref) await (await d.vault()).delete(doc.secret_ref).catch(() => {})
    throw e
  }
}

/**
 * If-Match (RFC 9110 §13.1.1): `*` or a list of entity tags, compared
 * strongly (a weak tag never matches). Undefined when absent. A 412 carries
 * the current ETag, so the client can read again and retry.
 */
function ifMatch(header: string | undefined): ((rec: Rec<McpConfig>) => void) | undefined {
  if (header === undefined) return undefined
  const v = header.trim()
  if (v === '*') return () => {}
  const tags = v.split(',').map((t) => t.trim())
  if (!tags.every((t) => /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/.test(t)))
    throw new AppError('precondition_failed', 'If-Match must be * or ETags from this API, like "v3".')
  return (rec) => {
    if (!tags.includes(etag(rec))) throw changed(rec)
  }
}

const changed = (rec: Rec<McpConfig> | null) =>
  new AppError('precondition_failed', 'The MCP server was changed since you read it: read it again (the ETag header is its current version).', undefined, rec ? { headers: { ETag: etag(rec) } } : undefined)

/** A write that lost the version race: 412 with the winner's ETag. */
async function lostRace(d: Deps, id: string, e: unknown): Promise<never> {
  if (!(e instanceof AppError) || e.code !== 'precondition_failed') throw e
  throw changed(await (await d.store()).get<McpConfig>(MCPS, id))
}

export async function patch(d: Deps, caller: Caller, id: string, body: unknown, ifMatchHeader?: string, extra?: RegistryExtra): Promise<Rec<McpConfig>> {
  const t0 = performance.now()
  const b = check<PatchBody>(patchSchema, body)
  const expected = ifMatch(ifMatchHeader)
  const rec = await load(d, caller, id)
  if (!mutable(rec.data, caller)) throw new AppError('forbidden', 'Only org admins can change org-scoped MCP servers.')
  expected?.(rec)
  if (b.scope !== undefined && b.scope !== rec.data.scope) throw bad('/scope', 'cannot be changed; create a new MCP server instead')
  const old = rec.data
  const oldSecrets = await readSecrets(d, old)
  const c = b.config ?? {}
  const secrets: Secrets = { ...oldSecrets, headers: { ...(oldSecrets.headers ?? {}) } }
  if (c.token !== undefined) c.token === null ? delete secrets.token : (secrets.token = c.token)
  if (c.secret_headers === null) secrets.headers = {}
  else for (const [k, v] of Object.entries(c.secret_headers ?? {})) v === null ? delete secrets.headers![k] : (secrets.headers![k] = v)
  if (!Object.keys(secrets.headers!).length) delete secrets.headers
  const config = { ...old.config }
  if (c.timeout_ms !== undefined) c.timeout_ms === null ? delete config.timeout_ms : (config.timeout_ms = c.timeout_ms)
  if (c.headers !== undefined) c.headers === null ? delete config.headers : (config.headers = c.headers)
  if (c.oauth === null) {
    delete config.oauth
    delete secrets.client_secret
  } else if (c.oauth) {
    const o: OAuthConfig = { ...(config.oauth ?? {}) }
    for (const [k, v] of Object.entries(c.oauth)) {
      if (k === 'client_secret') v === null ? delete secrets.client_secret : (secrets.client_secret = v as string)
      else if (v === null) delete o[k as keyof OAuthConfig]
      else (o as Record<string, unknown>)[k] = v
    }
    config.oauth = o
  }
  if (c.params !== undefined) config.params = c.params
  if (c.rate_limit !== undefined) c.rate_limit === null ? delete config.rate_limit : (config.rate_limit = c.rate_limit)
  // null: back to the default for new configs; an object changes the fields it names.
  if (c.tool_policy !== undefined) config.tool_policy = c.tool_policy === null ? { ...DEFAULT_POLICY } : { ...toolPolicyOf(old), ...c.tool_policy }
  if (c.env !== undefined) {
    secrets.env = { ...(secrets.env ?? {}) }
    for (const [k, v] of Object.entries(c.env)) v === null ? delete secrets.env[k] : (secrets.env[k] = v)
    if (!Object.keys(secrets.env).length) delete secrets.env
  }
  if (extra) {
    if (Object.keys(extra.registry_values).length) secrets.registry_values = extra.registry_values
    else delete secrets.registry_values
  }
  const auth_type = b.auth_type ?? old.auth_type
  if (auth_type !== 'oauth' && old.auth_type === 'oauth' && c.oauth === undefined) {
    delete config.oauth
    delete secrets.client_secret
  }
  // Leaving bearer auth drops the token with it, unless the caller set one explicitly (then the check below complains).
  if (auth_type !== 'bearer' && old.auth_type === 'bearer' && c.token === undefined) delete secrets.token
  const next: McpConfig = {
    ...old,
    name: b.name ?? old.name,
    type: b.type ?? old.type,
    endpoint: b.endpoint ?? old.endpoint,
    auth_type,
    config,
    has_token: Boolean(secrets.token),
    secret_header_names: Object.keys(secrets.headers ?? {}),
    has_client_secret: Boolean(secrets.client_secret),
    ...(old.type === 'stdio' || b.type === 'stdio' ? { env_names: Object.keys(secrets.env ?? {}) } : {}),
    ...(extra ? { registry: extra.registry } : {}),
    status: auth_type === old.auth_type && b.endpoint === undefined ? old.status : auth_type === 'oauth' ? 'needs_auth' : 'ready',
    updated_at: d.clock.now(),
  }
  checkSemantics(d, next, secrets)
  const secretsChanged = JSON.stringify(secrets) !== JSON.stringify(oldSecrets)
  const vault = secretsChanged ? await d.vault() : undefined
  let newRef: string | null = null
  if (secretsChanged) {
    // A fresh name per change: a PATCH that loses the version race below must not overwrite the winner's secrets.
    newRef = hasSecrets(secrets) ? newSecretName() : null
    next.secret_ref = newRef
    if (newRef) {
      await chargeVaultWrite(d, caller.sub)
      await vault!.put(newRef, encode(secrets))
    }
  }
  let out: Rec<McpConfig>
  try {
    out = await (await d.store()).update<McpConfig>(MCPS, id, () => next, { ifVersion: rec.version })
  } catch (e) {
    if (newRef) await vault!.delete(newRef).catch(() => {})
    return lostRace(d, id, e)
  }
  if (secretsChanged && old.secret_ref) {
    await vault!.delete(old.secret_ref).catch((e) => log('ERROR', 'replaced secret of an MCP server not deleted', { secret_ref: old.secret_ref, error: String(e?.message ?? e) }))
  }
  audit(d, { actor: caller.sub, org: caller.org ?? null, action: 'mcp.update', mcp_id: id, outcome: 'ok', duration_ms: Math.round(performance.now() - t0) })
  return out
}

export async function remove(d: Deps, caller: Caller, id: string, ifMatchHeader?: string): Promise<void> {
  const t0 = performance.now()
  const expected = ifMatch(ifMatchHeader)
  const rec = await load(d, caller, id)
  if (!mutable(rec.data, caller)) throw new AppError('forbidden', 'Only org admins can delete org-scoped MCP servers.')
  expected?.(rec)
  // Frees the tenant's quota place in the same transaction.
  await deleteCounted(d, id, rec.version).catch((e) => lostRace(d, id, e))
  // Its pinned definitions go too (nothing reads them once the config is gone).
  const { deletePins } = await import('../governance/pins.js')
  await deletePins(d, id).catch((e) => log('ERROR', 'pinned definitions of a deleted MCP server not deleted', { mcp_id: id, error: String(e?.message ?? e) }))
  // Every user's OAuth connection to it goes too (tokens included): the one call
  // from the registry into oauth/, which reads configs (./read.ts) but never writes them.
  if (rec.data.auth_type === 'oauth') {
    const { deleteConnectionsOf } = await import('../oauth/disconnect.js')
    await deleteConnectionsOf(d, id).catch((e) => log('ERROR', 'OAuth connections of a deleted MCP server not deleted', { mcp_id: id, error: String(e?.message ?? e) }))
  }
  // Its saved stdio homes go too: a tombstone the pool acts on (only the pool may touch them, and a
  // process still running elsewhere must not save its home back afterwards).
  if (rec.data.type === 'stdio') {
    const { forgetHomes } = await import('../stdio-pool/forget.js')
    await forgetHomes(await d.store(), id, d.clock.now()).catch((e) => log('ERROR', 'saved stdio homes of a deleted MCP server not marked for deletion', { mcp_id: id, error: String(e?.message ?? e) }))
  }
  if (rec.data.secret_ref) {
    // The config is gone either way; a leftover secret is found by its ref in this log line.
    await (await d.vault()).delete(rec.data.secret_ref).catch((e) => log('ERROR', 'secret of a deleted MCP server not deleted', { secret_ref: rec.data.secret_ref, error: String(e?.message ?? e) }))
  }
  audit(d, { actor: caller.sub, org: caller.org ?? null, action: 'mcp.delete', mcp_id: id, outcome: 'ok', duration_ms: Math.round(performance.now() - t0) })
}
