/**
 * Input requests between the upstream's wire shapes and the API's, and the
 * check of the user's answers: exactly the outstanding keys, a well-formed
 * answer for each, and elicitation content that matches the requested schema.
 * Pure apart from schema compilation (off the event loop).
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { schemaViolations } from '../mcp/args.js'
import type { Declared } from '../mcp/sessions.js'
import type { InputRequest } from './model.js'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** A URL the user may be sent to: https only (http on loopback in local mode). The gateway never opens it. */
function checkedUrl(d: Deps, raw: unknown): URL {
  let u: URL
  try {
    u = new URL(String(raw))
  } catch {
    throw refused('a URL that does not parse')
  }
  if (u.protocol === 'https:') return u
  if (u.protocol === 'http:' && d.config.mode === 'local' && LOOPBACK.has(u.hostname)) return u
  throw refused('a URL that is not https')
}

const refused = (what: string) => new AppError('upstream_error', `The MCP server asked the user to open ${what}.`, { upstream: { reason: 'bad_input_request' } })

/**
 * The API's view of one upstream request (`elicitation/create` or
 * `sampling/createMessage` with its params). A kind the caller did not
 * declare, or a malformed request, is the upstream's fault.
 */
export function toInputRequest(d: Deps, declared: Declared, method: string, params: Record<string, unknown> | undefined): InputRequest {
  const p = params ?? {}
  if (method === 'elicitation/create') {
    const message = typeof p.message === 'string' ? p.message : ''
    if (p.mode === 'url') {
      if (!declared.elicitation?.url) throw undeclared('URL-mode elicitation')
      const u = checkedUrl(d, p.url)
      return { kind: 'elicitation', mode: 'url', message, url: u.href, url_host: u.host }
    }
    if (!declared.elicitation?.form && !(declared.elicitation && !declared.elicitation.url)) throw undeclared('form elicitation')
    const schema = p.requestedSchema
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) throw refused('a form without a requestedSchema')
    return { kind: 'elicitation', mode: 'form', message, requested_schema: schema as Record<string, unknown> }
  }
  if (method === 'sampling/createMessage') {
    if (!declared.sampling) throw undeclared('sampling')
    return { kind: 'sampling', params: p }
  }
  throw new AppError('upstream_error', `The MCP server sent a request the gateway cannot put to the user (${method.slice(0, 64)}).`, { upstream: { reason: 'bad_input_request' } })
}

const undeclared = (what: string) => new AppError('upstream_error', `The MCP server asked for ${what}, which the caller did not declare.`, { upstream: { reason: 'undeclared_capability' } })

type Violation = { path: string; message: string }

/**
 * Checks the answers to the outstanding requests; 400 with `errors` when the
 * keys differ or an answer is malformed. Returns them in the upstream's
 * shapes (ElicitResult, CreateMessageResult).
 */
export async function checkAnswers(requests: Record<string, InputRequest>, responses: Record<string, unknown>): Promise<Record<string, Record<string, unknown>>> {
  const errors: Violation[] = []
  for (const k of Object.keys(responses)) if (!(k in requests)) errors.push({ path: `/responses/${esc(k)}`, message: 'is not an outstanding input request' })
  for (const k of Object.keys(requests)) if (!(k in responses)) errors.push({ path: `/responses/${esc(k)}`, message: 'is required' })
  const out: Record<string, Record<string, unknown>> = {}
  if (!errors.length) {
    for (const [k, req] of Object.entries(requests)) {
      const at = `/responses/${esc(k)}`
      const r = responses[k] as Record<string, unknown>
      if (req.kind === 'elicitation') errors.push(...(await elicitation(req, r, at)))
      else errors.push(...sampling(r, at))
      out[k] = r
    }
  }
  if (errors.length) throw new AppError('invalid_request', `The responses are invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors })
  return out
}

const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1')

async function elicitation(req: InputRequest & { kind: 'elicitation' }, r: Record<string, unknown>, at: string): Promise<Violation[]> {
  const extra = Object.keys(r).filter((k) => k !== 'action' && k !== 'content')
  if (extra.length) return extra.map((k) => ({ path: `${at}/${esc(k)}`, message: 'is not a known field' }))
  if (r.action === 'decline' || r.action === 'cancel') return r.content === undefined ? [] : [{ path: `${at}/content`, message: 'is only for action "accept"' }]
  if (r.action !== 'accept') return [{ path: `${at}/action`, message: 'must be one of "accept", "decline", "cancel"' }]
  if (req.mode === 'url') return r.content === undefined ? [] : [{ path: `${at}/content`, message: 'is not taken for a URL-mode elicitation' }]
  if (!r.content || typeof r.content !== 'object' || Array.isArray(r.content)) return [{ path: `${at}/content`, message: 'must be an object' }]
  return schemaViolations(req.requested_schema, r.content, `${at}/content`)
}

function sampling(r: Record<string, unknown>, at: string): Violation[] {
  const errors: Violation[] = []
  if (r.role !== 'assistant' && r.role !== 'user') errors.push({ path: `${at}/role`, message: 'must be one of "assistant", "user"' })
  if (typeof r.model !== 'string' || !r.model) errors.push({ path: `${at}/model`, message: 'must be a non-empty string' })
  const content = r.content
  const block = (c: unknown) => Boolean(c && typeof c === 'object' && typeof (c as { type?: unknown }).type === 'string')
  if (!(block(content) || (Array.isArray(content) && content.length > 0 && content.every(block)))) errors.push({ path: `${at}/content`, message: 'must be a content block (e.g. {"type": "text", "text": "..."})' })
  if (r.stopReason !== undefined && typeof r.stopReason !== 'string') errors.push({ path: `${at}/stopReason`, message: 'must be a string' })
  return errors
}

/** The audit's word for a round's answer: what the user did, never what they said. */
export function answerKind(responses: Record<string, Record<string, unknown>>): 'answered' | 'declined' | 'cancelled' {
  const actions = Object.values(responses).map((r) => r.action)
  if (actions.includes('cancel')) return 'cancelled'
  if (actions.includes('decline')) return 'declined'
  return 'answered'
}
