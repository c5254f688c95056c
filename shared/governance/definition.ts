/**
 * What of an MCP definition the gateway pins and scans: the fields a model
 * reads, in the MCP wire shape (camelCase `inputSchema`, as the SDK returns
 * it, not the API's snake_case view).
 *
 * - tool: name, title, description, inputSchema, outputSchema, annotations
 * - prompt: name, title, description, arguments (each name, title, description, required)
 * - resource: uri, name, title, description, mimeType
 * - resource_template: uriTemplate, name, title, description, mimeType
 *
 * Left out on purpose: `_meta` (transport and UI hints, not read by the
 * model), `icons`, a tool's `execution`, a resource's `size` and
 * `annotations` (they change with the content or the clock, not the
 * definition). A field that is absent stays absent; `null` is kept as given.
 */
export type Kind = 'tool' | 'prompt' | 'resource' | 'resource_template'

const FIELDS: Record<Kind, readonly string[]> = {
  tool: ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'],
  prompt: ['name', 'title', 'description', 'arguments'],
  resource: ['uri', 'name', 'title', 'description', 'mimeType'],
  resource_template: ['uriTemplate', 'name', 'title', 'description', 'mimeType'],
}
const ARGUMENT_FIELDS = ['name', 'title', 'description', 'required'] as const

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function pick(src: Record<string, unknown>, keys: readonly string[]) {
  const out: Record<string, unknown> = {}
  for (const k of keys) if (Object.hasOwn(src, k) && src[k] !== undefined) out[k] = src[k]
  return out
}

/** The covered part of a definition (a new object; nested values are shared, not copied). */
export function coveredView(kind: Kind, def: unknown): Record<string, unknown> {
  if (!isObject(def)) return {}
  const view = pick(def, FIELDS[kind])
  if (kind === 'prompt' && Array.isArray(view.arguments))
    view.arguments = view.arguments.map((a) => (isObject(a) ? pick(a, ARGUMENT_FIELDS) : a))
  return view
}

/** The key a definition is listed under: a resource's URI, a template's URI template, otherwise its name. */
export function definitionKey(kind: Kind, def: unknown): string {
  const v = isObject(def) ? def[kind === 'resource' ? 'uri' : kind === 'resource_template' ? 'uriTemplate' : 'name'] : undefined
  return typeof v === 'string' ? v : ''
}
