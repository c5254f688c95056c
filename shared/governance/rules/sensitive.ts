/**
 * sensitive-path (high): names of files that hold secrets or other servers'
 * credentials (~/.ssh, id_rsa, .env, /etc/passwd, ~/.aws/credentials, mcp.json,
 * claude_desktop_config.json, /proc/self/environ ...). A tool definition has
 * no reason to point the model at them.
 * credential-request (high): an instruction to read, include or send keys,
 * tokens, passwords or credentials ("read ... private key", "pass the API key").
 * Tools that return or manage such things say "gets" / "lists" / "returns",
 * which this rule leaves alone.
 */
import { pat, scanFolded } from './match.js'
import type { Rule } from './types.js'

// "_" and "-" separate words in member names, so they count as boundaries here.
const B = String.raw`(?<![a-z0-9])`
const E = String.raw`(?![a-z0-9])`

const PATHS = [
  pat('high', String.raw`~/\.ssh${E}|${B}\.ssh/|${B}ssh[_-]?(?:id[_-]?)?(?:rsa|dsa|ecdsa|ed25519|private[_-]?key)${E}|${B}id[_-]?(?:rsa|dsa|ecdsa|ed25519)${E}|${B}authorized[_-]keys${E}`, ['ssh', 'rsa', 'dsa', '25519', 'authorized']),
  pat('high', String.raw`/etc/(?:passwd|shadow|sudoers|gshadow)${E}|/proc/(?:self|\d{1,7})/environ${E}`, ['/etc/', '/proc/']),
  pat('high', String.raw`~/\.aws${E}|\.aws/(?:credentials|config)${E}|${B}aws[_-]credentials${E}|application_default_credentials\.json|\.config/gcloud${E}|\.azure/${E}`, ['aws', 'credentials', 'gcloud', 'azure']),
  pat('high', String.raw`(?:^|[ /'"\x60(~])\.env(?:\.[a-z]{1,12})?(?![a-z0-9_/-])`, ['.env']),
  pat('high', String.raw`${B}(?:\.npmrc|\.pypirc|\.netrc|\.pgpass|\.git-credentials|\.bash_history|\.zsh_history|\.gnupg|wallet\.dat|kubeconfig)${E}|\.docker/config\.json|\.kube/config${E}`, ['npmrc', 'pypirc', 'netrc', 'pgpass', 'credentials', 'history', 'gnupg', 'wallet', 'kubeconfig', 'docker', 'kube']),
  pat('high', String.raw`${B}(?:mcp\.json|claude_desktop_config\.json|mcp_settings\.json)|\.cursor/|\.vscode/mcp`, ['mcp', 'claude', 'cursor']),
]
const VERB = String.raw`(?:read|reads|reading|include|includes|including|pass|passes|passing|send|sends|sending|provide|attach|upload|copy|collect|extract|dump|append|share|exfiltrate|leak|paste|forward|embed)`
const SECRET = String.raw`(?:private keys?|secret keys?|signing keys?|api keys?|api tokens?|access tokens?|auth(?:entication)? tokens?|bearer tokens?|refresh tokens?|session (?:tokens?|cookies?)|passwords?|passphrases?|credentials?|ssh keys?|seed phrases?|mnemonics?|environment variables|env vars|secrets)`
const CREDENTIALS = [pat('high', String.raw`\b${VERB}\b[^.!?\n]{0,40}?\b${SECRET}\b`, ['key', 'token', 'password', 'passphrase', 'credential', 'cookie', 'mnemonic', 'seed', 'env', 'secret'])]

export const sensitive: Rule = {
  run(f, _ctx, emit) {
    scanFolded(f, PATHS, 'sensitive-path', emit)
    if (!f.key) scanFolded(f, CREDENTIALS, 'credential-request', emit)
  },
}
