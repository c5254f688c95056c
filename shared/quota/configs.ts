/**
 * Configs per tenant: a counter per user (`u:`) and per org (`o:`), changed in the
 * same transaction as the config itself, so the count is exact on every instance.
 * A tenant whose counter does not exist yet (configs from before quotas) is
 * counted once from its configs.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { Rec } from '../ports.js'
import { MCPS, type McpConfig } from '../registry/model.js'
import { QUOTAS, quotaId, type QuotaRec } from './model.js'

/** What `roomFor` found: the count to start from when the counter does not exist yet. */
export interface Room { tenant: string; limit: number; baseline: number }

const limitOf = (d: Deps, tenant: string) => (tenant.startsWith('o:') ? d.config.quotas.configsPerOrg : d.config.quotas.configsPerUser)

function full(r: Room): AppError {
  const org = r.tenant.startsWith('o:')
  // Nothing frees up by itself (deleting a config does, at once): Retry-After is a polite minute.
  return new AppError('quota_exceeded', `${org ? 'This org has' : 'You have'} reached the limit of ${r.limit} MCP servers; delete one to add another.`, {
    quota: { name: org ? 'configs_per_org' : 'configs_per_user', limit: r.limit },
    retry_after: 60,
  })
}

async function countConfigs(d: Deps, tenant: string): Promise<number> {
  const store = await d.store()
  let n = 0
  let cursor: string | undefined
  do {
    const page = await store.list<McpConfig>(MCPS, { where: { field: 'tenant', in: [tenant] }, limit: 1000, cursor })
    n += page.items.length
    cursor = page.next ?? undefined
  } while (cursor)
  return n
}

/** 429 `quota_exceeded` when the tenant is at its limit; checked before any secret is written. */
export async function roomFor(d: Deps, tenant: string): Promise<Room> {
  const c = await (await d.store()).get<QuotaRec>(QUOTAS, quotaId(tenant))
  const room: Room = { tenant, limit: limitOf(d, tenant), baseline: c ? 0 : await countConfigs(d, tenant) }
  if ((c?.data.configs ?? room.baseline) >= room.limit) throw full(room)
  return room
}

/** Creates the config and counts it, atomically; 429 when a concurrent create took the last place. */
export async function createCounted(d: Deps, room: Room, id: string, doc: McpConfig): Promise<Rec<McpConfig>> {
  const qid = quotaId(room.tenant)
  return (await d.store()).transact(async (tx) => {
    const c = await tx.get<QuotaRec>(QUOTAS, qid)
    const used = c?.data.configs ?? room.baseline
    if (used >= room.limit) throw full(room)
    if (await tx.get(MCPS, id)) throw new AppError('conflict', `${MCPS}/${id} already exists`)
    tx.set<QuotaRec>(QUOTAS, qid, { tenant: room.tenant, configs: used + 1, updated_at: d.clock.now() })
    tx.set<McpConfig>(MCPS, id, doc)
    return { id, data: doc, version: 1 }
  })
}

/** Deletes the config (if still at `version`) and frees its place, atomically; false if it was gone. */
export async function deleteCounted(d: Deps, id: string, version: number): Promise<boolean> {
  return (await d.store()).transact(async (tx) => {
    const cur = await tx.get<McpConfig>(MCPS, id)
    if (!cur) return false
    if (cur.version !== version) throw new AppError('precondition_failed', `${MCPS}/${id} has changed`)
    tx.delete(MCPS, id)
    const qid = quotaId(cur.data.tenant)
    const c = await tx.get<QuotaRec>(QUOTAS, qid)
    if (c) tx.set<QuotaRec>(QUOTAS, qid, { ...c.data, configs: Math.max(0, c.data.configs - 1), updated_at: d.clock.now() })
    return true
  })
}
