/**
 * SSRF: a corpus of URLs that must never be reached (test/support/ssrf-corpus.ts)
 * tried at every place the gateway fetches something for a user: registration,
 * MCP POST and GET at call time, redirects, SSE `endpoint` events, protected
 * resource metadata (hint and well-known), authorization server metadata,
 * dynamic client registration, token (code exchange and refresh) and
 * revocation endpoints. The gateway runs in production mode (its egress rules:
 * https only, public addresses only) with local adapters; the hostile upstream
 * sits on the one address the allowlist admits (127.0.0.2) and the canary, a
 * TCP listener on 127.0.0.1 and ::1, counts every connection that reaches it.
 * Each URL must be refused by the policy (not merely fail), and nothing may
 * reach the canary.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { corpus, RESOLVES, type CorpusUrl } from './support/ssrf-corpus.js'
import { startSsrfUpstream, type SsrfUpstream } from './servers/ssrf-upstream.js'
import { startModernServer, type ModernServerHandle } from './servers/modern.js'
import { outcome } from './oauth/gateway-flow.js'
import { rejects } from './support/assert.js'
import { parseConfig } from '../shared/config.js'
import { policyOf } from '../shared/egress/policy.js'
import type { Lookup } from '../shared/egress/fetch.js'
import { localKeys, makeVerifier, type Verify } from '../shared/auth/caller.js'
import { loadOrCreateLocalKey } from '../shared/auth/local-key.js'
import { MCPS, type McpConfig } from '../shared/registry/model.js'
import { STATES, type AsInfo, type StateRec } from '../shared/oauth/model.js'
import { activateConnection } from '../shared/oauth/tokens.js'
import { savePending } from '../shared/oauth/pending.js'
import { PENDING, completionKey, type PendingRec } from '../shared/oauth/model.js'
import type { OAuthTokens } from '@modelcontextprotocol/client'
import type { Deps } from '../shared/deps.js'

/** A confirmed connection, as the callback and oauth/complete leave it. */
async function saveConnection(d: Deps, s: StateRec, doc: McpConfig, t: OAuthTokens): Promise<void> {
  const completion = await savePending(d, s, doc, t)
  const p = await (await d.store()).take<PendingRec>(PENDING, completionKey(completion))
  await activateConnection(d, p!)
}
import { resolveClient } from '../shared/oauth/client.js'
import { oauthFetch } from '../shared/oauth/fetch.js'

/** The hostile upstream's address: the allowlist admits it (every port), nothing else on loopback. */
const UPSTREAM_HOST = '127.0.0.2'
const SUB = 'mallory'
const ISSUER = 'urn:ssrf-suite'
/** Never fetched by the gateway: only a user's browser goes to an authorization endpoint. */
const AS = 'https://auth.example.com'

interface Canary {
  port: number
  hits: string[]
  /** The next hit. */
  next(): Promise<string>
  close(): Promise<void>
}

/** Counts TCP connections (plain or TLS alike) on 127.0.0.1 and ::1, on one port. */
async function startCanary(): Promise<Canary> {
  const hits: string[] = []
  let waiting: Array<(hit: string) => void> = []
  const listen = (host: string, port: number) => new Promise<Server>((resolve, reject) => {
    const s = createServer((sock: Socket) => {
      const hit = `${host} <- ${sock.remoteAddress}`
      hits.push(hit)
      for (const w of waiting) w(hit)
      waiting = []
      sock.destroy()
    })
    s.once('error', reject)
    s.listen(port, host, () => resolve(s))
  })
  for (let attempt = 0; attempt < 5; attempt++) {
    const v4 = await listen('127.0.0.1', 0)
    const port = (v4.address() as { port: number }).port
    const v6 = await listen('::1', port).catch(() => null)
    if (!v6) { v4.close(); continue } // the port is taken on ::1: another one
    return { port, hits, next: () => new Promise((r) => waiting.push(r)), close: async () => { await Promise.all([v4, v6].map((s) => new Promise((r) => s.close(r)))) } }
  }
  throw new Error('no port free on both 127.0.0.1 and ::1')
}

/** The test's resolver: public-looking names that answer with private addresses. */
const lookup: Lookup = async (host) => {
  const addrs = RESOLVES[host.toLowerCase().replace(/\.$/, '')]
  if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
  return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
}

const test = suite('ssrf')
let gw: Gateway
let canary: Canary
let up: SsrfUpstream
let mcp: ModernServerHandle
let token: string
let urls: CorpusUrl[]
let seq = 0
const table: Array<{ site: string; tried: number; hits: number }> = []

