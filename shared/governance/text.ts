/**
 * Text helpers for the scanner: classifying invisible code points, folding a
 * string into the form the phrase rules match against, and showing a span of
 * the original with its invisible characters made visible.
 */

/** Unicode tag characters (U+E0000–U+E007F): invisible, and U+E0020–U+E007E mirror ASCII. */
export const isTag = (cp: number) => cp >= 0xe0000 && cp <= 0xe007f
/** Bidi embeddings, overrides and isolates (the Trojan Source set). */
export const isBidiControl = (cp: number) => (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
/** Bidi marks: legitimate next to right-to-left text, invisible everywhere. */
export const isBidiMark = (cp: number) => cp === 0x200e || cp === 0x200f || cp === 0x061c
export const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) || (cp >= 0x180b && cp <= 0x180f)
/** Zero-width and other default-ignorable code points that render as nothing. */
export const isZeroWidth = (cp: number) =>
  cp === 0x00ad || cp === 0x034f || cp === 0x115f || cp === 0x1160 || cp === 0x17b4 || cp === 0x17b5 ||
  (cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f) ||
  cp === 0x3164 || cp === 0xfeff || cp === 0xffa0 || cp === 0x2800
/** C0 and C1 controls other than tab, line feed and carriage return, and DEL. */
export const isControl = (cp: number) => (cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13) || (cp >= 0x7f && cp <= 0x9f)
export const isInvisible = (cp: number) => isTag(cp) || isBidiControl(cp) || isBidiMark(cp) || isVariationSelector(cp) || isZeroWidth(cp)
export const isPrivateUse = (cp: number) => (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000

// Latin look-alikes from Cyrillic and Greek, folded so "ignоre" (Cyrillic о) still reads "ignore".
const CONFUSABLE: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', ɡ: 'g', ԛ: 'q', ԝ: 'w',
  α: 'a', β: 'b', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
  '\u2018': "'", '\u2019': "'", '\u201b': "'", '\u02bc': "'", '\u2032': "'", '\u00b4': "'", '\u201c': '"', '\u201d': '"', '\u201f': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
}
const SPACE = /\s/u

export interface Folded {
  /** Lowercase, NFKC, invisibles dropped, tags decoded, whitespace runs as one space, `*` dropped. */
  text: string
  /** For each UTF-16 unit of `text`, where in the original its code point starts; null when that is the same index. */
  map: Uint32Array | null
}

// Scratch buffers shared by every fold (the scanner is synchronous).
let codes = new Uint16Array(1024), starts = new Uint32Array(1024)
// Printable ASCII without "*", tabs, newlines, leading or doubled spaces folds to its lowercase, index for index.
const NOT_IDENTITY = /[^\x20-\x29\x2b-\x7e]|^ | {2}/

// Folded forms of non-ASCII code points, cached (normalize() per character is the slow part).
const cache = new Map<number, string>()
function foldCodePoint(cp: number): string {
  let out = cache.get(cp)
  if (out === undefined) {
    out = ''
    for (const ch of String.fromCodePoint(cp).normalize('NFKC').toLowerCase()) out += CONFUSABLE[ch] ?? ch
    if (cache.size >= 8192) cache.clear()
    cache.set(cp, out)
  }
  return out
}

/**
 * Folds `raw` code point by code point (so each folded unit maps back to its
 * origin): NFKC, lowercase, confusables, tag characters decoded to the ASCII
 * they mirror, invisible and control characters dropped, whitespace collapsed,
 * markdown emphasis (`*`) dropped. Per-code-point NFKC differs from whole-string
 * NFKC only for combining sequences, which the rules (ASCII phrases) ignore.
 * The result is capped at 64 Ki units.
 */
export function fold(raw: string): Folded {
  if (!NOT_IDENTITY.test(raw)) return { text: raw.toLowerCase(), map: null }
  const n = raw.length
  // NFKC can expand a code point up to 18 times (U+FDFA), so the folded text has its own cap.
  const limit = 64 * 1024
  let len = 0
  let prevSpace = true
  const push = (u: number, at: number) => {
    if (len === codes.length) {
      const c2 = new Uint16Array(len * 2), s2 = new Uint32Array(len * 2)
      c2.set(codes), s2.set(starts)
      codes = c2, starts = s2
    }
    codes[len] = u, starts[len] = at, len++
  }
  for (let i = 0; i < n && len < limit;) {
    const c = raw.charCodeAt(i)
    if (c < 0x80) {
      if (c === 32 || (c >= 9 && c <= 13)) { if (!prevSpace) push(32, i); prevSpace = true }
      else if (c >= 32 && c !== 127 && c !== 42) { push(c >= 65 && c <= 90 ? c + 32 : c, i); prevSpace = false }
      i++
      continue
    }
    const cp = raw.codePointAt(i)!
    const w = cp > 0xffff ? 2 : 1
    let out = ''
    if (isTag(cp)) { if (cp >= 0xe0020 && cp <= 0xe007e) out = String.fromCharCode(cp - 0xe0000).toLowerCase() }
    else if (!isInvisible(cp) && !isControl(cp)) out = foldCodePoint(cp)
    for (let k = 0; k < out.length; k++) {
      const u = out.charCodeAt(k)
      if (u === 42) continue
      if (SPACE.test(out[k]!)) { if (!prevSpace) push(32, i); prevSpace = true }
      else { push(u, i); prevSpace = false }
    }
    i += w
  }
  let text = ''
  for (let k = 0; k < len; k += 4096) text += String.fromCharCode(...codes.subarray(k, Math.min(len, k + 4096)))
  return { text, map: starts.slice(0, len) }
}

/** The original [start, end) of folded text [i, j). */
export function rawSpan(raw: string, f: Folded, i: number, j: number): [number, number] {
  const a = f.map ? f.map[i]! : i
  const last = f.map ? f.map[j - 1]! : j - 1
  const cp = raw.codePointAt(last) ?? 0
  return [a, last + (cp > 0xffff ? 2 : 1)]
}

const hex = (cp: number) => cp.toString(16).toUpperCase().padStart(4, '0')

/**
 * The original text of a span, for a human: control and invisible characters
 * as \u{XXXX} escapes, runs of tag characters as ⟨tags:"decoded ASCII"⟩,
 * clipped to about `max` characters.
 */
export function display(raw: string, max = 160): string {
  let out = ''
  let tags = ''
  const flush = () => { if (tags) { out += `⟨tags:${JSON.stringify(tags)}⟩`; tags = '' } }
  for (const ch of raw) {
    const cp = ch.codePointAt(0)!
    if (isTag(cp)) { tags += cp >= 0xe0020 && cp <= 0xe007e ? String.fromCharCode(cp - 0xe0000) : `\\u{${hex(cp)}}`; continue }
    flush()
    if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (isControl(cp) || cp === 13 || isInvisible(cp) || isPrivateUse(cp) || (cp >= 0xd800 && cp <= 0xdfff)) out += `\\u{${hex(cp)}}`
    else out += ch
    if (out.length > max) break
  }
  flush()
  return out.length > max ? out.slice(0, max) + '…' : out
}
