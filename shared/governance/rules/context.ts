/**
 * Requests for what the model holds in its context.
 * - context-exfiltration (high): an instruction to put the conversation, the
 *   system prompt, earlier messages or other tools' results into an argument
 *   ("include the complete conversation context", "a full list of last messages",
 *   "should contain the user's previous message").
 * - context-parameter (high): an input parameter named for such content
 *   (system_prompt, conversation_history, chat_history, tools_list, ...), which
 *   the model fills in without being told.
 */
import { pat, scanFolded } from './match.js'
import type { Rule } from './types.js'

const VERB = String.raw`(?:include|includes|including|pass|passes|append|add|send|put|provide|contain|contains|attach|copy|paste|fill|forward|insert|embed|supply|share|dump)`
const WHAT = String.raw`(?:(?:conversation|chat|message|dialog(?:ue)?) ?(?:history|context|transcript|log|logs)|system (?:prompt|message|instructions)|(?:previous|prior|earlier|last|all|full|complete|entire) (?:user )?(?:messages?|exchanges?|conversations?|prompts?)|user'?s? (?:previous|prior|last|earlier) messages?|(?:results?|outputs?) of (?:the |any |all )?(?:previous|prior|earlier|other)\b|chain of thought|(?:list|names) of (?:your |all |the )?(?:available )?tools)`
const PATTERNS = [pat('high', String.raw`\b${VERB}\b[^.!?\n]{0,50}?\b${WHAT}`, ['history', 'context', 'transcript', 'log', 'system', 'message', 'exchange', 'conversation', 'prompt', 'result', 'output', 'thought', 'tool'])]
const PARAM = /^(?:system[ _-]?(?:prompt|message|instructions?)|(?:full[ _-]?)?(?:conversation|chat|message)[ _-]?(?:history|context|transcript|log)|previous[ _-]?messages?|tools?[ _-]?list|list[ _-]?of[ _-]?tools|available[ _-]?tools|chain[ _-]?of[ _-]?thought|model[ _-]?instructions?)$/

export const context: Rule = {
  run(f, _ctx, emit) {
    if (f.param && PARAM.test(f.raw.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '_').toLowerCase())) emit('high', 'context-parameter', 0, f.raw.length)
    if (!f.key) scanFolded(f, PATTERNS, 'context-exfiltration', emit)
  },
}
