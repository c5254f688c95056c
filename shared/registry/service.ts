/** MCP config CRUD: tenancy, validation, secrets in the vault, audit. */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { newId, newSecretName } from '../ids.js'
import { audit } from '../audit.js'
import { log, registerSecrets } from '../log.js'
import { connectionOf } from '../oauth/view.js'
import { presetOf } from '../oauth/presets.js'
import { catalogOf } from '../stdio/load.js'
import { checkChoice } from '../stdio/catalog.js'
import { checkPaths } from '../pool/paths.js'
import { createCounted, deleteCounted, roomFor } from '../quota/configs.js'
import { chargeVaultWrite } from '../quota/vault-writes.js'
import type { Rec } from '../ports.js'
import { check } from '../validate.js'
import { checkOAuthUrl, checkUrl, policyOf } from '../egress/policy.js'
import { DEFAULT_POLICY, policyOf as toolPolicyOf, type ToolPolicy } from '../governance/policy.js'
import { createSchema, listQuerySchema, patchSchema, RESERVED_HEADERS } from './schema.js'
import { checkConfigRateLimit } from '../ratelimit/check.js'
import { etag, MCPS, mutable, secretValues, tenantOf, tenantsOf, view, visible, type AuthType, type McpDoc, type McpType, type OAuthConfig, type Secrets } from './model.js'

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

const bad = (path: string, message: string) => new AppError('invalid_request', `${path} ${message}`, { errors: [{ path, message }] })

/** stdio configs: a catalog entry and its declared parameters and env vars, nothing else (nothing starts here). */
function checkStdio(d: Deps, doc: Pick<McpDoc, 'type' | 'endpoint' | 'auth_type' | 'config'>, secrets: Secrets) {
  const cat = catalogOf(d)
  if (!cat) throw bad('/type', 'stdio servers need the stdio pool')
  if (doc.endpoint) throw bad('/endpoint', 'is not used by stdio servers')
  if (doc.auth_type !== 'none') throw bad('/auth_type', 'must be none for stdio servers (their env vars carry credentials)')
  if (doc.config.headers || secrets.headers || doc.config.oauth) throw bad('/config', 'headers and oauth do not apply to stdio servers')
  if (!doc.config.catalog_id) throw bad('/config/catalog_id', 'is required for stdio servers')
  const choice = checkChoice(cat, { catalog_id: doc.config.catalog_id, params: doc.config.params ?? {}, env: secrets.env ?? {} })
  // Refused here, not only at spawn: a root in the pool's homes or the gateway's data never registers.
  checkPaths(cat, choice, [d.config.poolDataDir, d.config.dataDir])
  // The choice travels to the pool in one request header: keep it well under Node's 16 KiB header limit.
  if (Buffer.byteLength(JSON.stringify(secrets.env ?? {})) + Buffer.byteLength(JSON.stringify(doc.config.params ?? {})) > 6144)
    throw bad('/config', 'params and env may hold at most 6 KiB in all')
}

function checkSemantics(d: Deps, doc: Pick<McpDoc, 'type' | 'endpoint' | 'auth_type' | 'config'>, secrets: Secrets) {
  checkConfigRateLimit(d, doc.config.rate_limit)
  if (doc.type === 'stdio') return checkStdio(d, doc, secrets)
  if (doc.config.catalog_id || doc.config.params || secrets.env) throw bad('/config', 'catalog_id, params and env are for stdio servers')
  const hint = withScheme(doc.endpoint)
  if (hint) throw bad('/endpoint', `must be an absolute URL with its scheme: did you mean ${hint}?`)
  const v = checkUrl(policyOf(d), doc.endpoint)
  if (!v.ok) throw bad('/endpoint', v.reason)
  if (doc.auth_type === 'bearer' && !secrets.token) throw bad('/config/token', 'is required when auth_type is bearer')
  if (doc.auth_type !== 'bearer' && secrets.token) throw bad('/config/token', 'is only allowed when auth_type is bearer')
  const names = new Set<string>()
  for (const [where, map] of [['headers', doc.config.headers], ['secret_headers', secrets.headers]] as const) {
    for (const h of Object.keys(map ?? {})) {
      const k = h.toLowerCase()
      if (RESERVED_HEADERS.has(k)) throw bad(`/config/${where}/${h}`, 'is set by the gateway and cannot be configured')
      if (names.has(k)) throw bad(`/config/${where}/${h}`, 'is set twice')
      names.add(k)
    }
  }
  const o = doc.config.oauth
  if (o && doc.auth_type !== 'oauth') throw bad('/config/oauth', 'is only allowed when auth_type is oauth')
  if (secrets.client_secret && !o?.client_id) throw bad('/config/oauth/client_secret', 'needs a client_id')
  if (o && Boolean(o.auth_url) !== Boolean(o.token_url)) throw bad('/config/oauth', 'auth_url and token_url go together')
  if (o?.auth_url && !o.client_id) throw bad('/config/oauth/client_id', 'is required with explicit auth_url and token_url')
  if (o) checkOAuthClient(d, o, secrets)
  if (doc.config.timeout_ms !== undefined && doc.config.timeout_ms > d.config.functionTimeoutMs - 1000)
    throw bad('/config/timeout_ms', `must be below the function timeout (${d.config.functionTimeoutMs - 1000} ms)`)
}

