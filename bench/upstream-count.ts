/** Item 2: upstream HTTP requests per gateway call, as the instrumented test server saw them. */
import type { TestServerHandle, RecordedRequest } from '../test/servers/tools.js'
import { ECHO, type Api } from './api.js'
import { sleep } from './stats.js'

export interface PathCount {
  calls: number
  /** POSTs per call */
  posts: number
  /** every HTTP request per call, by method (GET streams, DELETE session ends) */
  by_method: Record<string, number>
  /** JSON-RPC methods of one call, in order */
  jsonrpc: string[]
}
export interface UpstreamCount {
  server: string
  /** First call ever for a freshly registered MCP: the era probe and a tools/list are unavoidable. */
  cold: PathCount
  /** First call on a new instance for an MCP the store already knows (era and tools persisted). */
  cold_instance?: PathCount
  warm: PathCount
}

// Session DELETEs are sent after the response, without waiting: let them land.
const SETTLE_MS = 100

function count(reqs: RecordedRequest[], calls: number): PathCount {
  const by: Record<string, number> = {}
  for (const r of reqs) by[r.method] = (by[r.method] ?? 0) + 1
  for (const [k, n] of Object.entries(by)) by[k] = n / calls
  return { calls, posts: by.POST ?? 0, by_method: by, jsonrpc: [] }
}

export async function upstreamCount(a: Api, server: string, up: TestServerHandle, warmCalls: number, restart?: () => Promise<void>): Promise<UpstreamCount> {
  const id = await a.register(`count-${server}`, up.url)
  up.reset()
  if (!(await a.execute(id, 'echo', ECHO))) throw new Error(`cold execute on ${server} failed`)
  await sleep(SETTLE_MS)
  const cold = count(up.requests, 1)
  cold.jsonrpc = up.requests.flatMap((r) => r.jsonrpcMethods)
  up.reset()
  let firstWarm: string[] = []
  for (let i = 0; i < warmCalls; i++) {
    if (!(await a.execute(id, 'echo', ECHO))) throw new Error(`warm execute on ${server} failed`)
    if (i === 0) { await sleep(SETTLE_MS); firstWarm = up.requests.flatMap((r) => r.jsonrpcMethods) }
  }
  await sleep(SETTLE_MS)
  const warm = count(up.requests, warmCalls)
  warm.jsonrpc = firstWarm
  let coldInstance: PathCount | undefined
  if (restart) {
    await restart()
    up.reset()
    if (!(await a.execute(id, 'echo', ECHO))) throw new Error(`cold-instance execute on ${server} failed`)
    await sleep(SETTLE_MS)
    coldInstance = count(up.requests, 1)
    coldInstance.jsonrpc = up.requests.flatMap((r) => r.jsonrpcMethods)
  }
  return { server, cold, ...(coldInstance ? { cold_instance: coldInstance } : {}), warm }
}
