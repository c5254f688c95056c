/**
 * A server refusing what the caller named (a prompt, a resource, their
 * arguments) is the caller's to fix, never a 502: the server is fine. Told
 * apart by the JSON-RPC error code of the SDK's `ProtocolError` and by the
 * server's own lists, never by the error's text: the v1 SDK's servers answer
 * an unknown prompt, an unknown resource and a missing argument all with
 * -32602, so whether the server lists the name decides 404 or 400.
 */
import type { Prompt } from '@modelcontextprotocol/client'
import { AppError } from '../errors.js'
import type { Violation } from '../validate.js'
import { redact } from '../log.js'
import { sdkIfLoaded } from './sdk.js'

// JSON-RPC 2.0 §5.1; MCP "resource not found".
export const METHOD_NOT_FOUND = -32601
export const INVALID_PARAMS = -32602
export const RESOURCE_NOT_FOUND = -32002

/**
 * The JSON-RPC error the server answered with: the SDK's `ProtocolError`; or,
 * 2026-07-28 over HTTP, where a request the server routes nowhere is answered
 * with an HTTP status and a JSON-RPC error body (-32601 as 404), the error in
 * that body, which the SDK reports as an `SdkHttpError` without reading it.
 */
export function rpcError(e: unknown): { code: number; message: string } | undefined {
  const sdk = sdkIfLoaded()
  if (!sdk) return undefined
  if (e instanceof sdk.ProtocolError) return typeof e.code === 'number' ? { code: e.code, message: e.message } : undefined
  const text = e instanceof sdk.SdkHttpError ? (e.data as { text?: unknown } | undefined)?.text : undefined
  if (typeof text !== 'string' || text.length > 65536) return undefined
  try {
    const m = JSON.parse(text) as { jsonrpc?: unknown; error?: { code?: unknown; message?: unknown } } | null
    if (m?.jsonrpc === '2.0' && Number.isInteger(m.error?.code)) return { code: m.error!.code as number, message: String(m.error!.message ?? '') }
  } catch {
    /* not a JSON-RPC answer */
  }
  return undefined
}

export const rpcCode = (e: unknown): number | undefined => rpcError(e)?.code

/** Something a listing could not do, said beside the (partial) answer. */
export interface Warning {
  code: 'method_not_found' | 'not_supported'
  method: string
  message: string
}

/**
 * A list the server declares but does not serve (it answers `method` with
 * -32601) lists as empty, with a warning saying so.
 */
export async function orEmpty<T>(p: Promise<T[]>, method: string, warnings: Warning[]): Promise<T[]> {
  try {
    return await p
  } catch (e) {
    if (rpcCode(e) !== METHOD_NOT_FOUND) throw e
    warnings.push({ code: 'method_not_found', method, message: `The MCP server does not answer ${method} (JSON-RPC -32601) although it declares the capability; listed as empty.` })
    return []
  }
}

const quoted = (s: string) => JSON.stringify(s.slice(0, 128))

/** The server's words (secrets masked, cut short) and the problem members that carry them, `upstream: {code, message}`. */
function said(e: unknown): { message: string; extra: Record<string, unknown> } {
  const rpc = rpcError(e)!
  // The SDK puts "MCP error <code>: " before the server's own message.
  const message = redact(rpc.message.replace(/^MCP error -?\d+: /, '')).slice(0, 500)
  return { message, extra: { upstream: { code: rpc.code, message } } }
}

/** The prompt's required arguments that `given` lacks, as violations of the request body. */
export function missingArguments(p: Prompt, given: Record<string, unknown> | undefined): Violation[] {
  const pointer = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1')
  return (p.arguments ?? []).filter((a) => a.required && given?.[a.name] === undefined).map((a) => ({ path: `/arguments/${pointer(a.name)}`, message: 'is required' }))
}

/** A method the server declares (by its capability) but does not answer: as if it had not declared it, 404. */
function unanswered(e: unknown, method: string): void {
  if (rpcCode(e) !== METHOD_NOT_FOUND) return
  throw new AppError('not_found', `The MCP server does not answer ${method} (JSON-RPC -32601).`, said(e).extra)
}

/** The lists a refusal is judged against; undefined when they could not be had (the refusal is then a 400). */
type Lister<T> = () => Promise<T[] | undefined>

/**
 * `prompts/get` refused: 404 for a prompt the server does not list (invalid
 * params), or when it does not answer prompts/get at all; else 400 with the required arguments that are missing, or with
 * the server's words.
 */
export async function promptRefused(e: unknown, name: string, given: Record<string, string> | undefined, prompts: Lister<Prompt>): Promise<never> {
  unanswered(e, 'prompts/get')
  if (rpcCode(e) !== INVALID_PARAMS) throw e
  const { message, extra } = said(e)
  const listed = await prompts()
  const p = listed?.find((x) => x.name === name)
  if (listed && !p) throw new AppError('not_found', `The MCP server has no prompt named ${quoted(name)}.`, extra)
  const missing = p ? missingArguments(p, given) : []
  throw new AppError('invalid_request', `The MCP server refused the arguments: ${message}`, {
    ...extra,
    errors: missing.length ? missing : [{ path: '/arguments', message: `were refused by the MCP server: ${message}` }],
  })
}

/**
 * `resources/read` refused: 404 for MCP's resource-not-found, for invalid
 * params about a URI the server does not list (the v1 SDK's "not found"), and
 * when it does not answer resources/read at all; 400 for a URI it lists.
 */
export async function resourceRefused(e: unknown, uri: string, uris: Lister<string>): Promise<never> {
  unanswered(e, 'resources/read')
  const code = rpcCode(e)
  if (code !== INVALID_PARAMS && code !== RESOURCE_NOT_FOUND) throw e
  const { message, extra } = said(e)
  if (code === RESOURCE_NOT_FOUND || (await uris())?.includes(uri) === false) throw new AppError('not_found', `The MCP server has no such resource: ${message}`, extra)
  throw new AppError('invalid_request', `The MCP server refused the parameters: ${message}`, { ...extra, errors: [{ path: '/uri', message: `was refused by the MCP server: ${message}` }] })
}

/**
 * `completion/complete` refused with invalid params: 404 when the server
 * lists no such prompt or resource template; 400 otherwise.
 */
export async function completionRefused(e: unknown, ref: { type: string; name?: string; uri?: string }, known: Lister<string>): Promise<never> {
  if (rpcCode(e) !== INVALID_PARAMS) throw e
  const { message, extra } = said(e)
  const key = ref.type === 'ref/prompt' ? ref.name! : ref.uri!
  if ((await known())?.includes(key) === false) {
    throw new AppError('not_found', `The MCP server has no ${ref.type === 'ref/prompt' ? 'prompt named' : 'resource or resource template'} ${quoted(key)}.`, extra)
  }
  throw new AppError('invalid_request', `The MCP server refused the completion request: ${message}`, {
    ...extra,
    errors: [{ path: '/argument', message: `was refused by the MCP server: ${message}` }],
  })
}
