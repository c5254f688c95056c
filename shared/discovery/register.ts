/**
 * Registering a registry entry's remote as an MCP config, and moving a config
 * to the entry's latest version. The form's values fill the URL template and
 * headers; the result goes through the ordinary create and patch (same
 * validation, egress policy, quotas and vault), with the registry reference.
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { checkUrl, policyOf } from '../egress/policy.js'
import type { Rec } from '../ports.js'
import { check } from '../validate.js'
import type { McpConfig } from '../registry/model.js'
import { mutable } from '../registry/model.js'
import { load, readSecrets } from '../registry/read.js'
import { create, patch } from '../registry/write.js'
import { cachedVersion, serverOf, upsert, type EntryRecord } from './cache.js'
import { getVersion } from './client.js'
import { accept, Rejected } from './entry.js'
import { fill, shapeOf, type FillError, type Filled } from './form.js'
import { fromRegistrySchema, upgradeSchema } from './schema.js'

type Values = Record<string, string | number | boolean>

/**
 * One version of a server: from the cache, else asked of each source in turn
 * (and cached). `fresh` asks the sources even when the cache has it (an
 * upgrade wants the latest version as the registry says it now).
 */
export async function entryFor(d: Deps, name: string, version: string, fresh = false): Promise<Rec<EntryRecord>> {
  const hit = await cachedVersion(d, name, version)
  if (hit && !fresh) return hit
  for (const source of d.config.discovery.sources) {
    let raw: unknown
    try {
      raw = await getVersion(d, source, name, version)
    } catch (e) {
      if (hit) return hit
      throw e
    }
    if (!raw) continue
    try {
      await upsert(d, source, [accept(raw)])
    } catch (e) {
      if (e instanceof Rejected) throw new AppError('invalid_request', `The registry's entry for ${name} cannot be used: ${e.message}.`, { errors: [{ path: '/from_registry/name', message: e.message }] })
      throw e
    }
    const now = await cachedVersion(d, name, version)
    if (now) return now
  }
  if (hit) return hit
  throw new AppError('not_found', `No registry has ${name}${version === 'latest' ? '' : ` version ${version}`}.`)
}

const pointer = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1')
const fillErrors = (errs: FillError[], version: string, at: string) =>
  new AppError('invalid_request', `The values do not fill the form of version ${version}: ${errs.map((e) => `${e.key} ${e.message}`).join('; ')}`, {
    errors: errs.map((e) => ({ path: `${at}/values/${pointer(e.key)}`, message: e.message })),
  })

/** Fills remote `index` of an entry and checks the URL against the egress policy (nothing is stored on refusal). */
function filled(d: Deps, rec: Rec<EntryRecord>, index: number, values: Values, at: string): { f: Filled; type: 'http' | 'sse' } {
  const s = serverOf(rec.data)
  const remote = s.remotes?.[index]
  if (!remote) throw new AppError('invalid_request', `${s.name} ${s.version} has no remote ${index}.`, { errors: [{ path: '/from_registry/remote', message: `must be below ${s.remotes?.length ?? 0}` }] })
  const shape = shapeOf(remote)
  if (shape.reason) throw new AppError('invalid_request', `Remote ${index} of ${s.name} cannot be registered: ${shape.reason}.`, { errors: [{ path: '/from_registry/remote', message: shape.reason }] })
  const f = fill(remote, shape, values)
  if (Array.isArray(f)) throw fillErrors(f, s.version, at)
  const v = checkUrl(policyOf(d), f.url)
  if (!v.ok) {
    // Name the variables that made the URL (the template's own part was checked by whoever published it; ours now).
    const vars = shape.fields.filter((x) => x.kind === 'url').map((x) => x.key)
    throw new AppError('egress_denied', `The filled URL ${v.reason}.`, { errors: (vars.length ? vars : ['']).map((k) => ({ path: k ? `${at}/values/${pointer(k)}` : at || '/', message: `makes a URL that ${v.reason}` })) })
  }
  return { f, type: shape.type! }
}

