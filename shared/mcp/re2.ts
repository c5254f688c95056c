/**
 * Patterns from upstream schemas (`pattern`, `patternProperties`) run on RE2
 * (re2js, pure JS): matching is linear in the input, so no pattern can
 * backtrack for seconds on a crafted argument. ECMAScript syntax is
 * translated; what RE2 cannot express (lookaround, backreferences) is refused,
 * and the gateway then leaves validation of that tool to the server.
 */
import { RE2JS } from 're2js'

/** How generated validators refer to the engine (ajv `code.regExp.code`); the instantiating `require` resolves it. */
export const RE2_MODULE = 'mcp-gateway:re2'

export class UnsupportedPattern extends Error {}

/**
 * Lookaround and backreferences, found by a linear scan (escapes skipped), so
 * a listing can tell before anything is compiled. re2js's ECMAScript
 * translation would silently turn `\k<name>` into a literal.
 */
export function unsupportedSyntax(p: string): string | undefined {
  let inClass = false
  for (let i = 0; i < p.length; i++) {
    const c = p[i]
    if (c === '\\') {
      const n = p[i + 1] ?? ''
      if (!inClass && ((n >= '1' && n <= '9') || n === 'k')) return 'backreference'
      i++
    } else if (inClass) {
      if (c === ']') inClass = false
    } else if (c === '[') {
      inClass = true
    } else if (c === '(' && p[i + 1] === '?') {
      const a = p[i + 2]
      if (a === '=' || a === '!' || (a === '<' && (p[i + 3] === '=' || p[i + 3] === '!'))) return 'lookaround'
    }
  }
  return undefined
}

/** Compiles an ECMAScript pattern on RE2, or throws `UnsupportedPattern`. */
export function compileRe2(pattern: string): RE2JS {
  const why = unsupportedSyntax(pattern)
  if (why) throw new UnsupportedPattern(`${why} is not supported`)
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern))
  } catch (e) {
    throw new UnsupportedPattern(String((e as Error)?.message ?? e).slice(0, 200))
  }
}

/**
 * The engine the gateway's generated validators call (ajv's `RegExpLike`):
 * compiled on first use, so a validator costs nothing for patterns the
 * arguments never reach. The worker has already compiled every pattern once,
 * so a failure here is not expected; it fails the value rather than throw.
 */
export function lazyRe2(pattern: string): { test(s: string): boolean } {
  let re: RE2JS | null | undefined
  return {
    test(s: string) {
      if (re === undefined) {
        try {
          re = compileRe2(pattern)
        } catch {
          re = null
        }
      }
      return re?.test(s) ?? false
    },
  }
}
