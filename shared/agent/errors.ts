/**
 * A gateway refusal or upstream failure as the JSON-RPC error an agent gets:
 * the upstream's own JSON-RPC error passes through; a tool the policy refuses
 * says why (`data.code`: tool_not_approved, tool_denied...); nothing internal leaks.
 */
import { ProtocolError, type Server, type ServerContext } from '@modelcontextprotocol/server'
import { AppError, problem } from '../errors.js'
import { blockOf } from '../governance/gate.js'
import { sdkIfLoaded } from '../mcp/sdk.js'
import { INVALID_PARAMS } from '../mcp/refusal.js'

/** JSON-RPC 2.0 §5.1: -32000 to -32099 are for implementation-defined server errors. */
export const GATEWAY_ERROR = -32000

export function toRpc(e: unknown): ProtocolError {
  if (e instanceof ProtocolError) return e
  const sdk = sdkIfLoaded()
  for (let c: any = e, i = 0; c && i < 8; c = c.cause, i++) {
    if (sdk && c instanceof sdk.ProtocolError) return new ProtocolError(c.code, String(c.message).replace(/^MCP error -?\d+: /, ''), c.data)
  }
  const { body } = problem(e)
  const { type: _t, title: _ti, status, detail, ...rest } = body
  const block = blockOf(e)
  const code = e instanceof AppError && (e.code === 'not_found' || e.code === 'invalid_request') ? INVALID_PARAMS : GATEWAY_ERROR
  return new ProtocolError(code, String(detail), { ...rest, status, ...(block ? { code: block } : {}) })
}

/** Registers request handlers on `server` whose failures reach the agent as `toRpc` makes them. */
export const handlerOn = (server: Server) => (method: string, fn: (params: any, ctx: ServerContext) => Promise<any>) =>
  server.setRequestHandler(method as 'tools/list', (async (req: { params?: any }, ctx: ServerContext) => {
    try {
      return await fn(req.params, ctx)
    } catch (e) {
      throw toRpc(e)
    }
  }) as never)
