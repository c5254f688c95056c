/**
 * What upstream schemas the gateway compiles into validators. Beyond these
 * limits it does not validate a tool's arguments itself (the server must, as
 * the MCP spec requires) and the tool listing says so. The checks are one
 * linear walk, cheap enough for every listing; the same verdict decides at
 * execute, so the listing and the call agree. docs/api.md lists the reasons.
 */
import { unsupportedSyntax } from './re2.js'

export const SCHEMA_LIMITS = {
  /** JSON text of the schema, in characters. */
  maxChars: 256 * 1024,
  /** Nesting of objects and arrays in the schema document. */
  maxDepth: 64,
  /** Keys of every `properties` and `patternProperties` object, summed. */
  maxProperties: 1000,
  /** `pattern` keywords plus `patternProperties` keys. */
  maxPatterns: 128,
  maxPatternChars: 1000,
  /** RE2 program size of all patterns together (each pattern is compiled again on the event loop when first used: about 0.2 ms, plus about 1 µs a unit). */
  maxPatternProgram: 25_000,
  /** Generated validator code, in characters (loading it, with the worker's code cache, costs the event loop about 20 ms per MiB). */
  maxCodeChars: 1024 * 1024,
  /** Compilation, in the worker thread, past which it is abandoned (ajv takes 0.4 s for 500 patterned properties on an idle core, 1.5-3 s on a loaded one). */
  compileMs: 5000,
}

/** Why the gateway leaves a tool's validation to the server. */
export type SkipReason =
  | 'schema_too_large'
  | 'schema_too_deep'
  | 'too_many_properties'
  | 'too_many_patterns'
  | 'pattern_too_long'
  | 'pattern_unsupported'
  | 'schema_too_complex'
  | 'schema_invalid'
  | 'compile_timeout'
  | 'compile_failed'
  | 'compiler_busy'

export type StaticVerdict = { ok: true; text: string } | { ok: false; reason: SkipReason }

// Their values are instance data, not schemas: nesting counts, keywords inside do not.
const DATA = new Set(['enum', 'const', 'default', 'examples'])

export function staticVerdict(schema: unknown, l = SCHEMA_LIMITS): StaticVerdict {
  let properties = 0
  const patterns: string[] = []
  const stack: { v: unknown; depth: number; data: boolean }[] = [{ v: schema, depth: 1, data: false }]
  while (stack.length) {
    const { v, depth, data } = stack.pop()!
    if (depth > l.maxDepth) return { ok: false, reason: 'schema_too_deep' }
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') stack.push({ v: x, depth: depth + 1, data })
      continue
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (!data && k === 'pattern' && typeof x === 'string') patterns.push(x)
      if (x === null || typeof x !== 'object') continue
      if (!data && (k === 'properties' || k === 'patternProperties') && !Array.isArray(x)) {
        const keys = Object.keys(x)
        properties += keys.length
        if (k === 'patternProperties') patterns.push(...keys)
      }
      stack.push({ v: x, depth: depth + 1, data: data || DATA.has(k) })
    }
    if (properties > l.maxProperties) return { ok: false, reason: 'too_many_properties' }
    if (patterns.length > l.maxPatterns) return { ok: false, reason: 'too_many_patterns' }
  }
  if (patterns.some((p) => p.length > l.maxPatternChars)) return { ok: false, reason: 'pattern_too_long' }
  if (patterns.some((p) => unsupportedSyntax(p))) return { ok: false, reason: 'pattern_unsupported' }
  const text = JSON.stringify(schema)
  if (text.length > l.maxChars) return { ok: false, reason: 'schema_too_large' }
  return { ok: true, text }
}
