/**
 * The first-execute baseline (`node dist/bench/bare-call.js URL`): a bare script that
 * loads the MCP client SDK, connects over streamable HTTP, calls `echo` once, prints
 * the result's text and exits. The bench times it from spawn to that line.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'

const url = process.argv[2]
if (!url) throw new Error('usage: bare-call URL')
const client = new Client({ name: 'bare', version: '0' })
await client.connect(new StreamableHTTPClientTransport(new URL(url)))
const r = await client.callTool({ name: 'echo', arguments: { message: 'cold' } })
process.stdout.write(JSON.stringify(r.content) + '\n')
await client.close()
process.exit(0)
