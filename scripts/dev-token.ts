/** `npm run -s dev-token -- --user alice [--org acme] [--admin] [--ttl 3600]`: prints only the token. */
import { parseArgs } from 'node:util'
import { parseConfig } from '../shared/config.js'
import { devToken } from '../shared/auth/dev-token.js'

const USAGE = 'usage: npm run -s dev-token -- --user alice [--org acme] [--admin] [--ttl 3600]'
/** Mistakes in the command line: a message and the usage, exit 2, never a stack trace. */
const usage = (why: string): never => {
  process.stderr.write(`dev-token: ${why}\n${USAGE}\n`)
  process.exit(2)
}
const MAX_TTL = 30 * 24 * 3600

let values: { user?: string; org?: string; admin?: boolean; ttl?: string }
try {
  ;({ values } = parseArgs({
    options: { user: { type: 'string' }, org: { type: 'string' }, admin: { type: 'boolean' }, ttl: { type: 'string' } },
  }))
} catch (e) {
  usage((e as Error).message)
}
if (!values!.user) usage('--user is required')
if (values!.admin && !values!.org) usage('--admin needs --org')
let ttlSec: number | undefined
if (values!.ttl !== undefined) {
  ttlSec = Number(values!.ttl)
  if (!/^\d+$/.test(values!.ttl) || ttlSec < 1 || ttlSec > MAX_TTL) usage(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL}, not ${JSON.stringify(values!.ttl)}`)
}
let cfg: ReturnType<typeof parseConfig>
try {
  cfg = parseConfig({ ...process.env, GATEWAY_MODE: 'local' })
} catch (e) {
  usage((e as Error).message)
}
process.stdout.write((await devToken(cfg!, { user: values!.user!, org: values!.org, admin: values!.admin, ttlSec })) + '\n')
