/**
 * How registry entries are shown: what the gateway can do with each (remotes
 * it can register, stdio packages the operator's catalog runs), and for one
 * server its versions and setup forms.
 */
import type { Deps } from '../deps.js'
import type { Rec } from '../ports.js'
import { catalogOf } from '../stdio/load.js'
import { catalogView } from '../stdio/view.js'
import { serverOf, type EntryRecord } from './cache.js'
import type { Package, ServerJson } from './entry.js'
import { formOf, shapeOf } from './form.js'

/** Catalog entries that run this package (same registry type, identifier and version). */
export function catalogMatches(d: Deps, p: Package): string[] {
  const cat = catalogOf(d)
  if (!cat || p.transport?.type !== 'stdio' || !p.version) return []
  return [...cat.entries.values()]
    .filter((e) => e.registry_package && e.registry_package.registry_type === p.registryType && e.registry_package.identifier === p.identifier && e.registry_package.version === p.version)
    .map((e) => e.id)
}

function remotesOf(s: ServerJson, withForm: boolean) {
  return (s.remotes ?? []).map((r, index) => {
    const shape = shapeOf(r)
    return {
      index,
      type: shape.type,
      url: r.url,
      registrable: shape.reason === null,
      reason: shape.reason,
      variables: Object.keys(r.variables ?? {}),
      headers: (r.headers ?? []).map((h) => ({ name: h.name, required: Boolean(h.isRequired), secret: Boolean(h.isSecret) })),
      ...(withForm && shape.reason === null ? { form: formOf(shape) } : {}),
    }
  })
}

function packagesOf(d: Deps, s: ServerJson, withForm: boolean) {
  const forms = withForm ? new Map(catalogView(d).map((c) => [c.id, c])) : new Map()
  return (s.packages ?? []).flatMap((p, index) => {
    const ids = catalogMatches(d, p)
    if (!ids.length) return []
    return [{
      index, registry_type: p.registryType, identifier: p.identifier, version: p.version, transport: 'stdio', catalog_ids: ids,
      ...(withForm ? { forms: ids.map((id) => catalogForm(id, forms.get(id))) } : {}),
    }]
  })
}

/** A catalog entry's params and env vars as a form (register with `type: "stdio"` and this `catalog_id`). */
function catalogForm(id: string, c: ReturnType<typeof catalogView>[number] | undefined) {
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  for (const [k, p] of Object.entries(c?.params ?? {})) {
    properties[`params.${k}`] = { ...p.schema, ...(p.description ? { description: p.description } : {}), 'x-mcp-target': `params:${k}` }
    if (p.required) required.push(`params.${k}`)
  }
  for (const [k, e] of Object.entries(c?.env ?? {})) {
    properties[`env.${k}`] = { type: 'string', ...(e.description ? { description: e.description } : {}), ...(e.secret ? { writeOnly: true } : {}), 'x-mcp-target': `env:${k}` }
    if (e.required) required.push(`env.${k}`)
  }
  return { catalog_id: id, form: { type: 'object', additionalProperties: false, properties, required } }
}

/** One search result. */
export function itemView(d: Deps, r: Rec<EntryRecord>, withForms = false) {
  const s = serverOf(r.data)
  return {
    name: s.name,
    title: s.title ?? null,
    description: s.description,
    version: s.version,
    status: r.data.status,
    published_at: r.data.published_at,
    updated_at: r.data.updated_at,
    source: r.data.source,
    icons: s.icons ?? [],
    repository: s.repository ?? null,
    website_url: s.websiteUrl ?? null,
    remotes: remotesOf(s, withForms),
    packages: packagesOf(d, s, withForms),
  }
}

/** One server: its latest (or asked-for) version with forms, and every cached version. */
export function detailView(d: Deps, shown: Rec<EntryRecord>, all: Rec<EntryRecord>[]) {
  return {
    ...itemView(d, shown, true),
    versions: all.map((v) => ({ version: v.data.version, status: v.data.status, is_latest: v.data.is_latest, published_at: v.data.published_at })),
  }
}
