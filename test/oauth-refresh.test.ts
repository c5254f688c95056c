/**
 * Token refresh through the gateway, against oidc-provider's rotating refresh
 * tokens (a replayed one revokes the grant, so a duplicate refresh would log
 * the user out): single flight in one instance and across instances (the real
 * Firestore emulator), a refused refresh, a provider outage, upstream 401s and
 * step-up, none of which may loop.
 */
import { randomUUID } from 'node:crypto'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { emulatorFirestore, noEmulator, startFirestoreEmulator } from './support/firestore-emulator.js'
import { needs } from './support/components.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { APP, connRec, connectOAuth, registerOAuth, storedTokens } from './oauth/gateway-flow.js'
import { FirestoreStore } from '../shared/adapters/store-firestore.js'
import { load } from '../shared/registry/read.js'
import { _refreshAsInstance } from '../shared/oauth/refresh.js'
import { LEASES, connId, type LeaseRec } from '../shared/oauth/model.js'

const ALICE = { sub: 'alice', admin: false }
const echo = (gw: Gateway, id: string, token: string, message = 'hi') =>
  gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token, body: { arguments: { message } } })

// Started first: uvu begins running queued suites on the next tick.
const emu = await startFirestoreEmulator()

// ---------------------------------------------------------------- one instance
const one = suite('oauth refresh, one gateway instance')
let gw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let alice: string

one.before(async () => {
  as = await startProvider({ accessTokenTtlSec: 3600 })
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway({ env: { APP_ORIGINS: APP } })
  alice = await gw.token('alice')
})
one.after(async () => {
  await gw.close()
  await mcp.stop()
  await as.stop()
})

/** A connected MCP whose access token the gateway already considers expired (2 s left, under its 60 s skew). */
async function connectedExpiring(): Promise<string> {
  const id = await registerOAuth(gw, alice, mcp.url)
  as.setAccessTokenTtl(2)
  try {
    await connectOAuth(gw, id, alice)
  } finally {
    as.setAccessTokenTtl(3600)
  }
  as.reset()
  mcp.reset()
  return id
}

one('50 concurrent executions finding an expired token cause exactly 1 refresh, and all 50 answer 200', async () => {
  const id = await connectedExpiring()
  const before = (await connRec(gw, 'alice', id))!.data.generation
  const all = await Promise.all(Array.from({ length: 50 }, (_, i) => echo(gw, id, alice, `m${i}`)))
  assert.equal(all.map((r) => r.status), Array(50).fill(200), all.find((r) => r.status !== 200)?.text)
  assert.is(as.grants.refresh_token, 1, 'one refresh grant at the provider')
  assert.is(as.grantErrors.refresh_token, 0)
  assert.is((await connRec(gw, 'alice', id))!.data.generation, before + 1)
})

one('a refresh token the provider rejects: 409 with start_url and reason revoked, state revoked with last_error, no new token written', async () => {
  const id = await connectedExpiring()
  const tokens = await storedTokens(gw, 'alice', id)
  const c0 = (await connRec(gw, 'alice', id))!
  // The provider forgets the refresh token (as after a revocation or a replay elsewhere).
  const rt = await (as.provider as any).RefreshToken.find(JSON.parse(tokens!).refresh_token)
  assert.ok(rt, 'the provider knows the refresh token')
  await rt.destroy()

  const r = await echo(gw, id, alice)
  assert.is(r.status, 409, r.text)
  assert.is(r.json.code, 'authorization_required')
  assert.is(r.json.start_url, `/api/v1/mcps/${id}/oauth/start`)
  assert.is(r.json.reason, 'revoked')
  assert.is(as.grants.refresh_token, 1)
  assert.is(as.grantErrors.refresh_token, 1)

  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.status, 'needs_auth')
  assert.is(v.json.connection.state, 'revoked')
  assert.is(v.json.connection.connected, false)
  assert.is(v.json.connection.last_error, 'invalid_grant')
  assert.is(await storedTokens(gw, 'alice', id), tokens, 'the vault holds the same tokens')
  const c1 = (await connRec(gw, 'alice', id))!
  assert.is(c1.data.generation, c0.data.generation, 'no new generation')
  assert.is(c1.data.status, 'revoked')

  // Further calls answer 409 at once: no more refresh attempts.
  for (let i = 0; i < 3; i++) assert.is((await echo(gw, id, alice)).status, 409)
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 409)
  assert.is(as.grants.refresh_token, 1, 'a dead connection is not refreshed again')

  // Connecting again repairs it.
  await connectOAuth(gw, id, alice)
  assert.is((await echo(gw, id, alice)).status, 200)
})

