/**
 * Ending connections: a user's disconnect (revoking at the provider where it
 * offers RFC 7009 revocation), and every user's when a config is deleted.
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { log } from '../log.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import { CONNS, LEASES, connId, type ConnRec } from './model.js'
import { decodeTokens, forgetConnection } from './tokens.js'
import { revoke, type Revocation } from './revoke.js'

/**
 * Disconnect: revoke at the provider (RFC 7009), then delete the secret and
 * the record whatever it answered. Says whether the provider confirmed the
 * revocation; nothing to revoke (not connected) counts as revoked.
 */
export async function disconnect(d: Deps, caller: Caller, rec: Rec<McpConfig>): Promise<Revocation> {
  const store = await d.store()
  const vault = await d.vault()
  const id = connId(caller.sub, rec.id)
  const c = await store.get<ConnRec>(CONNS, id)
  forgetConnection(id)
  if (!c) return { revoked: true }
  const raw = await vault.get(c.data.secret_ref).catch(() => null)
  const r: Revocation = raw ? await revoke(d, c.data, rec.data, decodeTokens(raw)) : { revoked: true }
  if (!r.revoked) log('WARNING', 'token revocation failed', { reason: r.reason, ...(r.provider_status ? { status: r.provider_status } : {}), mcp_id: rec.id })
  await store.delete(CONNS, id)
  await store.delete(LEASES, id).catch(() => false)
  await vault.delete(c.data.secret_ref)
  return r
}

/** Deleting an MCP server deletes every user's connection to it. */
export async function deleteConnectionsOf(d: Deps, mcpId: string): Promise<void> {
  const store = await d.store()
  const vault = await d.vault()
  let cursor: string | undefined
  for (let page = 0; page < 100; page++) {
    const p = await store.list<ConnRec>(CONNS, { where: { field: 'mcp_id', in: [mcpId] }, limit: 100, cursor })
    for (const c of p.items) {
      forgetConnection(c.id)
      await store.delete(CONNS, c.id)
      await vault.delete(c.data.secret_ref).catch(() => {})
    }
    if (!p.next) break
    cursor = p.next
  }
}