test.before(async () => {
  canary = await startCanary()
  urls = corpus(canary.port)
  ;[up, mcp] = await Promise.all([startSsrfUpstream(urls.map((u) => u.url), UPSTREAM_HOST), startModernServer()])
  let verifier: Verify | undefined
  gw = await startGateway({
    env: {
      GATEWAY_MODE: 'production', STORE: 'local', VAULT: 'local', AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: 'ssrf-suite',
      // The upstream's address for every port; loopback only on the real MCP server's port.
      EGRESS_ALLOWLIST: `${UPSTREAM_HOST},127.0.0.1:${mcp.port}`,
      // One user connects the corpus twice over (refresh, revocation): far past the default vault writes a minute.
      QUOTA_VAULT_WRITES_PER_MINUTE: '100000', QUOTA_CONFIGS_PER_USER: '100000',
    },
    over: {
      lookup,
      // Production verifies callers against a remote JWKS; here, against the local key that gw.token signs with.
      verify: async (h) => (verifier ??= makeVerifier(gw.deps.config.auth, localKeys((await loadOrCreateLocalKey(gw.dataDir)).publicJwk)))(h),
    },
  })
  token = await gw.token(SUB)
})

test.after(async () => {
  if (table.length) {
    console.log(`\n  SSRF corpus: ${urls.length} URLs; canary connections per fetch site:`)
    for (const r of table) console.log(`    ${r.site.padEnd(58)} ${String(r.tried).padStart(4)} tried  ${r.hits} hits`)
  }
  await gw?.close()
  await Promise.allSettled([up?.stop(), mcp?.stop(), canary?.close()])
})

// --- helpers ------------------------------------------------------------------

const register = (body: Record<string, unknown>) => gw.req('POST', '/mcps', { token, body: { name: 'ssrf', auth_type: 'none', ...body } })
const execute = (id: string) => gw.req('POST', `/mcps/${id}/tools/echo/execute`, { token, body: { arguments: { message: 'x' } } })
const startOAuth = (id: string) => gw.req('POST', `/mcps/${id}/oauth/start`, { token, body: {} })
const show = (r: Res) => `${r.status} ${r.json?.code ?? ''} ${r.json?.upstream?.reason ?? ''} ${r.json?.detail ?? r.text.slice(0, 120)}`.trim()

/** Refusals the policy gives (as opposed to a failed connection). */
const POLICY = /must use https|must not contain credentials|private or reserved|metadata server|not a valid URL/
const refused400 = (r: Res, path: string) => r.status === 400 && r.json?.code === 'invalid_request' && r.json.errors?.[0]?.path === path
const denied = (r: Res) => r.status === 403 && r.json?.code === 'egress_denied'
const oauthRefused = (r: Res) => r.status === 502 && r.json?.upstream?.reason === 'oauth_metadata_invalid' && POLICY.test(r.json.detail)
/** A redirect or SSE endpoint on another origin that the static check admits: never followed, so never resolved. */
const notFollowed = (r: Res) => r.status === 502 && r.json?.code === 'upstream_error'

/** A config written straight to the store: what a policy tightened since registration, or an older version, left behind. */
async function seed(doc: Pick<McpConfig, 'type' | 'endpoint'> & Partial<McpConfig>): Promise<string> {
  const id = `ssrf-${++seq}`
  const now = Date.now()
  await (await gw.deps.store()).create<McpConfig>(MCPS, id, {
    name: 'seeded', auth_type: 'none', scope: 'user', tenant: `u:${SUB}`, owner_id: SUB, org_id: null,
    config: { timeout_ms: 5000 }, secret_ref: null, has_token: false, secret_header_names: [], status: 'ready', created_at: now, updated_at: now,
    ...doc,
  })
  return id
}

const asInfo = (over: Partial<AsInfo>): AsInfo => ({
  issuer: null, authorization_endpoint: `${AS}/authorize`, token_endpoint: `${AS}/token`, revocation_endpoint: null,
  token_endpoint_auth_methods_supported: null, iss_parameter_supported: false, ...over,
})