one('a provider outage during refresh: 503 unavailable with Retry-After, tokens kept; once it is back the next call refreshes', async () => {
  const id = await connectedExpiring()
  const tokens = await storedTokens(gw, 'alice', id)
  const c0 = (await connRec(gw, 'alice', id))!
  as.setTokenEndpointFault(503)
  let r
  try {
    r = await echo(gw, id, alice)
  } finally {
    as.setTokenEndpointFault(null)
  }
  assert.is(r.status, 503, r.text)
  assert.is(r.json.code, 'unavailable')
  assert.ok(Number(r.headers.get('retry-after')) > 0, `Retry-After: ${r.headers.get('retry-after')}`)
  assert.is(as.faultedTokenRequests, 1, 'one attempt at the token endpoint, no retry storm')
  assert.is(await storedTokens(gw, 'alice', id), tokens, 'tokens kept')
  const c1 = (await connRec(gw, 'alice', id))!
  assert.is(c1.data.status, 'connected')
  assert.is(c1.data.generation, c0.data.generation)
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.status, 'ready', 'still connected: no reconnect asked of the user')

  const ok = await echo(gw, id, alice)
  assert.is(ok.status, 200, ok.text)
  assert.is(as.grants.refresh_token, 1)
  assert.is(as.grantErrors.refresh_token, 0)
  const c2 = (await connRec(gw, 'alice', id))!
  assert.is(c2.data.generation, c0.data.generation + 1)
  assert.is(c2.data.last_error, null)
})

one('an upstream 401 with an unexpired token refreshes once and retries; a second 401 is 409, never a loop', async () => {
  const id = await registerOAuth(gw, alice, mcp.url)
  await connectOAuth(gw, id, alice)
  assert.is((await echo(gw, id, alice)).status, 200, 'warm connection')
  as.reset()

  mcp.rejectNextAuth(1)
  const r = await echo(gw, id, alice)
  assert.is(r.status, 200, r.text)
  assert.is(as.grants.refresh_token, 1, 'refreshed once after the 401')

  as.reset()
  mcp.reset()
  mcp.rejectNextAuth(2)
  const twice = await echo(gw, id, alice)
  assert.is(twice.status, 409, twice.text)
  assert.is(twice.json.code, 'authorization_required')
  assert.is(twice.json.start_url, `/api/v1/mcps/${id}/oauth/start`)
  assert.is(as.grants.refresh_token, 1, 'one refresh, not one per 401')
  const posts = mcp.requests.filter((q) => q.method === 'POST').length
  assert.is(posts, 2, 'the call, and its one retry after the refresh')
  // The server accepts tokens again: the connection was never marked broken.
  as.reset()
  const after = await echo(gw, id, alice)
  assert.is(after.status, 200, after.text)
  assert.is(as.grants.refresh_token, 0)
})

one('step-up: a 403 insufficient_scope is 409 with required_scopes, and repeating it never refreshes or loops', async () => {
  const id = await registerOAuth(gw, alice, mcp.url)
  await connectOAuth(gw, id, alice)
  as.reset()
  mcp.reset()
  mcp.setRequiredScope('mcp:write')
  try {
    for (let i = 0; i < 3; i++) {
      const r = await echo(gw, id, alice)
      assert.is(r.status, 409, r.text)
      assert.is(r.json.code, 'authorization_required')
      assert.ok(Array.isArray(r.json.required_scopes) && r.json.required_scopes.includes('mcp:write'), r.text)
      assert.is(r.json.start_url, `/api/v1/mcps/${id}/oauth/start`)
    }
    assert.is(as.grants.refresh_token, 0, 'no refresh for a scope problem')
    const posts = mcp.requests.filter((q) => q.method === 'POST').length
    assert.is(posts, 3, 'one upstream POST per call')
  } finally {
    mcp.setRequiredScope(undefined)
  }
})

one.run()

// ----------------------------------------------------------- across instances
const many = needs(suite('oauth refresh across instances (Firestore emulator)'), emu ? null : noEmulator())
let gw2: Gateway
let as2: ProviderHandle
let mcp2: ProtectedMcpHandle
let firestore: Awaited<ReturnType<typeof emulatorFirestore>>

many.before(async () => {
  firestore = await emulatorFirestore(emu!)
  const store = new FirestoreStore({ projectId: emu!.projectId, prefix: `t${randomUUID().slice(0, 8)}_`, firestore })
  as2 = await startProvider({ accessTokenTtlSec: 3600 })
  mcp2 = await startProtectedMcp({ issuer: as2.issuer, jwksUrl: as2.jwksUrl })
  gw2 = await startGateway({ env: { APP_ORIGINS: APP }, over: { store: async () => store } })
})
many.after(async () => {
  await gw2?.close()
  await mcp2?.stop()
  await as2?.stop()
  await firestore?.terminate()
  await emu!.stop()
})

