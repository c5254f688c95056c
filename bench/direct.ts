/**
 * Direct SDK clients to the same upstream, the baselines for `execute`:
 * a warm session (connect once, call many times) and a short-lived one
 * (connect + call + close per call, like a naive per-request client).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { ECHO } from './api.js'

export type Era = 'legacy' | 'modern'
const INFO = { name: 'bench-direct', version: '0' }
const TIMEOUT_MS = 15_000

async function open(url: string, era: Era): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url))
  const client = new Client(INFO, { capabilities: {}, ...(era === 'modern' ? { versionNegotiation: { mode: 'auto' as const } } : {}) })
  await client.connect(transport, { timeout: TIMEOUT_MS })
  return { client, transport }
}

async function echo(client: Client): Promise<boolean> {
  const r = await client.callTool({ name: 'echo', arguments: ECHO }, { timeout: TIMEOUT_MS })
  return r.isError !== true
}

/** Releases the upstream session (legacy) without waiting, as the gateway does. */
function release(c: { client: Client; transport: StreamableHTTPClientTransport }): void {
  if (c.transport.sessionId) void c.transport.terminateSession().catch(() => {}).finally(() => c.client.close().catch(() => {}))
  else void c.client.close().catch(() => {})
}

export interface Warm {
  call(): Promise<boolean>
  close(): Promise<void>
}

export async function warmClient(url: string, era: Era): Promise<Warm> {
  const c = await open(url, era)
  return {
    call: () => echo(c.client),
    async close() {
      if (c.transport.sessionId) await c.transport.terminateSession().catch(() => {})
      await c.client.close().catch(() => {})
    },
  }
}

export async function shortLivedCall(url: string, era: Era): Promise<boolean> {
  const c = await open(url, era)
  try {
    return await echo(c.client)
  } finally {
    release(c)
  }
}
