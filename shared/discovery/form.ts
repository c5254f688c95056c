/**
 * A remote's setup form and how its values fill it. The form is a JSON Schema
 * an app can render generically: one property per URL variable and per
 * configurable header (or per variable of a header's `value` template), with
 * the entry's `isRequired`, `isSecret` (`writeOnly`), `format`, `choices`
 * (`enum`), `default` and `placeholder` (`examples`). Pure; nothing is stored.
 */
import type { Input, KeyValue, Remote } from './entry.js'
import { RESERVED_HEADERS } from '../registry/schema.js'

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/
const VAR = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g
// A URL variable's value: host, port, path segment or query value characters, never `/`, `@`, `?`, `#` or `\`
// (a value must not move the URL to another authority or path than the template's).
export const URL_VALUE = /^[A-Za-z0-9._~:-]{1,253}$/

export interface Field extends Input { key: string; kind: 'url' | 'header'; header?: string }

export interface RemoteShape {
  type: 'http' | 'sse' | null
  /** Why the gateway cannot register it (null: it can). */
  reason: string | null
  fields: Field[]
}

const varsIn = (s: string) => [...s.matchAll(VAR)].map((m) => m[1]!)

/** The fields a remote asks for, and whether the gateway can register it. */
export function shapeOf(r: Remote): RemoteShape {
  const type = r.type === 'streamable-http' ? 'http' : r.type === 'sse' ? 'sse' : null
  const fields: Field[] = []
  const fail = (reason: string): RemoteShape => ({ type, reason, fields })
  if (!type) return fail(`transport ${r.type} is not supported`)
  if (r.url.startsWith('{')) return fail('the URL template starts with a variable')
  for (const v of varsIn(r.url)) {
    const spec = r.variables?.[v]
    if (!spec) return fail(`URL variable ${v} is not declared`)
    if (!fields.some((f) => f.key === v)) fields.push({ ...spec, key: v, kind: 'url' })
  }
  const probe = r.url.replace(VAR, 'x')
  if (!URL.canParse(probe) || !/^https?:$/.test(new URL(probe).protocol)) return fail('the URL template is not an http(s) URL')
  const seen = new Set<string>()
  for (const h of r.headers ?? []) {
    const lower = h.name.toLowerCase()
    if (!TOKEN.test(h.name)) return fail(`header ${h.name.slice(0, 40)} is not a valid header name`)
    if (seen.has(lower)) return fail(`header ${h.name} is declared twice`)
    seen.add(lower)
    if (lower !== 'authorization' && RESERVED_HEADERS.has(lower)) return fail(`header ${h.name} is set by the gateway`)
    for (const f of headerFields(h)) {
      if (fields.some((x) => x.key === f.key)) return fail(`${f.key} is both a variable and a header`)
      fields.push(f)
    }
  }
  return { type, reason: null, fields }
}

function headerFields(h: KeyValue): Field[] {
  if (h.value === undefined) return [{ ...h, key: h.name, kind: 'header', header: h.name }]
  // A fixed value with variables: each variable is a field (secret when the header is).
  return varsIn(h.value).filter((v, i, a) => a.indexOf(v) === i).map((v) => ({
    ...(h.variables?.[v] ?? {}), isSecret: Boolean(h.isSecret || h.variables?.[v]?.isSecret), key: v, kind: 'header' as const, header: h.name,
  }))
}

/** The JSON Schema of a remote's form. */
export function formOf(shape: RemoteShape) {
  const properties: Record<string, Record<string, unknown>> = {}
  const required: string[] = []
  for (const f of shape.fields) {
    const p: Record<string, unknown> = { type: f.format === 'number' ? 'number' : f.format === 'boolean' ? 'boolean' : 'string' }
    if (f.description) p.description = f.description
    if (f.choices?.length) p.enum = f.choices
    if (f.default !== undefined) p.default = f.default
    if (f.placeholder) p.examples = [f.placeholder]
    if (f.isSecret) p.writeOnly = true
    if (f.format === 'filepath') p.format = 'filepath'
    p['x-mcp-target'] = f.kind === 'url' ? 'url' : `header:${f.header}`
    properties[f.key] = p
    if (f.isRequired && f.default === undefined) required.push(f.key)
  }
  return { type: 'object', additionalProperties: false, properties, required }
}

