/**
 * A deterministic scanner for MCP tool, prompt and resource definitions
 * (issue 12 §2). Pure: no I/O, no clock, no randomness; the same definition
 * and options always give the same findings, in the same order.
 *
 * It reads the covered fields (definition.ts), every string and member name
 * inside them, each up to 64 KiB (fields.ts). Findings carry the rule, a
 * severity, the JSON pointer of the field and the span of the offending text
 * in that field's original string. The rules and their severities are listed
 * in docs/security.md ("Tool scanner").
 *
 * `otherTools` are names of tools on the caller's *other* servers; mentions of
 * them are how shadowing attacks aim at a trusted tool.
 */
import { coveredView, definitionKey, type Kind } from './definition.js'
import { collectFields } from './fields.js'
import { RULES } from './rules/index.js'
import { otherToolsMatcher } from './rules/tools.js'
import type { Context, Emit, Finding, Severity } from './rules/types.js'
import { display } from './text.js'

export type { Finding, Severity, Span } from './rules/types.js'
export type { Kind } from './definition.js'

export interface ScanOptions {
  /** Tool names of the caller's other servers. */
  otherTools?: readonly string[]
  /**
   * This server's own tool names: a description may refer to its siblings, so
   * these are not reported as references even when another server has a tool
   * of the same name (the collision itself is still reported, on that tool).
   */
  ownTools?: readonly string[]
}

/** At most this many findings per definition, the most severe first. */
export const MAX_FINDINGS = 64
/** Scanning stops once this many findings are collected (a hostile definition can trigger thousands). */
const STOP_AFTER = 512
const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2 }

/** A scanner with the other-tools matcher compiled once, for scanning a whole listing. */
export function compileScanner(opts: ScanOptions = {}) {
  const own = new Set((opts.ownTools ?? []).map((n) => n.toLowerCase()))
  const otherNames = new Set((opts.otherTools ?? []).map((n) => n.toLowerCase()))
  const otherTools = otherToolsMatcher([...otherNames].filter((n) => !own.has(n)))
  return (kind: Kind, def: unknown): Finding[] => {
    const view = coveredView(kind, def)
    const { fields, truncated, total } = collectFields(view)
    const ctx: Context = { kind, name: definitionKey(kind, def), otherTools, otherNames, size: total }
    const found: Finding[] = []
    // The original strings, to render span texts once the findings that are kept are known.
    const raws = new Map<Finding, string>()
    const seen = new Set<string>()
    let f = fields[0]!
    const emit: Emit = (severity, rule, start, end, text) => {
      const key = `${rule}\u0000${f.pointer}\u0000${start}`
      if (seen.has(key)) return
      seen.add(key)
      const finding = { severity, rule, field: f.pointer, span: { start, end, text: text ?? '' } }
      if (text === undefined) raws.set(finding, f.raw)
      found.push(finding)
    }
    let stopped = false
    for (f of fields) {
      if (found.length >= STOP_AFTER) { stopped = true; break }
      for (const r of RULES) r.run(f, ctx, emit)
    }
    const whole = (severity: Severity, rule: string, field: string, text: string) => found.push({ severity, rule, field, span: { start: 0, end: 0, text } })
    for (const r of RULES) r.end?.(ctx, whole)
    if (truncated) whole('medium', 'scan-truncated', '', '⟨definition larger than the scanner reads; the rest was not scanned⟩')
    if (stopped) whole('medium', 'scan-truncated', '', `⟨more than ${STOP_AFTER} findings; the rest was not scanned⟩`)
    found.sort((a, b) => RANK[a.severity] - RANK[b.severity] || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0) || a.span.start - b.span.start || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0))
    const kept = found.slice(0, MAX_FINDINGS)
    for (const k of kept) {
      const raw = raws.get(k)
      if (raw !== undefined) k.span.text = display(raw.slice(k.span.start, k.span.end))
    }
    return kept
  }
}

/** Scans one definition. For many definitions with the same options, use compileScanner. */
export const scan = (kind: Kind, def: unknown, opts: ScanOptions = {}) => compileScanner(opts)(kind, def)

/** The most severe finding's severity, or null when clean. */
export const worst = (findings: readonly Finding[]): Severity | null =>
  findings.reduce<Severity | null>((w, f) => (w === null || RANK[f.severity] < RANK[w] ? f.severity : w), null)
