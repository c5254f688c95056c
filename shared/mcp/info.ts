/** How the gateway names itself to MCP servers (clientInfo). */
import { NAME, VERSION } from '../version.js'

export const GATEWAY_INFO = { name: NAME, version: VERSION }