/** An OAuth config with a pre-registered client and an authorization request in flight whose AS is `as`. */
async function seedState(as: AsInfo): Promise<{ id: string; state: string; rec: StateRec; doc: McpConfig }> {
  const id = await seed({ type: 'http', endpoint: `${up.origin}/as/0`, auth_type: 'oauth', status: 'needs_auth', config: { timeout_ms: 5000, oauth: { client_id: 'ssrf-client' } } })
  const state = `s${String(++seq).padStart(42, '0')}`
  const rec: StateRec = {
    sub: SUB, mcp_id: id, verifier: 'v'.repeat(43), as, client: { kind: 'preregistered' }, redirect_uri: `${gw.base}/oauth/callback`,
    resource: `${up.origin}/as/0`, scope: null, return_to: null, app_origin: null, expires_at: Date.now() + 600_000,
  }
  await (await gw.deps.store()).create<StateRec>(STATES, state, rec)
  const doc = (await (await gw.deps.store()).get<McpConfig>(MCPS, id))!.data
  return { id, state, rec, doc }
}

const logCount = (message: string, reason: string) => gw.logs.filter((l) => l.includes(message) && l.includes(`"reason":"${reason}"`)).length

/**
 * Tries every corpus URL at one site: `run` answers whether the gateway
 * refused it as it must, and what it did. Fails with the list of URLs that
 * were not refused, or with the canary's hits.
 */
async function everywhere(site: string, run: (u: CorpusUrl, i: number) => Promise<{ ok: boolean; got: string }>) {
  const before = canary.hits.length
  const wrong: string[] = []
  for (const [i, u] of urls.entries()) {
    const v = await run(u, i)
    if (!v.ok) wrong.push(`${u.url} → ${v.got}`)
  }
  const hits = canary.hits.length - before
  table.push({ site, tried: urls.length, hits })
  assert.is(hits, 0, `${site}: the canary was reached: ${canary.hits.slice(before).join(', ')}`)
  assert.equal(wrong, [], `${site}: ${wrong.length} of ${urls.length} URLs not refused as they must be:\n${wrong.join('\n')}`)
}

// --- the set-up proves itself -------------------------------------------------

test('the corpus holds over 60 URLs, the gateway runs production egress rules, and the canary counts what reaches it', async () => {
  assert.ok(urls.length >= 60, String(urls.length))
  assert.equal(policyOf(gw.deps), policyOf({ config: parseConfig({ GATEWAY_MODE: 'production', EGRESS_ALLOWLIST: `${UPSTREAM_HOST},127.0.0.1:${mcp.port}` }) }))
  assert.is(gw.deps.config.mode, 'production')
  const before = canary.hits.length
  for (const host of ['127.0.0.1', '::1']) {
    const seen = canary.next()
    await new Promise<void>((resolve, reject) => {
      const c = connect(canary.port, host, () => { c.destroy(); resolve() })
      c.once('error', reject)
    })
    assert.is(await seen, `${host} <- ${host}`)
  }
  // Its own two: not counted against any fetch site.
  canary.hits.splice(before, 2)
})

test('the allowlist admits the real MCP server on its port (127.0.0.1:port) and the hostile upstream; the canary\'s port stays closed', async () => {
  const r = await register({ type: 'http', endpoint: mcp.url })
  assert.is(r.status, 201, r.text)
  const x = await execute(r.json.id)
  assert.is(x.status, 200, x.text)
  assert.is(x.json.content[0].text, 'Echo: x')
  const other = await register({ type: 'http', endpoint: `http://127.0.0.1:${canary.port}/mcp` })
  assert.ok(refused400(other, '/endpoint'), show(other))
  const h = await register({ type: 'http', endpoint: `${up.origin}/redirect/0` })
  assert.is(h.status, 201, h.text)
  assert.is(canary.hits.length, 0)
})

// --- registration ---------------------------------------------------------------

for (const type of ['http', 'sse'] as const) {
  test(`registration (POST /mcps, type ${type}): 400, or for a name resolved later, 403 egress_denied when called`, async () => {
    await everywhere(`registration, type ${type}`, async (u) => {
      const r = await register({ type, endpoint: u.url })
      if (!u.name) return { ok: refused400(r, '/endpoint'), got: show(r) }
      if (r.status !== 201) return { ok: false, got: show(r) }
      const x = await execute(r.json.id)
      return { ok: denied(x), got: `201, then ${show(x)}` }
    })
  })
}