many('20 instances refreshing the same generation at once: 1 refresh grant, all get the same new generation', async () => {
  const token = await gw2.token('alice')
  const id = await registerOAuth(gw2, token, mcp2.url)
  await connectOAuth(gw2, id, token)
  const rec = await load(gw2.deps, ALICE, id)
  const c0 = (await connRec(gw2, 'alice', id))!
  as2.reset()
  const lives = await Promise.all(Array.from({ length: 20 }, () => _refreshAsInstance(gw2.deps, 'alice', rec, c0.data.generation)))
  assert.is(as2.grants.refresh_token, 1, 'one refresh grant at the provider')
  assert.is(as2.grantErrors.refresh_token, 0)
  const gens = new Set(lives.map((l) => l.conn.generation))
  assert.equal([...gens], [c0.data.generation + 1])
  assert.is(new Set(lives.map((l) => l.tokens.access_token)).size, 1, 'all hold the same access token')
  assert.is((await connRec(gw2, 'alice', id))!.data.generation, c0.data.generation + 1)
  // And the refreshed token works upstream.
  assert.is((await echo(gw2, id, token)).status, 200)
})

many('a refresh token the provider rejects, seen by 10 instances at once: one attempt, all answer authorization_required', async () => {
  const token = await gw2.token('alice')
  const id = await registerOAuth(gw2, token, mcp2.url)
  await connectOAuth(gw2, id, token)
  const rec = await load(gw2.deps, ALICE, id)
  const c0 = (await connRec(gw2, 'alice', id))!
  const tokens = await storedTokens(gw2, 'alice', id)
  await (await (as2.provider as any).RefreshToken.find(JSON.parse(tokens!).refresh_token)).destroy()
  as2.reset()
  const out = await Promise.allSettled(Array.from({ length: 10 }, () => _refreshAsInstance(gw2.deps, 'alice', rec, c0.data.generation)))
  assert.ok(out.every((o) => o.status === 'rejected' && (o.reason as any).code === 'authorization_required'), JSON.stringify(out.map((o) => o.status === 'rejected' ? (o.reason as any).code : 'ok')))
  assert.is(as2.grants.refresh_token, 1, 'waiters do not replay the dead refresh token')
  const c1 = (await connRec(gw2, 'alice', id))!
  assert.is(c1.data.status, 'revoked')
  assert.is(c1.data.generation, c0.data.generation)
  assert.is(await storedTokens(gw2, 'alice', id), tokens)
})

many('a provider outage seen by 5 instances at once: all unavailable, tokens kept, at most one attempt each', async () => {
  const token = await gw2.token('alice')
  const id = await registerOAuth(gw2, token, mcp2.url)
  await connectOAuth(gw2, id, token)
  const rec = await load(gw2.deps, ALICE, id)
  const c0 = (await connRec(gw2, 'alice', id))!
  const tokens = await storedTokens(gw2, 'alice', id)
  as2.reset()
  as2.setTokenEndpointFault(503)
  let out
  try {
    out = await Promise.allSettled(Array.from({ length: 5 }, () => _refreshAsInstance(gw2.deps, 'alice', rec, c0.data.generation)))
  } finally {
    as2.setTokenEndpointFault(null)
  }
  assert.ok(out.every((o) => o.status === 'rejected' && (o.reason as any).code === 'unavailable'))
  assert.ok(as2.faultedTokenRequests >= 1 && as2.faultedTokenRequests <= 5, String(as2.faultedTokenRequests))
  assert.is(await storedTokens(gw2, 'alice', id), tokens)
  const c1 = (await connRec(gw2, 'alice', id))!
  assert.is(c1.data.status, 'connected')
  assert.is(c1.data.generation, c0.data.generation)
})

many('a lease left by a crashed instance blocks refresh only until it expires', async () => {
  const token = await gw2.token('alice')
  const id = await registerOAuth(gw2, token, mcp2.url)
  await connectOAuth(gw2, id, token)
  const rec = await load(gw2.deps, ALICE, id)
  const c0 = (await connRec(gw2, 'alice', id))!
  const store = await gw2.deps.store()
  await store.transact(async (tx) => { tx.set<LeaseRec>(LEASES, connId('alice', id), { owner: 'crashed-instance', expires_at: Date.now() + 1500 }) })
  as2.reset()
  const t0 = Date.now()
  const l = await _refreshAsInstance(gw2.deps, 'alice', rec, c0.data.generation)
  assert.ok(Date.now() - t0 >= 1000, 'it waited for the lease')
  assert.is(l.conn.generation, c0.data.generation + 1)
  assert.is(as2.grants.refresh_token, 1)
})

many.run()
