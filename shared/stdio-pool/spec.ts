/**
 * `X-Stdio-Spec`: what the gateway asks the stdio pool to run, one request
 * header (base64url JSON `{owner, mcp_id, choice}`). Both sides use this
 * module: mcp/target.ts encodes, pool/bridge.ts parses and has the choice
 * re-checked against the pool's own catalog.
 */
import { AppError } from '../errors.js'
import type { StdioChoice } from '../stdio/catalog.js'

export const SPEC_HEADER = 'x-stdio-spec'

/** One user's process for one config: the owner is the caller, so a process never serves another user. */
export interface PoolSpec { owner: string; mcp_id: string; choice: StdioChoice }

const OWNER = /^[A-Za-z0-9_.@:|+-]{1,128}$/
const MCP_ID = /^[A-Za-z0-9_-]{1,128}$/

/** The header's value for a spec: what the gateway sends. */
export const encodeSpec = (s: PoolSpec) => Buffer.from(JSON.stringify(s)).toString('base64url')

/**
 * Decodes and checks the header; `checkChoice` checks the choice against the
 * pool's catalog. 400 for anything malformed or not in the catalog.
 */
export function parseSpec(raw: string | undefined, checkChoice: (choice: object) => StdioChoice): PoolSpec {
  const bad = (m: string) => new AppError('invalid_request', `X-Stdio-Spec ${m}`)
  if (!raw || raw.length > 64 << 10 || !/^[A-Za-z0-9_-]+$/.test(raw)) throw bad('is required (base64url JSON)')
  let v: any
  try {
    v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
  } catch {
    throw bad('is not base64url JSON')
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('must be an object')
  if (typeof v.owner !== 'string' || !OWNER.test(v.owner)) throw bad('has no usable owner')
  if (typeof v.mcp_id !== 'string' || !MCP_ID.test(v.mcp_id)) throw bad('has no usable mcp_id')
  if (!v.choice || typeof v.choice !== 'object') throw bad('has no choice')
  return { owner: v.owner, mcp_id: v.mcp_id, choice: checkChoice(v.choice) }
}
