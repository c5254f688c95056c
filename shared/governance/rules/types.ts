/** The contract between the scanner and its rules. */
import type { Kind } from '../definition.js'
import type { Field } from '../fields.js'

export type Severity = 'critical' | 'high' | 'medium'
/** Offsets are UTF-16 code units into the original string; `text` is for display (see text.ts `display`). */
export interface Span { start: number; end: number; text: string }
export interface Finding { severity: Severity; rule: string; field: string; span: Span }

/** A string of the definition with its pointer and folded form (fields.ts). */
export type Input = Field
export interface Context {
  kind: Kind
  /** The definition's own name (a tool naming itself is no cross-tool reference). */
  name: string
  /** Matches names of other servers' tools in folded text, when the caller gave any. */
  otherTools: RegExp | null
  /** The same names, lowercased. */
  otherNames: ReadonlySet<string>
  /** Characters of strings and member names in the definition (a lower bound on its size). */
  size: number
}
/** Reports a finding on the current field; `start`/`end` index the original string. */
export type Emit = (severity: Severity, rule: string, start: number, end: number, text?: string) => void

export interface Rule {
  run(f: Input, ctx: Context, emit: Emit): void
  /** Runs once per definition, after the fields (for whole-definition checks). */
  end?(ctx: Context, emit: (severity: Severity, rule: string, field: string, text: string) => void): void
}
