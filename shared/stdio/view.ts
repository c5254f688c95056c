/** The catalog as users see it: ids, descriptions, parameters and env vars (`kind: "path"`: relative to the server's own directory); never commands or paths. */
import type { Deps } from '../deps.js'
import { catalogOf } from './load.js'

export function catalogView(d: Deps) {
  const cat = catalogOf(d)
  if (!cat) return []
  return [...cat.entries.values()].map((e) => ({
    id: e.id,
    description: e.description ?? null,
    params: Object.fromEntries(Object.entries(e.params).map(([k, p]) => [k, { schema: p.schema, kind: p.kind ?? 'value', required: Boolean(p.required), description: p.description ?? null }])),
    env: Object.fromEntries(Object.entries(e.env).map(([k, v]) => [k, { secret: Boolean(v.secret), kind: v.kind ?? 'value', required: Boolean(v.required), description: v.description ?? null }])),
  }))
}
