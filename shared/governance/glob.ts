/**
 * Tool-name globs for `config.tool_policy.allow` and `deny`: `*` matches any
 * run of characters (also none), `?` exactly one; everything else, `.` and
 * `\` included, is literal; case-sensitive. No RegExp is built from user
 * input: matching is the linear-space two-pointer walk with one backtrack
 * point, at most |pattern| × |name| steps (128 × 128 at the schema's limits).
 */

/** Whether `name` matches the glob `pattern`. */
export function globMatch(pattern: string, name: string): boolean {
  let p = 0, n = 0
  // Where the last `*` was, and where in `name` it started matching.
  let star = -1, mark = 0
  while (n < name.length) {
    const c = pattern[p]
    if (c === '*') {
      star = p++
      mark = n
    } else if (p < pattern.length && (c === '?' || c === name[n])) {
      p++
      n++
    } else if (star >= 0) {
      p = star + 1
      n = ++mark
    } else return false
  }
  while (pattern[p] === '*') p++
  return p === pattern.length
}

/** A matcher for a list of names and globs (plain names are looked up in a set). */
export function globList(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>()
  const globs: string[] = []
  for (const p of patterns) {
    if (p.includes('*') || p.includes('?')) globs.push(p)
    else exact.add(p)
  }
  return (name) => exact.has(name) || globs.some((g) => globMatch(g, name))
}
