/**
 * Tool definitions per caller and MCP version, so execute can validate
 * arguments without a tools/list round trip on a warm instance. Bounded; a
 * miss or an unknown tool name refreshes once.
 */
import type { Tool } from '@modelcontextprotocol/client'
import { Lru } from '../cache.js'

const TTL = 60_000
const cache = new Lru<Map<string, Tool>>(1000)

export function rememberTools(key: string, tools: Tool[]): Map<string, Tool> {
  const m = new Map(tools.map((t) => [t.name, t]))
  cache.set(key, m, TTL)
  return m
}

export const cachedTools = (key: string) => cache.get(key)
export const forgetTools = (key: string) => cache.delete(key)