test('registration of OAuth endpoints: 400; a name is refused when the code is exchanged', async () => {
  await everywhere('registration, config.oauth token_url and revocation_url', async (u) => {
    const r = await register({
      type: 'http', endpoint: `${up.origin}/as/0`, auth_type: 'oauth',
      config: { oauth: { client_id: 'ssrf-client', auth_url: `${AS}/authorize`, token_url: u.url, revocation_url: u.url } },
    })
    if (!u.name) return { ok: refused400(r, '/config/oauth/token_url'), got: show(r) }
    if (r.status !== 201) return { ok: false, got: show(r) }
    const s = await startOAuth(r.json.id)
    if (s.status !== 200) return { ok: false, got: `201, start ${show(s)}` }
    const state = new URL(s.json.authorization_url).searchParams.get('state')!
    const n = logCount('authorization code exchange failed', 'egress_denied')
    const page = await gw.req('GET', `${gw.base}/oauth/callback?state=${state}&code=abc`)
    const o = outcome(page.text)
    return { ok: o.error === 'token_error' && logCount('authorization code exchange failed', 'egress_denied') === n + 1, got: `callback ${JSON.stringify(o)}` }
  })
})

// --- MCP connections at call time --------------------------------------------------

test('MCP POST at call time (a stored http endpoint): 403 egress_denied', async () => {
  await everywhere('MCP POST, stored endpoint', async (u) => {
    const x = await execute(await seed({ type: 'http', endpoint: u.url }))
    return { ok: denied(x), got: show(x) }
  })
})

test('MCP GET at call time (a stored sse endpoint): 403 egress_denied', async () => {
  await everywhere('MCP GET (SSE), stored endpoint', async (u) => {
    const x = await execute(await seed({ type: 'sse', endpoint: u.url }))
    return { ok: denied(x), got: show(x) }
  })
})

test('redirects from an allowed upstream, for POST (http) and GET (sse): 403 egress_denied; other origins are not followed', async () => {
  await everywhere('redirect, POST and GET', async (u, i) => {
    const post = await execute(await seed({ type: 'http', endpoint: `${up.origin}/redirect/${i}` }))
    const get = await execute(await seed({ type: 'sse', endpoint: `${up.origin}/redirect/${i}` }))
    const ok = (r: Res) => denied(r) || (Boolean(u.name) && notFollowed(r))
    return { ok: ok(post) && ok(get), got: `POST ${show(post)}; GET ${show(get)}` }
  })
})

test('SSE endpoint events naming the URL: 403 egress_denied; other origins are not followed', async () => {
  await everywhere('SSE endpoint event', async (u, i) => {
    const x = await execute(await seed({ type: 'sse', endpoint: `${up.origin}/sse/${i}` }))
    return { ok: denied(x) || (Boolean(u.name) && notFollowed(x)), got: show(x) }
  })
})

// --- OAuth ------------------------------------------------------------------------

test('PRM from a resource_metadata hint: refused as an OAuth endpoint (502 oauth_metadata_invalid), or 403 when a name resolves privately', async () => {
  await everywhere('PRM, resource_metadata hint', async (u, i) => {
    const s = await startOAuth(await seed({ type: 'http', endpoint: `${up.origin}/hint/${i}`, auth_type: 'oauth', status: 'needs_auth' }))
    return { ok: u.name ? denied(s) : oauthRefused(s), got: show(s) }
  })
})

test('PRM at the well-known URL of a stored endpoint (and the probe before it): 403 egress_denied', async () => {
  await everywhere('PRM well-known and probe, stored endpoint', async (u) => {
    const s = await startOAuth(await seed({ type: 'http', endpoint: u.url, auth_type: 'oauth', status: 'needs_auth' }))
    return { ok: denied(s), got: show(s) }
  })
})

test('authorization server metadata, the URL named in authorization_servers: 502 oauth_metadata_invalid, or 403 when a name resolves privately', async () => {
  await everywhere('AS metadata', async (u, i) => {
    const s = await startOAuth(await seed({ type: 'http', endpoint: `${up.origin}/as/${i}`, auth_type: 'oauth', status: 'needs_auth' }))
    return { ok: u.name ? denied(s) : oauthRefused(s), got: show(s) }
  })
})

test('dynamic client registration at the metadata\'s registration_endpoint: refused as an OAuth endpoint, or egress_denied', async () => {
  // In process: under production rules, metadata comes only from an https authorization server.
  const doc: McpConfig = { name: 'x', type: 'http', endpoint: `${up.origin}/as/0`, auth_type: 'oauth', scope: 'user', tenant: `u:${SUB}`, owner_id: SUB, org_id: null, config: {}, secret_ref: null, has_token: false, secret_header_names: [], status: 'needs_auth', created_at: 0, updated_at: 0 }
  await everywhere('DCR registration_endpoint', async (u, i) => {
    const issuer = `https://as${i}.example.com`
    const metadata = { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, registration_endpoint: u.url, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] }
    const e = await rejects(() => resolveClient(gw.deps, doc, {}, metadata as any, issuer, null, oauthFetch(gw.deps)))
    const ok = u.name ? e?.code === 'egress_denied' : e?.code === 'upstream_error' && e.extra?.upstream?.reason === 'oauth_metadata_invalid' && POLICY.test(e.message)
    return { ok, got: `${e?.code} ${e?.message}` }
  })
})

