/**
 * secret-parameter (medium): an input parameter that asks for a secret by name
 * (password, api_key, token, client_secret, private_key, ssh_key, credentials,
 * cookie, ...) or whose description asks for one ("your API key"). Real
 * servers do this (a login tool takes a password), so it is shown, not
 * blocked: the user should know the model will be handing a secret to the
 * server. Output schemas are not asks and are skipped.
 */
import { emitFolded } from './match.js'
import type { Rule } from './types.js'

const NAME = /(?:^|_)(?:password|passwd|passphrase|pwd|secret|client_secret|api_?key|apikey|access_?key|secret_?key|private_?key|ssh_?key|signing_?key|token|access_?token|auth_?token|refresh_?token|id_?token|bearer|bearer_?token|credentials?|cookies?|session_?(?:id|token|key)|mnemonic|seed_?phrase|otp|totp|pin_?code)(?:_|$)/
const ASK = /\b(?:your|the user'?s?|user'?s?) (?:password|passphrase|api[ _-]?key|secret(?: key)?|access token|auth(?:entication)? token|private key|ssh key|credentials|seed phrase|pin)\b/

export const secrets: Rule = {
  run(f, _ctx, emit) {
    if (!f.input) return
    if (f.param) {
      const name = f.raw.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '_').toLowerCase().replace(/[^a-z0-9]+/g, '_')
      if (NAME.test(name)) emit('medium', 'secret-parameter', 0, f.raw.length)
    } else if (!f.key && /\/description$/.test(f.pointer)) {
      const m = ASK.exec(f.folded.text)
      if (m) emitFolded(f, emit, 'medium', 'secret-parameter', m.index, m.index + m[0].length)
    }
  },
}
