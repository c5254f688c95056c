/**
 * `terraform -chdir=infra output -json | npm run -s console-config`: writes
 * public/config.json, the console's production settings (Terraform output
 * `console_config`), before `firebase deploy --only hosting`. Without that file
 * the console is in local mode (dev tokens).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const OUT = fileURLToPath(new URL('../../public/config.json', import.meta.url))
const fail = (m: string): never => {
  process.stderr.write(`console-config: ${m}\n`)
  process.exit(2)
}

let outputs: Record<string, { value?: unknown }>
try {
  outputs = JSON.parse(readFileSync(0, 'utf8'))
} catch {
  fail('pipe `terraform -chdir=infra output -json` into this command')
}
const c = outputs!.console_config?.value as Record<string, unknown> | undefined
if (!c || typeof c !== 'object') fail('no console_config among the Terraform outputs (apply the module first)')
if (c!.auth === 'firebase' && typeof c!.api_key !== 'string') fail('console_config.auth is firebase but it has no api_key')
const config = Object.fromEntries(['auth', 'api_key', 'auth_domain', 'project_id', 'execute_stream_url'].filter((k) => c![k] != null).map((k) => [k, c![k]]))
writeFileSync(OUT, JSON.stringify(config, null, 2) + '\n')
process.stderr.write(`console-config: wrote ${OUT} (auth: ${config.auth})\n`)
