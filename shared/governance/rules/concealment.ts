/**
 * concealment (critical): instructions to keep the user from knowing what the
 * model does ("do not mention this to the user", "without informing the user",
 * "silently send ...", "act like you used it properly"). No tool needs to hide
 * its own behaviour from the person using it.
 */
import { pat, scanFolded } from './match.js'
import type { Rule } from './types.js'

const NEG = String.raw`(?:do not|don't|dont|never|must not|mustn't|should not|shouldn't|no need to|there's no need to|without|avoid|refrain from)`
const TELL = String.raw`(?:tell|inform|mention|notify|alert|reveal|disclose|show|explain|report|warn|let|bother)(?:s|ing)?`
const WHOM = String.raw`(?: (?:to|with|about|of))?(?: (?:the|this|that|any|your))? (?:user|users|human|humans|anyone|person|people|this|that|it|them|these|why|what you)\b`

const PATTERNS = [
  pat('critical', `\\b${NEG}(?: ever)? ${TELL}${WHOM}`, ['not', 'don', 'never', 'need', 'without', 'avoid', 'refrain']),
  pat('critical', String.raw`\b(?:the )?(?:user|users|human)(?: must| should| will| does| do| need| needs| is| are)(?: not|n't)(?: to| be)? (?:know|see|notice|be told|be informed|be aware|aware|find out|learn|told|informed)\b`, ['user', 'human']),
  pat('critical', String.raw`\b(?:keep|hide|conceal)\b[^.!?\n]{0,40}? from (?:the |your )?(?:user|users|human)\b`, ['from']),
  pat('critical', String.raw`\b(?:hidden|invisible|secret) (?:from|to) (?:the )?(?:user|users|human)\b`, ['hidden', 'invisible', 'secret']),
  pat('critical', String.raw`\b(?:silently|secretly|covertly|quietly|surreptitiously|discreetly|invisibly)(?: also)? (?:send|post|forward|upload|copy|include|add|append|read|pass|bcc|cc|redirect|exfiltrate|transmit|share|change|replace|call|run|execute|modify|email|store|log|record)\b`, ['silently', 'secretly', 'covertly', 'quietly', 'surreptitiously', 'discreetly', 'invisibly']),
  pat('critical', String.raw`\bact (?:like|as if|as though|like if) (?:you|nothing)\b`, ['act']),
  pat('critical', String.raw`\bthis is a secret (?:operation|step|instruction|action|task)\b`, ['secret']),
]

export const concealment: Rule = {
  run(f, _ctx, emit) {
    scanFolded(f, PATTERNS, 'concealment', emit)
  },
}
