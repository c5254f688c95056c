/**
 * Hidden and control characters, found in the original text (one pass).
 *
 * - unicode-tags (critical): U+E0000–U+E007F, invisible ASCII ("ASCII smuggling").
 * - bidi-control (critical; medium next to right-to-left script): embeddings,
 *   overrides, isolates (Trojan Source) and bidi marks.
 * - zero-width (critical): zero-width and other invisible code points, variation
 *   selectors, except where scripts need them (joiners inside emoji sequences or
 *   non-Latin words, a selector after its base, a leading BOM, soft hyphens inside words).
 * - control-characters (critical for ESC, C1, backspace and DEL, which rewrite a
 *   terminal's display; high for other C0 controls and a lone carriage return).
 * - private-use (medium), invalid-unicode (medium, lone surrogates).
 *
 * Adjacent offending characters, whitespace between them included, are one finding.
 */
import { isBidiControl, isBidiMark, isControl, isPrivateUse, isTag, isVariationSelector, isZeroWidth } from '../text.js'
import type { Emit, Input, Rule, Severity } from './types.js'

const RTL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u
const PICTO = /\p{Extended_Pictographic}/u
const NON_LATIN_LETTER = /^[\p{L}\p{M}]$/u
const LATIN_OR_COMMON = /^[\p{Script=Latin}\p{Script=Common}]$/u
const IDEOGRAPH = /^\p{Ideographic}$/u
const MONGOLIAN = /^\p{Script=Mongolian}$/u
const LETTER = /^\p{L}$/u

const at = (s: string, i: number) => (i >= 0 && i < s.length ? String.fromCodePoint(s.codePointAt(i)!) : '')
const before = (s: string, i: number) => (i <= 0 ? '' : at(s, i >= 2 && s.charCodeAt(i - 1) >= 0xdc00 && s.charCodeAt(i - 1) <= 0xdfff ? i - 2 : i - 1))

/** Whether an invisible code point at `i` is doing a legitimate job where it stands. */
function legitimate(s: string, i: number, cp: number, n: number): boolean {
  const prev = before(s, i), next = at(s, i + n)
  if (cp === 0x200d && (PICTO.test(prev) || /[\u{1F3FB}-\u{1F3FF}\uFE0F]/u.test(prev)) && PICTO.test(next)) return true
  if ((cp === 0x200c || cp === 0x200d) && NON_LATIN_LETTER.test(prev) && !LATIN_OR_COMMON.test(prev) && NON_LATIN_LETTER.test(next)) return true
  if (cp >= 0xfe00 && cp <= 0xfe0f) return prev !== '' && !isVariationSelector(prev.codePointAt(0)!) && (prev.codePointAt(0)! >= 0x80 || /[0-9#*]/.test(prev))
  if (cp >= 0xe0100 && cp <= 0xe01ef) return IDEOGRAPH.test(prev)
  if (cp >= 0x180b && cp <= 0x180f) return MONGOLIAN.test(prev)
  if (cp === 0xfeff) return i === 0
  if (cp === 0x00ad) return LETTER.test(prev) && LETTER.test(next)
  if (cp === 0x2800) return /[\u2801-\u28FF]/.test(prev) || /[\u2801-\u28FF]/.test(next)
  return false
}

type Kind = 'unicode-tags' | 'bidi-control' | 'zero-width' | 'control-characters' | 'private-use' | 'invalid-unicode'

function classify(s: string, i: number, cp: number, n: number, rtl: boolean): [Kind, Severity] | null {
  if (isTag(cp)) return ['unicode-tags', 'critical']
  if (isBidiControl(cp) || isBidiMark(cp)) return ['bidi-control', rtl ? 'medium' : 'critical']
  if ((isZeroWidth(cp) || isVariationSelector(cp)) && !legitimate(s, i, cp, n)) return ['zero-width', 'critical']
  if (cp === 0x1b || cp === 0x08 || (cp >= 0x7f && cp <= 0x9f)) return ['control-characters', 'critical']
  if (isControl(cp) || (cp === 13 && s.charCodeAt(i + 1) !== 10)) return ['control-characters', 'high']
  if (cp >= 0xd800 && cp <= 0xdfff) return ['invalid-unicode', 'medium']
  if (isPrivateUse(cp)) return ['private-use', 'medium']
  return null
}

const RANK: Record<Severity, number> = { medium: 0, high: 1, critical: 2 }
const CSI = /^\x1b\[[0-?]{0,64}[ -/]{0,8}[@-~]/
const OSC = /^\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)/

/** Where an escape sequence starting at `i` ends, so the span shows all of it. */
function escapeEnd(s: string, i: number): number {
  const rest = s.slice(i, i + 600)
  const m = CSI.exec(rest) ?? OSC.exec(rest)
  return i + (m ? m[0].length : 1)
}
const SPACE = /^\s$/u

export const unicode: Rule = {
  run(f: Input, _ctx, emit: Emit) {
    const s = f.raw
    // Fast path: nothing outside printable ASCII, tab and newlines.
    if (!/[^\x20-\x7e\t\n]/.test(s)) return
    const rtl = RTL.test(s)
    let run: { kind: Kind; severity: Severity; start: number; end: number } | null = null
    const close = () => { if (run) { emit(run.severity, run.kind, run.start, run.end); run = null } }
    for (let i = 0; i < s.length;) {
      const cp = s.codePointAt(i)!
      const n = cp === 0x1b ? escapeEnd(s, i) - i : cp > 0xffff ? 2 : 1
      const c = cp >= 0x20 && cp < 0x7f ? null : classify(s, i, cp, n, rtl)
      if (c) {
        if (run && run.kind === c[0]) {
          run.end = i + n
          if (RANK[c[1]] > RANK[run.severity]) run.severity = c[1]
        } else { close(); run = { kind: c[0], severity: c[1], start: i, end: i + n } }
      } else if (run && !SPACE.test(at(s, i))) close()
      i += n
    }
    close()
  },
}
