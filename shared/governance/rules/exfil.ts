/**
 * Ways to carry data out.
 * - exfiltration-url (high): a URL whose query or fragment has a placeholder
 *   for the model to fill ({data}, <user_name>, $VAR, %s, [content]).
 * - exfiltration-send (high): "send/post/forward ... to https://...", a curl
 *   upload, or mail/messages sent, copied or bcc'd to a fixed address or number.
 * - markdown-image (medium): a markdown image whose URL has a query string
 *   (rendering it sends a request; high when the query has a placeholder, via
 *   exfiltration-url).
 * Resource URIs and URI templates are placeholders by design and are skipped.
 */
import { emitFolded, pat, scanFolded } from './match.js'
import type { Rule } from './types.js'

const URL_TOKEN = /(?:https?:)?\/\/[^\s"'`]{1,512}/g
const PLACEHOLDER = /\{[^{}\s]{0,64}\}|<[^<>\s]{1,64}>|\$\{?[a-z_][a-z0-9_]{0,40}|%s|\[[a-z_ ]{1,40}\]/

const EMAIL = String.raw`[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}\.[a-z0-9.-]{2,190}`
const PHONE = String.raw`\+\d[\d ().-]{6,18}\d`
const SEND = [
  pat('high', String.raw`\b(?:send|sends|post|posts|forward|upload|transmit|exfiltrate|copy|report|submit|beacon)\b[^.!?\n]{0,80}? (?:to|at) (?:https?|ftp)://`, ['://']),
  pat('high', String.raw`\bcurl\b[^\n]{0,200}? (?:-d|--data(?:-binary|-raw)?|-f|--form|-t|--upload-file)\b`, ['curl']),
  pat('high', String.raw`\b(?:send|sends|forward|redirect|copy|bcc|cc|change the recipient|recipients?)\b[^!?\n]{0,60}?(?:${EMAIL}|${PHONE})`, ['@', '+']),
  pat('high', String.raw`(?:${EMAIL}|${PHONE})[^.!?\n]{0,40}? (?:to the |in the |into the )?[\x60'"]?(?:bcc|cc|recipients?|to)[\x60'"]? (?:field|list|header)`, ['@', '+']),
]
const IMAGE = [pat('medium', String.raw`!\[[^\]\n]{0,200}\]\((?:https?:)?//[^)\s]{1,512}\?[^)\s]{1,512}\)`, ['!['])]

export const exfil: Rule = {
  run(f, _ctx, emit) {
    if (f.pointer === '/uri' || f.pointer === '/uriTemplate') return
    const { text } = f.folded
    if (text.includes('//')) {
      let n = 0
      for (const m of text.matchAll(URL_TOKEN)) {
        const q = m[0].search(/[?&#]/)
        if (q >= 0 && PLACEHOLDER.test(m[0].slice(q)) && n++ < 3) emitFolded(f, emit, 'high', 'exfiltration-url', m.index!, m.index! + m[0].length)
      }
      scanFolded(f, IMAGE, 'markdown-image', emit)
    }
    scanFolded(f, SEND, 'exfiltration-send', emit)
  },
}
