/**
 * What a config must be, beyond its JSON schema: the rules that relate its
 * fields (type, endpoint, auth and secrets), the egress policy for every URL
 * it leads to, OAuth clients and provider presets, and stdio catalog choices.
 * Pure checks; nothing is written or started here.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { checkOAuthUrl, checkUrl, policyOf } from '../egress/policy.js'
import { presetOf } from '../oauth/presets.js'
import { checkConfigRateLimit } from '../ratelimit/check.js'
import { checkPaths } from '../stdio-pool/paths.js'
import { checkChoice } from '../stdio/catalog.js'
import { catalogOf } from '../stdio/load.js'
import { STDIO_OFF } from '../stdio/disabled.js'
import type { McpConfig, OAuthConfig, Secrets } from './model.js'
import { RESERVED_HEADERS } from './schema.js'

/** 400 with one violation at `path` (a JSON pointer into the body). */
export const bad = (path: string, message: string) => new AppError('invalid_request', `${path} ${message}`, { errors: [{ path, message }] })

/** stdio configs: a catalog entry and its declared parameters and env vars, nothing else (nothing starts here). */
function checkStdio(d: Deps, doc: Pick<McpConfig, 'type' | 'endpoint' | 'auth_type' | 'config'>, secrets: Secrets) {
  const cat = catalogOf(d)
  if (!cat) throw bad('/type', STDIO_OFF)
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

/** Throws 400 for the first rule `doc` with `secrets` breaks. */
export function checkSemantics(d: Deps, doc: Pick<McpConfig, 'type' | 'endpoint' | 'auth_type' | 'config'>, secrets: Secrets) {
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
