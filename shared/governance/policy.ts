/**
 * `config.tool_policy` (issue 12 §1, §3): whether a config pins its
 * definitions (`pin`) or takes them as they come (`open`), and which tools may
 * be listed and run (`allow`, `deny`: names or globs, glob.ts). An org
 * config's policy is set by its admins and binds every member.
 */
import { Lru } from '../cache.js'
import type { Rec } from '../ports.js'
import { globList } from './glob.js'

export type Mode = 'pin' | 'open'
export interface ToolPolicy {
  mode: Mode
  allow?: string[]
  deny?: string[]
}

/** What of a config the policy reads (registry/model.ts's McpConfig has it): structural, so registry/ and governance/ do not import each other. */
interface WithPolicy { config: { tool_policy?: ToolPolicy } }

/** What a new config gets when its body names no policy. */
export const DEFAULT_POLICY: ToolPolicy = { mode: 'pin' }

/**
 * Configs stored before tool policies existed have none and stay `open`:
 * pinning them on the next listing would leave an org's members refused
 * until an admin listed each config again. Critical findings still block.
 */
export const policyOf = (doc: WithPolicy): ToolPolicy => doc.config.tool_policy ?? { mode: 'open' }

export const policyView = (p: ToolPolicy) => ({ mode: p.mode, allow: p.allow ?? [], deny: p.deny ?? [] })

const matchers = new Lru<(name: string) => boolean>(1000)

/**
 * Whether the config's policy lets a tool be listed and run: not denied, and
 * allowed when there is an allow list. Deny wins. Matchers are kept per config
 * version.
 */
export function permits(rec: Rec<WithPolicy>, name: string): boolean {
  const p = policyOf(rec.data)
  if (!p.allow?.length && !p.deny?.length) return true
  const key = `${rec.id}:${rec.version}`
  let m = matchers.get(key)
  if (!m) {
    const allow = p.allow?.length ? globList(p.allow) : () => true
    const deny = p.deny?.length ? globList(p.deny) : () => false
    m = (n) => allow(n) && !deny(n)
    matchers.set(key, m, 3600_000)
  }
  return m(name)
}
