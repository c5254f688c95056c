/**
 * Helpers for driving the gateway's OAuth connect flow in tests: register an
 * OAuth MCP, connect it (start → provider → callback page → complete), and
 * read what the gateway stored.
 */
import * as assert from 'uvu/assert'
import type { Gateway } from '../support/gateway.js'
import { followAuthorization } from './user-agent.js'
import { CONNS, connId, type ConnRec } from '../../shared/oauth/model.js'

export const APP = 'https://app.example.test'

/** The JSON outcome embedded in the callback page. */
export const outcome = (html: string) => JSON.parse(/<script type="application\/json" id="d">(.*?)<\/script>/s.exec(html)![1]!)

export async function registerOAuth(gw: Gateway, token: string, endpoint: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await gw.req('POST', '/mcps', { token, body: { name: 'protected', type: 'http', endpoint, auth_type: 'oauth', ...extra } })
  assert.is(r.status, 201, r.text)
  return r.json.id as string
}

/**
 * Lands on the gateway's callback (asserts the tokens are pending) and
 * confirms them as `token`, the user who started (asserts 200, connected).
 */
export async function finishOAuth(gw: Gateway, id: string, token: string, callback: URL) {
  const page = await gw.req('GET', callback.href)
  const o = outcome(page.text)
  assert.is(o.status, 'pending_confirmation', JSON.stringify(o))
  const c = await gw.req('POST', `/mcps/${id}/oauth/complete`, { token, body: { completion: o.completion } })
  assert.is(c.status, 200, c.text)
  assert.is(c.json.connection.state, 'connected')
  return { outcome: o, complete: c }
}

/** Start, follow the provider with a cookie jar, land on the gateway's callback and complete; asserts it connected. */
export async function connectOAuth(gw: Gateway, id: string, token: string) {
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token, body: {} })
  assert.is(s.status, 200, s.text)
  const cb = await followAuthorization(s.json.authorization_url)
  assert.is(cb.origin, new URL(gw.url).origin, 'the provider redirects to the gateway callback')
  const { outcome: o } = await finishOAuth(gw, id, token, cb)
  return { start: s.json, callback: cb, outcome: o }
}

/** The stored connection record (no tokens in it). */
export async function connRec(gw: Gateway, sub: string, mcpId: string) {
  return (await gw.deps.store()).get<ConnRec>(CONNS, connId(sub, mcpId))
}

/** The token bytes in the vault for a connection, as a string (to compare before/after). */
export async function storedTokens(gw: Gateway, sub: string, mcpId: string): Promise<string | null> {
  const c = await connRec(gw, sub, mcpId)
  if (!c) return null
  const raw = await (await gw.deps.vault()).get(c.data.secret_ref)
  return raw ? new TextDecoder().decode(raw) : null
}