export interface Filled {
  url: string
  headers: Record<string, string>
  secret_headers: Record<string, string>
  token?: string
  /** Values as given (defaults applied), split by secrecy: the non-secret ones are stored with the config, the others in the vault. */
  values: Record<string, string>
  secret_values: Record<string, string>
}

export interface FillError { key: string; message: string }

const asString = (v: string | number | boolean) => (typeof v === 'string' ? v : String(v))

/** Fills a remote's template with values; returns every problem at once. */
export function fill(r: Remote, shape: RemoteShape, given: Record<string, string | number | boolean>): Filled | FillError[] {
  const errors: FillError[] = []
  const known = new Set(shape.fields.map((f) => f.key))
  for (const k of Object.keys(given)) if (!known.has(k)) errors.push({ key: k, message: 'is not a field of this server\'s form' })
  const v: Record<string, string> = {}
  for (const f of shape.fields) {
    const raw = given[f.key] !== undefined ? asString(given[f.key]!) : f.default
    if (raw === undefined || raw === '') {
      if (f.isRequired) errors.push({ key: f.key, message: 'is required' })
      continue
    }
    if (f.choices?.length && !f.choices.includes(raw)) errors.push({ key: f.key, message: `must be one of ${f.choices.map((c) => JSON.stringify(c)).join(', ')}` })
    else if (f.format === 'number' && !/^-?\d+(\.\d+)?$/.test(raw)) errors.push({ key: f.key, message: 'must be a number' })
    else if (f.format === 'boolean' && raw !== 'true' && raw !== 'false') errors.push({ key: f.key, message: 'must be true or false' })
    else if (f.kind === 'url' && !URL_VALUE.test(raw)) errors.push({ key: f.key, message: 'may hold only letters, digits and . _ ~ : - (at most 253)' })
    else if (f.kind === 'header' && (raw.length > 8192 || !/^[\t\x20-\x7e\x80-\xff]*$/.test(raw))) errors.push({ key: f.key, message: 'must be a header value (no control characters, at most 8192)' })
    else v[f.key] = raw
  }
  if (errors.length) return errors
  const url = r.url.replace(VAR, (_, name: string) => v[name] ?? '')
  const headers: Record<string, string> = {}
  const secret_headers: Record<string, string> = {}
  let token: string | undefined
  for (const h of r.headers ?? []) {
    const value = h.value === undefined ? v[h.name] : h.value.replace(VAR, (m, name: string) => v[name] ?? m)
    if (value === undefined) continue
    const secret = Boolean(h.isSecret) || (h.value !== undefined && varsIn(h.value).some((x) => shape.fields.find((f) => f.key === x)?.isSecret))
    if (h.name.toLowerCase() === 'authorization') {
      // The gateway owns Authorization: a bearer credential becomes the config's token.
      const m = /^Bearer\s+(\S+)$/i.exec(value) ?? (/^\S+$/.test(value) ? [value, value] : null)
      if (!m || !/^[\x21-\x7e]+$/.test(m[1]!)) return [{ key: h.value === undefined ? h.name : varsIn(h.value)[0] ?? h.name, message: 'must be a bearer token ("Bearer <token>" or the token alone)' }]
      token = m[1]
    } else (secret ? secret_headers : headers)[h.name] = value
  }
  const values: Record<string, string> = {}
  const secret_values: Record<string, string> = {}
  for (const f of shape.fields) if (v[f.key] !== undefined) (f.isSecret || (f.kind === 'header' && f.header?.toLowerCase() === 'authorization') ? secret_values : values)[f.key] = v[f.key]!
  return { url, headers, secret_headers, ...(token ? { token } : {}), values, secret_values }
}