test('token endpoint at the code exchange: the callback page says token_error, and the log says egress_denied', async () => {
  await everywhere('token endpoint, code exchange', async (u) => {
    const { state } = await seedState(asInfo({ token_endpoint: u.url }))
    const n = logCount('authorization code exchange failed', 'egress_denied')
    const page = await gw.req('GET', `${gw.base}/oauth/callback?state=${state}&code=abc`)
    const o = outcome(page.text)
    return { ok: o.error === 'token_error' && logCount('authorization code exchange failed', 'egress_denied') === n + 1, got: JSON.stringify(o) }
  })
})

test('token endpoint at refresh: 403 egress_denied', async () => {
  await everywhere('token endpoint, refresh', async (u) => {
    const { id, rec, doc } = await seedState(asInfo({ token_endpoint: u.url }))
    // Expired already: the next call refreshes first.
    await saveConnection(gw.deps, rec, doc, { access_token: 'at', token_type: 'Bearer', expires_in: 0, refresh_token: 'rt' })
    const x = await execute(id)
    return { ok: denied(x), got: show(x) }
  })
})

test('revocation endpoint at disconnect: the connection is removed, and the answer says the revocation was refused: 200 {revoked: false, reason: egress_denied}, logged', async () => {
  await everywhere('revocation endpoint', async (u) => {
    const { id, rec, doc } = await seedState(asInfo({ revocation_endpoint: u.url }))
    await saveConnection(gw.deps, rec, doc, { access_token: 'at', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt' })
    const n = logCount('token revocation failed', 'egress_denied')
    const r = await gw.req('DELETE', `/mcps/${id}/oauth`, { token })
    const gone = (await gw.req('GET', `/mcps/${id}`, { token })).json?.connection?.state === 'not_connected'
    const ok = r.status === 200 && r.json?.revoked === false && r.json?.reason === 'egress_denied' && gone && logCount('token revocation failed', 'egress_denied') === n + 1
    return { ok, got: `${show(r)}, ${logCount('token revocation failed', 'egress_denied') - n} refusals logged` }
  })
})

test('a resource_metadata hint over plain http, even to an allowlisted host, is refused: OAuth endpoints need https', async () => {
  const fetched = () => up.hits.filter((h) => h === 'GET /.well-known/oauth-protected-resource/as/0').length
  const before = fetched()
  const s = await startOAuth(await seed({ type: 'http', endpoint: `${up.origin}/hint-self/0`, auth_type: 'oauth', status: 'needs_auth' }))
  assert.ok(oauthRefused(s), show(s))
  assert.match(s.json.detail, /resource_metadata URL must use https/)
  assert.is(fetched(), before, 'the hinted metadata was fetched')
})

test('a registration_endpoint over plain http, even to an allowlisted host, is refused: nothing is posted to it', async () => {
  const doc: McpConfig = { name: 'x', type: 'http', endpoint: `${up.origin}/as/0`, auth_type: 'oauth', scope: 'user', tenant: `u:${SUB}`, owner_id: SUB, org_id: null, config: {}, secret_ref: null, has_token: false, secret_header_names: [], status: 'needs_auth', created_at: 0, updated_at: 0 }
  const issuer = 'https://plain-registration.example.com'
  const metadata = { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, registration_endpoint: `${up.origin}/register`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] }
  const e = await rejects(() => resolveClient(gw.deps, doc, {}, metadata as any, issuer, null, oauthFetch(gw.deps)))
  assert.is(e.code, 'upstream_error', e.message)
  assert.is(e.extra?.upstream?.reason, 'oauth_metadata_invalid')
  assert.match(e.message, /registration endpoint must use https/)
  assert.is(up.hits.filter((h) => h === 'POST /register').length, 0, 'the registration request was sent')
})

test('over every site, the canary saw nothing, and no request became a 500', () => {
  assert.is(canary.hits.length, 0, canary.hits.join(', '))
  assert.not.ok(gw.logs.some((l) => l.includes('"status":500')), 'a 500 was logged')
})

test.run()
