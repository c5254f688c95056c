/** The `listing` function: an MCP server's tools, resources, prompts and completions, their review, and the health check. */
import type { Builder } from '../build.js'
import type { Code } from '../../errors.js'
import { approveBody, completeBody, promptBody, readQuery } from '../../mcp/schema.js'

const V = '/api/v1/mcps/{id}'
const id = { id: 'The config\'s id.' }
/** What reaching the caller's server can answer (README, "Errors"; docs/api.md, "Why an upstream failed"). */
export const UPSTREAM: Code[] = [
  'not_found', 'egress_denied', 'authorization_required', 'rate_limited',
  'upstream_error', 'upstream_response_too_large', 'unavailable', 'upstream_timeout',
  // A first listing pins the definitions; a pinned set that is full refuses more (shared/governance/pins.ts).
  'conflict',
]
const list = (summary: string, schema: string, extra: object = {}) => ({ tag: 'listing', summary, path: id, ok: { 200: { description: 'The listing (`warnings` when the server did not answer a list method).', schema } }, codes: UPSTREAM, ...extra })
// A 2026-07-28 server may ask the user first, as an execution does.
const interactive = (schema: string) => ({
  200: { description: 'The result, or (with `capabilities`) the question the server asks first.', schema: { anyOf: [{ $ref: `#/components/schemas/${schema}` }, { $ref: '#/components/schemas/InputRequired' }] } },
})

export function listingPaths(b: Builder): void {
  b.add(`${V}/tools`, 'GET', list('List the tools', 'Tools', {
    description: 'Answered from the cached listing; send `Cache-Control: no-cache` to list afresh.', params: ['Cache-Control'],
  }))
  b.add(`${V}/tools/changes`, 'GET', list('What waits for approval, with diffs', 'Changes'))
  b.add(`${V}/tools/approve`, 'POST', {
    tag: 'listing', summary: 'Approve exact versions of definitions (owner or org admin)', path: id, body: { schema: approveBody },
    ok: { 200: { description: 'What was approved.', schema: 'Approved' } }, codes: [...UPSTREAM, 'forbidden', 'conflict'],
  })
  b.add(`${V}/resources`, 'GET', list('List the resources', 'Resources'))
  b.add(`${V}/resources/read`, 'GET', {
    tag: 'listing', summary: 'Read a resource', path: id, query: readQuery, ok: interactive('ResourceContents'), codes: [...UPSTREAM, 'tool_not_approved', 'input_timeout'], problems: { 409: ['cancelled'] },
  })
  b.add(`${V}/resources/templates`, 'GET', list('List the resource templates', 'ResourceTemplates'))
  b.add(`${V}/prompts`, 'GET', list('List the prompts', 'Prompts'))
  b.add(`${V}/prompts/{prompt}/get`, 'POST', {
    tag: 'listing', summary: 'Get a prompt', path: { ...id, prompt: 'The prompt\'s name.' }, body: { schema: promptBody, required: false },
    ok: interactive('PromptResult'), codes: [...UPSTREAM, 'tool_not_approved', 'input_timeout'], problems: { 409: ['cancelled'] },
  })
  b.add(`${V}/complete`, 'POST', {
    tag: 'listing', summary: 'Suggestions for a prompt argument or template variable', path: id, body: { schema: completeBody },
    ok: { 200: { description: 'At most 100 values.', schema: 'Completion' } }, codes: UPSTREAM,
  })
  b.add(`${V}/check`, 'POST', {
    tag: 'listing', summary: 'Connect afresh and say what answered', path: id,
    description: '200 whether the server is up or not; what the gateway decides before connecting is answered as on every call.',
    ok: { 200: { description: 'The check (kept as the config\'s `health` for the caller).', schema: 'Check' } }, codes: ['not_found', 'authorization_required', 'rate_limited', 'unavailable'],
  })
}
