/**
 * The contract check: every response a test gets from /api/v1 (through
 * test/support/gateway.ts `req()`) must be one the OpenAPI document
 * describes: a documented (method, path, status), a documented media type,
 * and a JSON body valid under that response's schema (problem `code`s
 * included). Schemas are compiled with ajv on first use and cached.
 */
import type { ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { openapiDocument } from '../../shared/openapi/document.js'

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: unknown) => unknown

type Json = Record<string, any>
interface Template { path: string; re: RegExp; literal: number }

let state: { doc: Json; ajv: Ajv2020; templates: Template[] } | undefined
const compiled = new Map<string, ValidateFunction>()

function init() {
  if (state) return state
  const { doc } = openapiDocument()
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  // The whole document, so `#/components/...` resolves inside it; only what a response points at is compiled.
  ajv.addSchema(doc, 'openapi.json')
  const templates = Object.keys(doc.paths as Json).map((path) => ({
    path,
    re: new RegExp(`^${path.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`),
    literal: path.replace(/\{[^}]+\}/g, '').length,
  }))
  return (state = { doc, ajv, templates })
}

const pointer = (...keys: string[]) => keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

function validator(ptr: string): ValidateFunction {
  let v = compiled.get(ptr)
  if (!v) compiled.set(ptr, (v = init().ajv.compile({ $ref: `openapi.json#/${ptr}` })))
  return v
}

/** The documented path template of a request path (the most literal one), or undefined. */
export function templateOf(path: string): string | undefined {
  return init().templates.filter((t) => t.re.test(path)).sort((a, b) => b.literal - a.literal)[0]?.path
}

const isJson = (type: string) => type === 'application/json' || type.endsWith('+json')

/** Checks one response; answers why it breaks the contract, or null when it keeps it. */
export function contractViolation(method: string, path: string, status: number, contentType: string | null, text: string): string | null {
  const { doc } = init()
  const m = method.toUpperCase()
  if (m === 'OPTIONS' || m === 'HEAD') return null
  const what = `${m} ${path} → ${status}`
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase()
  const template = templateOf(path)
  const op = template ? doc.paths[template][m.toLowerCase()] : undefined
  if (!op) {
    // Paths and methods that are not in the document may only be refused: 404 (no such endpoint), 405 (Allow says what is).
    if ((status === 404 || (status === 405 && template)) && type === 'application/problem+json') return bodyViolation(what, pointer('components', 'schemas', 'Problem'), text)
    return `${what}: ${template ? `${m} is not documented for ${template}` : 'the path is not in the OpenAPI document'}`
  }
  const res = op.responses?.[String(status)]
  if (!res) return `${what}: status ${status} is not documented for ${m} ${template} (documented: ${Object.keys(op.responses ?? {}).join(', ')})`
  if (!res.content) return text === '' ? null : `${what}: the document says no body, the gateway sent ${type || 'one'}`
  if (status === 304) return null
  if (!res.content[type]) return `${what}: content type ${type || '(none)'} is not documented (documented: ${Object.keys(res.content).join(', ')})`
  const ptr = pointer('paths', template!, m.toLowerCase(), 'responses', String(status), 'content', type, 'schema')
  // A stream whose events the document names: each event is a documented one, its data valid under its schema.
  const events = res.content[type].schema?.['x-sse-events'] as Record<string, unknown> | undefined
  if (type === 'text/event-stream' && events) {
    for (const e of parseEvents(text)) {
      if (!events[e.event]) return `${what}: the stream sent an event "${e.event}" the document does not name (${Object.keys(events).join(', ')})`
      const broken = bodyViolation(`${what} event ${e.event}`, `${ptr}/x-sse-events/${e.event}`, e.data)
      if (broken) return broken
    }
    return null
  }
  if (!isJson(type)) return null
  return bodyViolation(what, ptr, text)
}

/** The events of a text/event-stream body (WHATWG HTML §9.2.6: `event:` and `data:` lines, a blank line ends one). */
function parseEvents(text: string): { event: string; data: string }[] {
  const out: { event: string; data: string }[] = []
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event = 'message'
    const data: string[] = []
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (data.length) out.push({ event, data: data.join('\n') })
  }
  return out
}

function bodyViolation(what: string, ptr: string, text: string): string | null {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return `${what}: the body is not JSON: ${text.slice(0, 200)}`
  }
  const v = validator(ptr)
  if (v(body)) return null
  const errors = (v.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
  return `${what}: the body does not match the document (#/${ptr}): ${errors.join('; ')}\n  body: ${text.slice(0, 600)}`
}

/** Thrown by `req()` when a response breaks the contract: fix the document, or the gateway when it is the one that drifted. */
export class ContractError extends Error {
  override name = 'ContractError'
}
