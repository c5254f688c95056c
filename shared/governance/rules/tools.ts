/**
 * Instructions about other tools (shadowing) and about when to call this one.
 * - tool-reference: a name from the caller's list of other servers' tools.
 *   high when an instruction word is near it ("when send_email is invoked",
 *   "before using send_email, add ..."), medium for a bare mention. A plain
 *   word as a name (e.g. "search") only counts when quoted or followed by
 *   "tool"/"function".
 * - cross-tool-instruction (high): the same without a known list: "side effect
 *   on the ... tool", "when (server) x_y is invoked", "the ... server's x_y tool",
 *   "ignore/override/before using ... other tools".
 * - name-collision (medium): the tool has the same name as one of the other
 *   servers' tools, so the model may pick it instead (name squatting).
 * - priority-hijack (high): "call this tool first", "consult this tool
 *   immediately as the first step", "for ANY request ... call this tool",
 *   "before <doing something>, execute this tool". Plain routing advice
 *   ("always call this tool when the user asks for X") is left alone.
 */
import { emitFolded, pat, scanFolded } from './match.js'
import type { Context, Emit, Input, Rule } from './types.js'

const CUE = /\b(?:when|whenever|before|after|instead|always|never|must|should|make sure|ensure|change|replace|redirect|add|modify|side effect|invoke[ds]?|call(?:s|ed|ing)?|us(?:e|es|ed|ing)|send|forward|copy|bcc)\b/

const IDENT = String.raw`[\x60'"(]?[a-z0-9]{1,64}[_.-][a-z0-9_.-]{1,64}[\x60'")]?`
const GENERIC = [
  pat('high', String.raw`\bside effects? (?:on|for|to)\b[^.!?\n]{0,40}?\b(?:tools?|servers?|functions?)\b`, ['side']),
  pat('high', String.raw`\bwhen (?:\([a-z0-9_ -]{1,64}\) )?${IDENT} (?:(?:tool |function )?is (?:invoked|called)|(?:tool|function) is (?:used|run|executed))\b`, ['when']),
  pat('high', String.raw`\bserver'?s ${IDENT}(?: tool| function)?\b`, ['server']),
  pat('high', String.raw`\b(?:ignore|override|modify|intercept|replace|shadow|hijack|before using|before calling|after using|after calling|instead of using)\b[^.!?\n]{0,20}?\b(?:all |any |every )?other (?:tools?|servers?|functions?|mcp servers?)\b`, ['other']),
  pat('high', String.raw`\b(?:all|every|each) (?:emails?|messages?|payments?|transactions?|requests?) (?:must|should|are to|have to) be (?:sent|forwarded|copied|redirected|routed)\b`, ['sent', 'forwarded', 'copied', 'redirected', 'routed']),
]
const PRIORITY = [
  pat('high', String.raw`\b(?:call|consult|use|invoke|run|execute|query) this (?:tool|function) (?:first|immediately|before (?:any|every|all|answering|responding|replying|doing|anything))\b`, ['this']),
  pat('high', String.raw`\bbefore (?:execut|call|us|runn?|invok|perform|do)[a-z]{0,5}\b[^.!?\n]{0,60}?\b(?:execute|call|run|use|invoke) this (?:tool|function)\b`, ['before']),
  pat('high', String.raw`\bas the first step\b[^.!?\n]{0,40}?\bbefore\b`, ['first']),
  pat('high', String.raw`\bfor (?:any|every|all) (?:requests?|questions?|queries|tasks?|prompts?|messages?)\b[^.!?\n]{0,60}?\b(?:call|use|invoke|consult) this (?:tool|function)\b`, ['this']),
]

/** Compiles the matcher for other servers' tool names (folded like the text: lowercase). */
export function otherToolsMatcher(names: readonly string[]): RegExp | null {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
  const list = [...new Set(names.map((n) => n.toLowerCase()).filter((n) => n.length >= 3 && n.length <= 128))]
  if (!list.length) return null
  list.sort((a, b) => b.length - a.length)
  return new RegExp(`(?<![a-z0-9_.-])(?:${list.map(esc).join('|')})(?![a-z0-9_-])`, 'g')
}

const DISTINCT = (name: string) => name.length >= 10 || /[_.\-0-9]/.test(name)

function references(f: Input, ctx: Context, emit: Emit) {
  const re = ctx.otherTools
  if (!re) return
  const { text } = f.folded
  const self = ctx.name.toLowerCase()
  re.lastIndex = 0
  let n = 0
  for (let m = re.exec(text); m && n < 5; m = re.exec(text)) {
    const name = m[0]
    if (name === self) continue
    const after = text.slice(m.index + name.length, m.index + name.length + 10)
    const quoted = /[`'"]/.test(text[m.index - 1] ?? '') || /^[`'"]/.test(after) || /^(?:\(\)| tool\b| function\b)/.test(after)
    if (!DISTINCT(name) && !quoted) continue
    const near = text.slice(Math.max(0, m.index - 100), m.index + name.length + 100)
    emitFolded(f, emit, CUE.test(near) ? 'high' : 'medium', 'tool-reference', m.index, m.index + name.length)
    n++
  }
}

export const tools: Rule = {
  run(f, ctx, emit) {
    references(f, ctx, emit)
    scanFolded(f, GENERIC, 'cross-tool-instruction', emit)
    scanFolded(f, PRIORITY, 'priority-hijack', emit)
  },
  end(ctx, emit) {
    if (ctx.kind === 'tool' && ctx.otherNames.has(ctx.name.toLowerCase())) emit('medium', 'name-collision', '/name', ctx.name)
  },
}
