/**
 * The pattern syntax RE2 cannot run, told apart without loading the engine: a
 * listing decides from it whether a tool's arguments can be validated, and
 * re2js (about 150 KB) loads only when a validator that needs it does
 * (docs/performance.md, "Fifth round").
 */

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
