/**
 * OAuth's vault writes count against the user's per-minute quota too (against
 * oidc-provider and a protected MCP server): the registration's secret and the
 * connect's tokens take units, and a refresh past the quota is 429
 * rate_limited before anything reaches the provider, so the refresh token is
 * not spent and the stored tokens stay as they were.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { APP, connectOAuth, registerOAuth, storedTokens } from './oauth/gateway-flow.js'

const test = suite('quotas: OAuth vault writes')
let gw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let offset = 0

test.before(async () => {
  as = await startProvider({ accessTokenTtlSec: 3600 })
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway({ env: { APP_ORIGINS: APP, QUOTA_VAULT_WRITES_PER_MINUTE: '2' }, over: { clock: { now: () => Date.now() + offset } } })
})
test.after(async () => {
  await gw.close()
  await mcp.stop()
  await as.stop()
})

test('a refresh past the per-minute quota is 429 rate_limited, spends nothing at the provider, and works the next minute', async () => {
  const alice = await gw.token('alice')
  const id = await registerOAuth(gw, alice, mcp.url)
  // The gateway's registration (its client secret) and the connect's tokens: alice's 2 writes of this minute.
  as.setAccessTokenTtl(2)
  try {
    await connectOAuth(gw, id, alice)
  } finally {
    as.setAccessTokenTtl(3600)
  }
  as.reset()
  const tokens = await storedTokens(gw, 'alice', id)
  const echo = () => gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token: alice, body: { arguments: { message: 'hi' } } })

  const r = await echo()
  assert.is(r.status, 429, r.text)
  assert.is(r.json.code, 'rate_limited')
  assert.ok(Number(r.headers.get('retry-after')) >= 1)
  assert.is(as.grants.refresh_token, 0, 'nothing was sent to the provider')
  assert.is(await storedTokens(gw, 'alice', id), tokens, 'the stored tokens are untouched')

  // Another user's writes are their own.
  const bob = await gw.token('bob')
  const b = await gw.req('POST', '/mcps', { token: bob, body: { name: 'b', type: 'http', endpoint: mcp.url, auth_type: 'bearer', config: { token: 'bobs-token' } } })
  assert.is(b.status, 201, b.text)

  offset += 60_000
  const next = await echo()
  assert.is(next.status, 200, next.text)
  assert.is(as.grants.refresh_token, 1)
  assert.is.not(await storedTokens(gw, 'alice', id), tokens)
})

test.run()
