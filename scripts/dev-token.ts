/** `npm run -s dev-token -- --user alice [--org acme] [--admin] [--ttl 3600]`: prints only the token. */
import { parseArgs } from 'node:util'
import { parseConfig } from '../shared/config.js'
import { devToken } from '../shared/auth/dev-token.js'

const { values } = parseArgs({
  options: { user: { type: 'string' }, org: { type: 'string' }, admin: { type: 'boolean' }, ttl: { type: 'string' } },
})
if (!values.user) {
  process.stderr.write('usage: npm run -s dev-token -- --user alice [--org acme] [--admin] [--ttl 3600]\n')
  process.exit(2)
}
if (values.admin && !values.org) {
  process.stderr.write('--admin needs --org\n')
  process.exit(2)
}
const cfg = parseConfig({ ...process.env, GATEWAY_MODE: 'local' })
process.stdout.write((await devToken(cfg, { user: values.user, org: values.org, admin: values.admin, ttlSec: values.ttl ? Number(values.ttl) : undefined })) + '\n')
