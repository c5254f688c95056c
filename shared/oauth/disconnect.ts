/**
 * Ending connections: a user's disconnect (revoking at the provider where it
 * offers RFC 7009 revocation), and every user's when a config is deleted.
 */
import type { OAuthTokens } from '@modelcontextprotocol/client'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import type { Rec } from '../ports.js'
import type { McpDoc } from '../registry/model.js'
import { readSecrets } from '../registry/service.js'
import { CONNS, LEASES, connId, type ConnRec } from './model.js'
import { clientInfo } from './client.js'
import { oauthFetch, storedEndpoint } from './fetch.js'
import { decodeTokens, forgetConnection } from './tokens.js'

/** Disconnect: revoke at the provider where it offers revocation (RFC 7009), delete the secret and the record. */
export async function disconnect(d: Deps, caller: Caller, rec: Rec<McpDoc>): Promise<void> {
  const store = await d.store()
  const vault = await d.vault()
  const id = connId(caller.sub, rec.id)
  const c = await store.get<ConnRec>(CONNS, id)
  forgetConnection(id)
  if (!c) return
  const raw = await vault.get(c.data.secret_ref).catch(() => null)
  if (raw && c.data.as.revocation_endpoint) {
    // Revocation is a courtesy to the provider: the connection goes either way.
    await revoke(d, c.data, rec.data, decodeTokens(raw)).catch((e) =>
      log('WARNING', 'token revocation failed', { reason: e instanceof AppError ? e.code : 'network', mcp_id: rec.id }))
  }
  await store.delete(CONNS, id)
  await store.delete(LEASES, id).catch(() => false)
  await vault.delete(c.data.secret_ref)
}

/** RFC 7009 revocation of a token set (refresh token first), at the server that issued it. */
export async function revoke(d: Deps, c: Pick<ConnRec, 'client' | 'as' | 'mcp_id'>, doc: McpDoc, t: OAuthTokens): Promise<void> {
  const endpoint = storedEndpoint(d, c.as.revocation_endpoint!, 'revocation endpoint')
  const info = await clientInfo(d, c.client, doc, await readSecrets(d, doc))
  const fetch = oauthFetch(d)
  for (const [token, hint] of [[t.refresh_token, 'refresh_token'], [t.access_token, 'access_token']] as const) {
    if (!token) continue
    const body = new URLSearchParams({ token, token_type_hint: hint, client_id: info.client_id })
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
    if ('client_secret' in info && info.client_secret) {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(info.client_id)}:${encodeURIComponent(info.client_secret)}`).toString('base64')}`
      body.delete('client_id')
    }
    const res = await fetch(endpoint, { method: 'POST', headers, body: body.toString(), signal: AbortSignal.timeout(10_000) })
    await res.body?.cancel().catch(() => {})
    if (!res.ok) log('WARNING', 'token revocation refused', { status: res.status, mcp_id: c.mcp_id })
  }
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
