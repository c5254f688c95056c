/** The MCP gateway's typed client: `new Gateway({baseUrl, token})`. */
export { Gateway, type GatewayOptions, type RequestOptions, type WriteOptions, type ExecuteOptions } from './gateway.js'
export { GatewayError, type Problem } from './errors.js'
export type { ConnectOptions, Connected, Redirecting } from './connect.js'
export type { StreamEvent } from './sse.js'
export type * from './types.js'
