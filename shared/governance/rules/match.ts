/**
 * Regex helpers for the phrase rules. Patterns are written against folded
 * text (lowercase, single spaces); a literal space in a pattern also accepts
 * "_" and "-", so the same phrase is found in member names such as
 * "do_not_tell_the_user". Patterns avoid nested quantifiers; gaps are bounded
 * character classes, so matching stays linear in practice.
 */
import { rawSpan } from '../text.js'
import type { Emit, Input, Severity } from './types.js'

/** Compiles a pattern with the space convention above ("g" flag). */
export function phrase(src: string): RegExp {
  let out = ''
  let inClass = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (c === '\\') { out += c + (src[i + 1] ?? ''); i++; continue }
    if (c === '[') inClass = true
    else if (c === ']') inClass = false
    out += c === ' ' && !inClass ? '[ _-]' : c
  }
  return new RegExp(out, 'g')
}

/** A compiled pattern; `needs` are words one of which the text must contain for the pattern to run at all (a cheap prefilter). */
export interface Pattern { re: RegExp; severity: Severity; needs: readonly string[] }
export const pat = (severity: Severity, src: string, needs: readonly string[] = []): Pattern => ({ re: phrase(src), severity, needs })

const esc = (w: string) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const prefilters = new WeakMap<readonly Pattern[], RegExp | null>()
/** One regex for all the words a list of patterns needs (null when some pattern needs none). */
function prefilter(patterns: readonly Pattern[]): RegExp | null {
  if (!prefilters.has(patterns)) {
    const all = patterns.every((p) => p.needs.length) ? patterns.flatMap((p) => p.needs) : []
    prefilters.set(patterns, all.length ? new RegExp([...new Set(all)].map(esc).join('|')) : null)
  }
  return prefilters.get(patterns)!
}

/** Runs patterns over a field's folded text; at most `max` findings per pattern and field. */
export function scanFolded(f: Input, patterns: readonly Pattern[], rule: string, emit: Emit, max = 3) {
  const { text } = f.folded
  const any = prefilter(patterns)
  if (any && !any.test(text)) return
  for (const { re, severity, needs } of patterns) {
    if (needs.length && !hasAny(text, needs)) continue
    re.lastIndex = 0
    let n = 0
    for (let m = re.exec(text); m && n < max; m = re.exec(text)) {
      if (m[0].length === 0) { re.lastIndex++; continue }
      emitFolded(f, emit, severity, rule, m.index, m.index + m[0].length)
      n++
    }
  }
}

function hasAny(text: string, words: readonly string[]) {
  for (const w of words) if (text.includes(w)) return true
  return false
}

/** Reports folded text [i, j) as a finding on the original string. */
export function emitFolded(f: Input, emit: Emit, severity: Severity, rule: string, i: number, j: number) {
  const [a, b] = rawSpan(f.raw, f.folded, i, j)
  emit(severity, rule, a, b)
}
