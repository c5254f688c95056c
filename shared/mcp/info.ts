/** How the gateway names itself to MCP servers (clientInfo). */
export const GATEWAY_INFO = { name: 'mcp-gateway-gcp', version: '0.1.0' }