/** The OAuth client and provider preset: what each needs, and every endpoint they lead to (the OAuth endpoint rule). */
function checkOAuthClient(d: Deps, o: OAuthConfig, secrets: Secrets) {
  const m = o.token_endpoint_auth_method
  if (m && !o.client_id) throw bad('/config/oauth/token_endpoint_auth_method', 'is for a pre-registered client (client_id)')
  if (m && m !== 'none' && !secrets.client_secret) throw bad('/config/oauth/client_secret', `is required with ${m}`)
  if (m === 'none' && secrets.client_secret) throw bad('/config/oauth/client_secret', 'is not used with token_endpoint_auth_method none')
  if (o.tenant && o.provider !== 'microsoft') throw bad('/config/oauth/tenant', 'is only for provider microsoft')
  for (const k of ['domain', 'audience'] as const) if (o[k] && o.provider !== 'auth0') throw bad(`/config/oauth/${k}`, 'is only for provider auth0')
  const preset = presetOf(o.provider)
  if (preset) {
    if (!o.client_id) throw bad('/config/oauth/client_id', `is required with provider ${o.provider} (register the gateway there first)`)
    if (!secrets.client_secret && m !== 'none') throw bad('/config/oauth/client_secret', `is required with provider ${o.provider}`)
    for (const k of preset.needs) if (!o[k] && !(o.auth_url && o.token_url)) throw bad(`/config/oauth/${k}`, `is required with provider ${o.provider}`)
  }
  const ep = preset?.endpoints(o)
  for (const k of ['auth_url', 'token_url', 'revocation_url'] as const) {
    const url = o[k] ?? ep?.[k]
    if (!url) continue
    const u = checkOAuthUrl(policyOf(d), url)
    if (!u.ok) throw bad(`/config/oauth/${o[k] ? k : preset!.needs[0] ?? 'provider'}`, u.reason)
  }
}

/** `mcp.example.com/mcp` or `localhost:3001/mcp`: the URL the user most likely meant, else null. */
function withScheme(endpoint: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) || !/^[A-Za-z0-9[]/.test(endpoint)) return null
  const host = /^([^/:?#]+|\[[^\]]+\])(:\d+)?([/?#]|$)/.exec(endpoint)?.[1]
  if (!host || (!host.includes('.') && !host.startsWith('[') && host !== 'localhost')) return null
  const scheme = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(host) ? 'http' : 'https'
  return URL.canParse(`${scheme}://${endpoint}`) ? `${scheme}://${endpoint}` : null
}

const hasSecrets = (s: Secrets) => Boolean(s.token) || Boolean(s.client_secret) || Object.keys(s.headers ?? {}).length > 0 || Object.keys(s.env ?? {}).length > 0
const encode = (s: Secrets) => new TextEncoder().encode(JSON.stringify(s))

/** Reads a config the caller may see, else 404 (never 403: existence is not revealed). */
export async function load(d: Deps, caller: Caller, id: string): Promise<Rec<McpDoc>> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new AppError('not_found', 'No such MCP server.')
  const rec = await (await d.store()).get<McpDoc>(MCPS, id)
  if (!rec || !visible(rec.data, caller)) throw new AppError('not_found', 'No such MCP server.')
  return rec
}

