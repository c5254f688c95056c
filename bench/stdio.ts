/** Item 7: a warm pool call against a spawn-per-call, and against the same server over streamable HTTP. */
import { Client } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { createRequire } from 'node:module'
import { interleave, type Summary } from './stats.js'
import type { Api } from './api.js'

export interface StdioResult {
  pool_warm: Summary
  spawn_per_call: Summary
  http_warm: Summary
  /** spawn-per-call p50 / pool warm p50 */
  ratio: number
  /** pool warm p50 − streamable HTTP p50, ms */
  delta_vs_http_ms: number
}

const script = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js')

/** What a gateway without a pool would do: spawn, initialize, call, exit. */
async function spawnPerCall(): Promise<void> {
  const client = new Client({ name: 'bench', version: '1' }, { capabilities: {} })
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [script, 'stdio'] }))
  try {
    await client.callTool({ name: 'echo', arguments: { message: 'bench' } })
  } finally {
    await client.close()
  }
}

export async function stdioBench(a: Api, stdioId: string, httpId: string, o: { rounds: number; warmup: number; spawnRounds: number }): Promise<StdioResult> {
  const warm = await interleave(
    {
      pool_warm: async () => { if (!(await a.execute(stdioId, 'echo', { message: 'bench' }))) throw new Error('pool execute failed') },
      http_warm: async () => { if (!(await a.execute(httpId, 'echo', { message: 'bench' }))) throw new Error('http execute failed') },
    },
    o,
  )
  // Spawning costs hundreds of ms: fewer rounds, measured on their own.
  const spawn = await interleave({ spawn_per_call: spawnPerCall }, { rounds: o.spawnRounds, warmup: 1 })
  return {
    pool_warm: warm.pool_warm,
    http_warm: warm.http_warm,
    spawn_per_call: spawn.spawn_per_call,
    ratio: spawn.spawn_per_call.p50 / warm.pool_warm.p50,
    delta_vs_http_ms: warm.pool_warm.p50 - warm.http_warm.p50,
  }
}
