/**
 * override (critical): attempts to replace the instructions the model already
 * has ("ignore previous instructions", "disregard all prior", "your new task
 * is", "from now on you", "you are now"). high: claims of precedence and
 * "instead, reply ..." redirections of the answer.
 */
import { pat, scanFolded } from './match.js'
import type { Rule } from './types.js'

const PRIOR = String.raw`(?:previous|prior|above|earlier|preceding|former|original|other|all|any|existing|every|system|developer|user's|safety|security)`
const ORDERS = String.raw`(?:instructions?|rules?|prompts?|directions?|guidelines?|guidance|directives?|commands?|messages?|constraints?|polic(?:y|ies)|tools?|context|requests?)`

const PATTERNS = [
  pat('critical', String.raw`\b(?:ignore|disregard|forget)\b[^.!?\n]{0,30}?\b${PRIOR}\b[^.!?\n]{0,25}?\b${ORDERS}\b`, ['ignore', 'disregard', 'forget']),
  pat('critical', String.raw`\b(?:override|bypass|circumvent)\b[^.!?\n]{0,30}?\b${PRIOR}\b[^.!?\n]{0,25}?\b(?:instructions?|prompts?|directives?|guidelines?|guidance|safety|security)\b`, ['override', 'bypass', 'circumvent']),
  pat('critical', String.raw`\b(?:do not|don't|never) (?:follow|obey|listen to) (?:the |any )?(?:user|previous|prior|other|original|system)\b`, ['follow', 'obey', 'listen']),
  pat('critical', String.raw`\byour (?:new|real|actual|true|only|updated) (?:instructions?|task|objective|goal|role|purpose|job|mission)(?: is| are|:)`, ['your']),
  pat('critical', String.raw`\bfrom now on,? (?:you|always|never|only|all|every|respond|reply|answer|speak)\b`, ['now']),
  pat('critical', String.raw`\byou are now (?:a|an|in|the|my|acting|operating|dan|free|unrestricted|no longer)\b`, ['now']),
  pat('high', String.raw`\b(?:takes?|has|have|with|given) (?:absolute |highest |top )?(?:precedence|priority) over (?:all|any|other|previous|the user|user|system)\b`, ['precedence', 'priority']),
  pat('high', String.raw`\binstead,? (?:reply|respond|answer|say|tell the user|output)\b`, ['instead']),
]

export const override: Rule = {
  run(f, _ctx, emit) {
    scanFolded(f, PATTERNS, 'override', emit)
  },
}