/** `POST /mcps` with `from_registry`. */
export async function createFromRegistry(d: Deps, caller: Caller, body: unknown): Promise<Rec<McpConfig>> {
  const b = check<{ name?: string; scope: 'user' | 'org'; auth_type?: 'none' | 'oauth'; from_registry: { name: string; version?: string; remote: number; values?: Values }; config?: Record<string, unknown> }>(fromRegistrySchema, body)
  if (!d.config.discovery.sources.length) throw new AppError('invalid_request', 'No registry sources are configured (REGISTRY_SOURCES).')
  const r = b.from_registry
  const rec = await entryFor(d, r.name, r.version ?? 'latest')
  if (rec.data.status === 'deleted') throw new AppError('invalid_request', `${r.name} ${rec.data.version} was deleted from the registry.`, { errors: [{ path: '/from_registry/version', message: 'is deleted' }] })
  const { f, type } = filled(d, rec, r.remote, r.values ?? {}, '/from_registry')
  const s = serverOf(rec.data)
  if (b.auth_type === 'oauth' && f.token) throw new AppError('invalid_request', 'auth_type oauth and an Authorization value exclude each other.', { errors: [{ path: '/auth_type', message: 'cannot be oauth when the form sets Authorization' }] })
  return create(d, caller, {
    name: b.name ?? (s.title ?? s.name).slice(0, 100),
    type,
    endpoint: f.url,
    auth_type: f.token ? 'bearer' : (b.auth_type ?? 'none'),
    scope: b.scope,
    config: {
      ...(b.config ?? {}),
      ...(Object.keys(f.headers).length ? { headers: f.headers } : {}),
      ...(Object.keys(f.secret_headers).length ? { secret_headers: f.secret_headers } : {}),
      ...(f.token ? { token: f.token } : {}),
    },
  }, {
    registry: { source: rec.data.source, name: s.name, version: s.version, remote: r.remote, values: f.values, secret_names: Object.keys(f.secret_values) },
    registry_values: f.secret_values,
  })
}

/** `POST /mcps/{id}/upgrade`: to the latest version, with the values the config has plus any new ones given. */
export async function upgrade(d: Deps, caller: Caller, id: string, body: unknown): Promise<Rec<McpConfig>> {
  const b = check<{ values?: Values }>(upgradeSchema, body === undefined ? {} : body)
  const rec = await load(d, caller, id)
  if (!mutable(rec.data, caller)) throw new AppError('forbidden', 'Only org admins can change org-scoped MCP servers.')
  const ref = rec.data.registry
  if (!ref) throw new AppError('invalid_request', 'This MCP server was not registered from a registry.')
  const latest = await entryFor(d, ref.name, 'latest', true)
  if (latest.data.version === ref.version) return rec
  if (latest.data.status === 'deleted') throw new AppError('invalid_request', `${ref.name} ${latest.data.version} was deleted from the registry.`)
  const old = await readSecrets(d, rec.data)
  const had: Record<string, string> = { ...ref.values, ...(old.registry_values ?? {}) }
  // A header changed since (PATCH) counts as it is now: fields of plain headers are keyed by the header's name.
  for (const k of Object.keys(had)) {
    const now = rec.data.config.headers?.[k] ?? old.headers?.[k] ?? (k.toLowerCase() === 'authorization' && old.token ? `Bearer ${old.token}` : undefined)
    if (now !== undefined) had[k] = now
  }
  // Every value the config had is given again: what is missing now is what the new version added.
  // Values the new version no longer has are dropped, not refused.
  const shape = serverOf(latest.data).remotes?.[ref.remote]
  const keys = new Set(shape ? shapeOf(shape).fields.map((x) => x.key) : [])
  const kept = Object.fromEntries(Object.entries(had).filter(([k]) => keys.has(k)))
  const { f, type } = filled(d, latest, ref.remote, { ...kept, ...(b.values ?? {}) }, '')
  const s = serverOf(latest.data)
  const secretHeaders: Record<string, string | null> = Object.fromEntries(rec.data.secret_header_names.map((n) => [n, null]))
  Object.assign(secretHeaders, f.secret_headers)
  return patch(d, caller, id, {
    type,
    endpoint: f.url,
    auth_type: f.token ? 'bearer' : rec.data.auth_type === 'bearer' ? 'none' : rec.data.auth_type,
    config: {
      headers: Object.keys(f.headers).length ? f.headers : null,
      ...(Object.keys(secretHeaders).length ? { secret_headers: secretHeaders } : {}),
      ...(f.token ? { token: f.token } : rec.data.has_token ? { token: null } : {}),
    },
  }, undefined, {
    registry: { ...ref, version: s.version, values: f.values, secret_names: Object.keys(f.secret_values) },
    registry_values: f.secret_values,
  })
}

/** What the config view adds for registry configs: the latest version and flags. */
export async function registryStatus(d: Deps, c: McpConfig) {
  const ref = c.registry
  if (!ref) return undefined
  const latest = await cachedVersion(d, ref.name, 'latest').catch(() => null)
  const mine = await cachedVersion(d, ref.name, ref.version).catch(() => null)
  const status = mine?.data.status ?? null
  return {
    name: ref.name,
    version: ref.version,
    latest_version: latest?.data.version ?? null,
    status,
    update_available: Boolean(latest && latest.data.version !== ref.version && latest.data.status !== 'deleted'),
    deprecated: status === 'deprecated',
    deleted: status === 'deleted',
  }
}
