/**
 * The strings of a definition the scanner reads, each with the JSON pointer of
 * where it sits. Member names count too (a parameter name can carry the
 * instruction, as in CyberArk's "full-schema poisoning"), except the usual
 * JSON Schema keywords. Bounded: each string is read up to MAX_FIELD
 * characters, at most MAX_FIELDS strings and MAX_TOTAL characters per
 * definition, MAX_DEPTH levels deep; `truncated` says whether anything was
 * left unread.
 */
import { pointer } from './diff.js'
import { fold, type Folded } from './text.js'

export const MAX_FIELD = 64 * 1024
export const MAX_FIELDS = 4096
export const MAX_TOTAL = 256 * 1024
export const MAX_DEPTH = 64

export class Field {
  #folded: Folded | undefined
  constructor(
    /** JSON pointer, e.g. "/description" or "/inputSchema/properties/x/description". */
    readonly pointer: string,
    /** The string, clipped to MAX_FIELD. */
    readonly raw: string,
    /** A member name rather than a value. */
    readonly key: boolean,
    /** A property name of an input schema (a parameter the model fills in). */
    readonly param: boolean,
    /** Inside inputSchema. */
    readonly input: boolean,
  ) {}
  /** The folded form of `raw` (text.ts), computed on first use. */
  get folded(): Folded { return (this.#folded ??= fold(this.raw)) }
}

// Member names that are JSON Schema vocabulary, not content.
const KEYWORDS = new Set([
  'type', 'properties', 'required', 'description', 'title', 'items', 'default', 'enum', 'const', 'examples', 'format',
  'anyOf', 'oneOf', 'allOf', 'not', 'additionalProperties', 'patternProperties', 'pattern', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', '$schema',
  '$ref', '$defs', 'definitions', '$id', '$comment', 'nullable', 'readOnly', 'writeOnly', 'deprecated', 'multipleOf',
  'contentEncoding', 'contentMediaType', 'prefixItems', 'propertyNames', 'if', 'then', 'else', 'dependentRequired',
  'name', 'uri', 'uriTemplate', 'mimeType', 'arguments', 'annotations', 'inputSchema', 'outputSchema',
  'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint',
])

/** The fields, whether any were left unread, and the characters read (a lower bound on the definition's size). */
export function collectFields(view: Record<string, unknown>): { fields: Field[]; truncated: boolean; total: number } {
  const fields: Field[] = []
  let total = 0
  let truncated = false
  const add = (pointer: string, s: string, key: boolean, param: boolean, input: boolean) => {
    if (fields.length >= MAX_FIELDS || total >= MAX_TOTAL) return void (truncated = true)
    const room = Math.min(MAX_FIELD, MAX_TOTAL - total)
    const raw = s.length > room ? ((truncated = true), s.slice(0, room)) : s
    total += raw.length
    fields.push(new Field(pointer, raw, key, param, input))
  }
  // Depth-first, in document order: [pointer, value, depth, is v a map of property names?, inside inputSchema?]
  const stack: Array<[string, unknown, number, boolean, boolean]> = []
  for (const k of Object.keys(view).reverse()) stack.push([pointer('', k), view[k], 1, false, k === 'inputSchema'])
  while (stack.length) {
    if (fields.length >= MAX_FIELDS || total >= MAX_TOTAL) { truncated = true; break }
    const [ptr, v, depth, props, input] = stack.pop()!
    if (typeof v === 'string') { add(ptr, v, false, false, input); continue }
    if (typeof v !== 'object' || v === null) continue
    if (depth > MAX_DEPTH) { truncated = true; continue }
    const array = Array.isArray(v)
    const entries: Array<[string, unknown]> = array ? v.map((x, i) => [String(i), x]) : Object.entries(v)
    const children: typeof stack = []
    for (const [k, x] of entries) {
      const p = pointer(ptr, k)
      if (!array && (props || !KEYWORDS.has(k))) add(p, k, true, props && input, input)
      children.push([p, x, depth + 1, !array && !props && k === 'properties', input])
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
  }
  return { fields, truncated, total }
}