export async function readSecrets(d: Deps, doc: McpDoc): Promise<Secrets> {
  if (!doc.secret_ref) return {}
  const raw = await (await d.vault()).get(doc.secret_ref)
  const secrets = raw ? (JSON.parse(new TextDecoder().decode(raw)) as Secrets) : {}
  // This request now holds them: its responses and log lines mask them.
  registerSecrets(secretValues(secrets))
  return secrets
}

export async function create(d: Deps, caller: Caller, body: unknown): Promise<Rec<McpDoc>> {
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
  }
  const now = d.clock.now()
  const doc: McpDoc = {
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

export async function list(d: Deps, caller: Caller, query: URLSearchParams) {
  const q = check<{ limit?: string; cursor?: string }>(listQuerySchema, Object.fromEntries(query), 'query')
  const page = await (await d.store()).list<McpDoc>(MCPS, { where: { field: 'tenant', in: tenantsOf(caller) }, limit: Number(q.limit ?? 50), cursor: q.cursor })
  return { items: page.items.filter((r) => visible(r.data, caller)), next: page.next }
}

/**
 * If-Match (RFC 9110 §13.1.1): `*` or a list of entity tags, compared
 * strongly (a weak tag never matches). Undefined when absent. A 412 carries
 * the current ETag, so the client can read again and retry.
 */
function ifMatch(header: string | undefined): ((rec: Rec<McpDoc>) => void) | undefined {
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

const changed = (rec: Rec<McpDoc> | null) =>
  new AppError('precondition_failed', 'The MCP server was changed since you read it: read it again (the ETag header is its current version).', undefined, rec ? { headers: { ETag: etag(rec) } } : undefined)

/** A write that lost the version race: 412 with the winner's ETag. */
async function lostRace(d: Deps, id: string, e: unknown): Promise<never> {
  if (!(e instanceof AppError) || e.code !== 'precondition_failed') throw e
  throw changed(await (await d.store()).get<McpDoc>(MCPS, id))
}

export async function patch(d: Deps, caller: Caller, id: string, body: unknown, ifMatchHeader?: string): Promise<Rec<McpDoc>> {
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
  const auth_type = b.auth_type ?? old.auth_type
  if (auth_type !== 'oauth' && old.auth_type === 'oauth' && c.oauth === undefined) {
    delete config.oauth
    delete secrets.client_secret
  }
  // Leaving bearer auth drops the token with it, unless the caller set one explicitly (then the check below complains).
  if (auth_type !== 'bearer' && old.auth_type === 'bearer' && c.token === undefined) delete secrets.token
  const next: McpDoc = {
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
  let out: Rec<McpDoc>
  try {
    out = await (await d.store()).update<McpDoc>(MCPS, id, () => next, { ifVersion: rec.version })
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
  // Every user's OAuth connection to it goes too (tokens included).
  if (rec.data.auth_type === 'oauth') {
    const { deleteConnectionsOf } = await import('../oauth/disconnect.js')
    await deleteConnectionsOf(d, id).catch((e) => log('ERROR', 'OAuth connections of a deleted MCP server not deleted', { mcp_id: id, error: String(e?.message ?? e) }))
  }
  if (rec.data.secret_ref) {
    // The config is gone either way; a leftover secret is found by its ref in this log line.
    await (await d.vault()).delete(rec.data.secret_ref).catch((e) => log('ERROR', 'secret of a deleted MCP server not deleted', { secret_ref: rec.data.secret_ref, error: String(e?.message ?? e) }))
  }
  audit(d, { actor: caller.sub, org: caller.org ?? null, action: 'mcp.delete', mcp_id: id, outcome: 'ok', duration_ms: Math.round(performance.now() - t0) })
}

/** The API view for this caller: OAuth configs show the caller's own connection (never tokens). */
export async function viewFor(d: Deps, caller: Caller, rec: Rec<McpDoc>) {
  if (rec.data.auth_type !== 'oauth') return view(rec)
  return view(rec, await connectionOf(d, caller.sub, rec.id))
}
