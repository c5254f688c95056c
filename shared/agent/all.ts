/** `/api/v1/mcp`: every config the caller can use, as one MCP server. */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { Endpoint } from './serve.js'

export async function allEndpoint(_d: Deps, _caller: Caller): Promise<Endpoint> {
  throw new AppError('not_found', 'Not yet.')
}
