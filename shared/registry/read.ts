/**
 * The registry's read side, which every domain uses: a config the caller may
 * see, the caller's page of configs, and a config's secrets. A leaf of the
 * import graph: nothing here imports oauth/ or mcp/ (they import this).
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { Lru } from '../cache.js'
import { AppError } from '../errors.js'
import { registerSecrets } from '../log.js'
import type { Rec } from '../ports.js'
import { check } from '../validate.js'
import { MCPS, secretValues, tenantsOf, visible, type McpConfig, type Secrets } from './model.js'
import { listQuerySchema } from './schema.js'

/** Reads a config the caller may see, else 404 (never 403: existence is not revealed). */
export async function load(d: Deps, caller: Caller, id: string): Promise<Rec<McpConfig>> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new AppError('not_found', 'No such MCP server.')
  const rec = await (await d.store()).get<McpConfig>(MCPS, id)
  if (!rec || !visible(rec.data, caller)) throw new AppError('not_found', 'No such MCP server.')
  return rec
}

/** The configs the caller may see, a page at a time (`limit`, `cursor`). */
export async function list(d: Deps, caller: Caller, query: URLSearchParams) {
  const q = check<{ limit?: string; cursor?: string }>(listQuerySchema, Object.fromEntries(query), 'query')
  const page = await (await d.store()).list<McpConfig>(MCPS, { where: { field: 'tenant', in: tenantsOf(caller) }, limit: Number(q.limit ?? 50), cursor: q.cursor })
  return { items: page.items.filter((r) => visible(r.data, caller)), next: page.next }
}

/** A config's secrets, read from the vault now (writes and OAuth steps, which must not see a stale value). */
export async function readSecrets(d: Deps, doc: McpConfig): Promise<Secrets> {
  if (!doc.secret_ref) return {}
  const raw = await (await d.vault()).get(doc.secret_ref)
  const secrets = raw ? (JSON.parse(new TextDecoder().decode(raw)) as Secrets) : {}
  // This request now holds them: its responses and log lines mask them.
  registerSecrets(secretValues(secrets))
  return secrets
}

// Keyed by record id and version: any change to the config makes a new key,
// so a stale secret is never used. Bounded, and short-lived.
const secretCache = new Lru<Secrets>(1000)
const SECRET_TTL = 5 * 60_000

/** A stored version's secrets for calls upstream: cached per instance, by id and version. */
export async function secretsOf(d: Deps, rec: Rec<McpConfig>): Promise<Secrets> {
  if (!rec.data.secret_ref) return {}
  const key = `${rec.id}:${rec.version}`
  let secrets = secretCache.get(key)
  if (!secrets) {
    secrets = await readSecrets(d, rec.data)
    secretCache.set(key, secrets, SECRET_TTL)
  }
  // Read from the cache too: this request holds them, so its responses and log lines mask them.
  registerSecrets(secretValues(secrets))
  return secrets
}
