/**
 * What the gateway keeps of one registry answer item (`ServerResponse`:
 * `{server, _meta}`): the server.json, checked against bounds of our own, with
 * the registry's lifecycle metadata. Entries that fail are skipped, never
 * stored: a registry is an upstream like any other.
 */
import { AppError } from '../errors.js'
import { check } from '../validate.js'
import { entrySchema } from './schema.js'

/** server.json schema versions this gateway understands (the `$schema` URL's date segment). */
export const KNOWN_SCHEMAS = ['2025-07-09', '2025-09-29', '2025-10-17', '2025-12-11']
/** One server.json, serialised, at most this big. */
export const MAX_ENTRY_BYTES = 64 * 1024
const OFFICIAL = 'io.modelcontextprotocol.registry/official'

export type Status = 'active' | 'deprecated' | 'deleted'

export interface Input {
  description?: string; isRequired?: boolean; format?: 'string' | 'number' | 'boolean' | 'filepath'; value?: string
  isSecret?: boolean; default?: string; placeholder?: string; choices?: string[]
}
export interface KeyValue extends Input { name: string; variables?: Record<string, Input> }
export interface Remote { type: string; url: string; headers?: KeyValue[]; variables?: Record<string, Input> }
export interface Package {
  registryType: string; identifier: string; version?: string; fileSha256?: string; registryBaseUrl?: string
  transport: { type: string }; environmentVariables?: KeyValue[]
}
export interface ServerJson {
  $schema?: string; name: string; title?: string; description: string; version: string; websiteUrl?: string
  repository?: { url?: string; source?: string; subfolder?: string }
  icons?: { src: string; mimeType?: string; sizes?: string[]; theme?: string }[]
  remotes?: Remote[]; packages?: Package[]
}

export interface Accepted {
  server: ServerJson
  status: Status
  is_latest: boolean
  published_at: string | null
  updated_at: string | null
}

/** Why an item was skipped (logged, never stored). */
export class Rejected extends Error {}

const iso = (v: unknown) => (typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : null)

/** The registry's `updatedAt` of an item, accepted or not (what `updated_since` moves past). */
export function updatedAtOf(item: unknown): string | null {
  const meta = (item as { _meta?: Record<string, { updatedAt?: unknown } | undefined> } | null)?._meta
  return meta && typeof meta === 'object' ? iso(meta[OFFICIAL]?.updatedAt) : null
}

/** Checks one `ServerResponse` item; throws `Rejected` with the reason. */
export function accept(item: unknown): Accepted {
  if (!item || typeof item !== 'object') throw new Rejected('not an object')
  const { server, _meta } = item as { server?: unknown; _meta?: Record<string, unknown> }
  if (!server || typeof server !== 'object') throw new Rejected('no server')
  if (Buffer.byteLength(JSON.stringify(server)) > MAX_ENTRY_BYTES) throw new Rejected(`server.json over ${MAX_ENTRY_BYTES} bytes`)
  const schema = (server as { $schema?: unknown }).$schema
  if (schema !== undefined) {
    const date = typeof schema === 'string' ? /\/schemas\/(\d{4}-\d{2}-\d{2})\/server\.schema\.json$/.exec(schema)?.[1] : undefined
    if (!date || !KNOWN_SCHEMAS.includes(date)) throw new Rejected('unknown server.json schema version')
  }
  try {
    check(entrySchema, server, 'entry')
  } catch (e) {
    throw new Rejected(e instanceof AppError ? e.message.slice(0, 300) : 'invalid entry')
  }
  const official = (_meta && typeof _meta === 'object' ? (_meta[OFFICIAL] as Record<string, unknown> | undefined) : undefined) ?? {}
  const status = (['active', 'deprecated', 'deleted'] as const).find((s) => s === official.status) ?? 'active'
  return {
    server: server as ServerJson,
    status,
    is_latest: official.isLatest !== false,
    published_at: iso(official.publishedAt),
    updated_at: iso(official.updatedAt),
  }
}
