/** The registry's check of `config.rate_limit`: a policy no looser than RATE_LIMIT_USER_MCP. */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { formatPolicy, noLooser, parsePolicy } from './policy.js'

const bad = (message: string) => new AppError('invalid_request', `/config/rate_limit ${message}`, { errors: [{ path: '/config/rate_limit', message }] })

export function checkConfigRateLimit(d: Deps, v: string | undefined): void {
  if (v === undefined) return
  const r = parsePolicy(v)
  if (!r.ok) throw bad(r.reason)
  const max = d.config.rateLimit.userMcp
  if (max && !noLooser(r.policy, max)) throw bad(`may only lower the gateway's limit per user and MCP (${formatPolicy(max)}): a slower rate and a burst no larger`)
}
