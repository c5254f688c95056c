/**
 * model-tags: markup that addresses the model rather than describing the tool.
 * - critical: chat-template role tokens and system tags, which forge a turn of
 *   the conversation (<|im_start|>, [INST], <<SYS>>, <system>, <|system|> ...).
 * - high: emphasis tags and comments used to smuggle instructions
 *   (<IMPORTANT>, <instructions>, <secret>, [IMPORTANT], <!-- SYSTEM ...).
 * Matched after folding, so full-width or tag-character look-alikes count too.
 */
import { pat, scanFolded } from './match.js'
import type { Rule } from './types.js'

const PATTERNS = [
  pat('critical', String.raw`<\|(?:im_start|im_end|system|user|assistant|endoftext|start_header_id|end_header_id|eot_id|begin_of_text)\|>`),
  pat('critical', String.raw`\[/?inst\]|<</?sys>>`),
  pat('critical', String.raw`</?(?:system|system prompt|system message|sys)>`),
  pat('high', String.raw`</?(?:important|instructions?|secret|hidden|critical|admin|override|ai instructions?|assistant instructions?|model instructions?|tool instructions?|note to (?:the )?(?:ai|assistant|model|llm)|mandatory|required)>`),
  pat('high', String.raw`\[(?:important|system|instructions?|secret|hidden|admin)(?:\]|:)`),
  pat('high', String.raw`<!-- ?(?:system|instructions?|important|assistant|ai|model|llm|secret|hidden)\b`),
  pat('high', String.raw`(?:^|[ .])#{1,4} ?(?:system|instructions?) ?:`),
]

export const markup: Rule = {
  run(f, _ctx, emit) {
    if (!/[<[#]/.test(f.folded.text)) return
    scanFolded(f, PATTERNS, 'model-tags', emit)
  },
}
