/**
 * What the gateway learned about an upstream, per caller and MCP: the protocol
 * era (a `server/discover` result, or "legacy") and the tool definitions. Kept
 * in memory (bounded) and in the store, so a cold instance skips the probe and
 * the tools/list it would otherwise need before validating arguments.
 * Never shared across users: the key is the caller's sub plus the config.
 */
import { createHash } from 'node:crypto'
import type { PriorDiscovery, Tool } from '@modelcontextprotocol/client'
import type { Deps } from '../deps.js'
import { Lru } from '../cache.js'
import { log, maskSecrets } from '../log.js'
import { track } from '../background.js'

export const MCP_STATE = 'mcp_state'

export interface UpstreamState {
  /** Config version the facts were learned for; others are ignored. */
  version: number
  era?: PriorDiscovery
  era_at?: number
  tools?: Tool[]
  tools_at?: number
  /** Server cache hint for tools/list, in ms (SEP-2549 `ttlMs`), if it gave one. */
  tools_ttl?: number
  expires_at: number
}

/** Legacy verdicts are re-checked daily (an upgraded server still answers initialize). */
export const ERA_TTL = 24 * 3600_000
/** Tool lists without a server hint are served from cache for a minute. */
export const TOOLS_TTL = 60_000
const KEEP = 7 * 24 * 3600_000
const MAX_TOOLS_BYTES = 256 * 1024

const mem = new Lru<UpstreamState | null>(2000)

export interface StateKey { sub: string; id: string; version: number }

const docId = (k: StateKey) => createHash('sha256').update(`${k.sub}\u0000${k.id}`).digest('hex').slice(0, 40)
const memKey = (k: StateKey) => `${k.sub}|${k.id}|${k.version}`

// Store reads in flight, by key: execute reads the state ahead of the connect (precompile), and the connect reads it too.
const reading = new Map<string, Promise<UpstreamState | null>>()

/** Memory first; on a miss, one store read (misses are remembered briefly too), shared by concurrent callers. */
export async function loadState(d: Deps, k: StateKey): Promise<UpstreamState | null> {
  const key = memKey(k)
  const hit = mem.get(key)
  if (hit !== undefined) return hit
  let p = reading.get(key)
  if (!p) {
    p = readState(d, k).finally(() => reading.delete(key))
    reading.set(key, p)
  }
  return p
}

async function readState(d: Deps, k: StateKey): Promise<UpstreamState | null> {
  let s: UpstreamState | null = null
  try {
    const rec = await (await d.store()).get<UpstreamState>(MCP_STATE, docId(k))
    s = rec && rec.data.version === k.version ? rec.data : null
  } catch (e) {
    log('WARNING', 'upstream state unreadable; probing instead', { error: String((e as Error)?.message) })
  }
  mem.set(memKey(k), s, 60_000)
  return s
}


/** Merge facts into memory now and into the store in the background (a cache: losing a write costs one probe). */
export function saveState(d: Deps, k: StateKey, patch: Partial<UpstreamState>): void {
  const now = d.clock.now()
  const prev = mem.get(memKey(k)) ?? null
  const next: UpstreamState = { ...(prev ?? {}), ...patch, version: k.version, expires_at: now + KEEP }
  const json = next.tools ? JSON.stringify(next.tools) : ''
  // A server may repeat the request's secrets in its definitions: never into a store document.
  const masked = maskSecrets(json)
  if (masked !== json) next.tools = JSON.parse(masked)
  if (next.tools && json.length > MAX_TOOLS_BYTES) {
    mem.set(memKey(k), next, KEEP)
    const { tools: _t, tools_at: _a, ...small } = next
    return track(persist(d, k, small))
  }
  mem.set(memKey(k), next, KEEP)
  track(persist(d, k, next))
}

async function persist(d: Deps, k: StateKey, s: UpstreamState) {
  try {
    const store = await d.store()
    await store.transact(async (tx) => tx.set(MCP_STATE, docId(k), s))
  } catch (e) {
    log('WARNING', 'upstream state not stored', { error: String((e as Error)?.message) })
  }
}

/**
 * Tool names this instance knows for the caller's other configs (memory only,
 * nothing is read for it): the scanner's `otherTools`. Keys are parsed from
 * the right, since ids and versions never hold `|` but a sub may.
 */
export function otherToolNames(sub: string, exceptId: string, max = 2000): string[] {
  const names = new Set<string>()
  for (const [key, s] of mem.entries()) {
    if (!s?.tools) continue
    const v = key.lastIndexOf('|'), i = key.lastIndexOf('|', v - 1)
    if (key.slice(0, i) !== sub || key.slice(i + 1, v) === exceptId) continue
    for (const t of s.tools) {
      if (names.size >= max) return [...names]
      if (typeof t.name === 'string') names.add(t.name)
    }
  }
  return [...names]
}

export function forgetState(d: Deps, k: StateKey, what: 'era' | 'tools'): void {
  const prev = mem.get(memKey(k))
  // Nothing to forget: no write (a server may say list_changed many times).
  if (!prev || (what === 'era' ? prev.era === undefined : prev.tools === undefined && prev.tools_ttl === undefined)) return
  const next = { ...prev }
  if (what === 'era') delete next.era, delete next.era_at
  else delete next.tools, delete next.tools_at, delete next.tools_ttl
  mem.set(memKey(k), next, KEEP)
  track(persist(d, k, next))
}

export const eraFresh = (s: UpstreamState | null | undefined, now: number) =>
  s?.era && s.era_at !== undefined && now - s.era_at < ERA_TTL ? s.era : undefined

export const toolsFresh = (s: UpstreamState | null | undefined, now: number) =>
  s?.tools && s.tools_at !== undefined && now - s.tools_at < (s.tools_ttl ?? TOOLS_TTL) ? s.tools : undefined

