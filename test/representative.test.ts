/**
 * One representative run through the public API (http, OAuth with dynamic
 * registration, refresh and a failed refresh, disconnect, a pre-registered
 * OAuth client, stdio with params and env), against the local store and vault
 * wrapped to record what they receive. Then what the code really writes and
 * logs is checked against what the docs and infra/ say about it:
 *
 * - every collection and every field written is in docs/storage-schema.md,
 *   and every key of a secret is in its Vault section;
 * - the fields list queries filter on keep Firestore's automatic index;
 * - each function uses the store and the vault only as its IAM grants in infra/ allow;
 * - each log-based metric in infra/monitoring.tf matches the log lines the
 *   code writes, and the labels it extracts are there.
 *
 * No list of fields is kept here: a new field fails the test until the doc has it.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGateway, type Gateway } from './support/gateway.js'
import { recorded, recordingStore, recordingVault, type Recorded } from './support/recording.js'
import { writeTestCatalog, type TestCatalog } from './support/pool.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { APP, connectOAuth, registerOAuth } from './oauth/gateway-flow.js'
import { followAuthorization } from './oauth/user-agent.js'
import { mod, root } from './fixtures/terraform.js'
import { LocalStore } from '../shared/adapters/store-local.js'
import { LocalVault } from '../shared/adapters/vault-local.js'
import { auditFlushed } from '../shared/audit.js'
import { stopPool } from '../shared/stdio-pool/instance.js'
import { MemoryRateLimitStore } from '../shared/adapters/ratelimit-memory.js'
import { RedisRateLimitStore } from '../shared/adapters/ratelimit-redis.js'
import type { RateLimitStore } from '../shared/ports.js'
import { freePort } from './support/net.js'

/**
 * Values kept as given (user or upstream data, not schema): recorded, not descended.
 * `<collection>.<field path>`.
 */
const OPAQUE = new Set(['mcps.config.headers', 'mcps.config.params', 'mcp_state.era.discover', 'usage.errors', 'usage.lat'])

interface Ctx {
  gw: Gateway
  rec: Recorded
  dirs: string[]
  cat: TestCatalog
  up: LegacyServerHandle
  as: ProviderHandle
  mcp: ProtectedMcpHandle
}

const test = suite<Ctx>('what the code writes and logs, against docs/ and infra/', {} as Ctx)

test.before(async (ctx) => {
  ctx.rec = recorded()
  const data = await mkdtemp(join(tmpdir(), 'repr-'))
  const poolDir = await mkdtemp(join(tmpdir(), 'repr-pool-'))
  ctx.dirs = [data, poolDir]
  ctx.cat = await writeTestCatalog()
  let store: Promise<ReturnType<typeof recordingStore>> | undefined
  let vault: Promise<ReturnType<typeof recordingVault>> | undefined
  // Rate limits in memory, until the run switches them to a Redis with no server behind it (an outage).
  const memory = new MemoryRateLimitStore()
  const gone = await RedisRateLimitStore.open(`redis://127.0.0.1:${await freePort()}`, { connectTimeoutMs: 200, commandTimeoutMs: 200 })
  let outage = false
  const limiter: RateLimitStore = {
    take: (b, now) => (outage ? gone : memory).take(b, now),
    ping: () => memory.ping(),
    close: async () => {
      await gone.close()
      await memory.close()
    },
  }
  ctx.gw = await startGateway({
    env: { DATA_DIR: data, STDIO_CATALOG: ctx.cat.file, POOL_DATA_DIR: poolDir, APP_ORIGINS: APP },
    over: {
      store: () => (store ??= LocalStore.open({ dir: `${data}/store` }).then((s) => recordingStore(s, ctx.rec, OPAQUE))),
      vault: () => (vault ??= LocalVault.open({ dir: data }).then((v) => recordingVault(v, ctx.rec))),
      limiter: async () => limiter,
    },
  })
  ctx.up = await startLegacyServer()
  ctx.as = await startProvider({ accessTokenTtlSec: 3600 })
  ctx.mcp = await startProtectedMcp({ issuer: ctx.as.issuer, jwksUrl: ctx.as.jwksUrl })
  const gw = ctx.gw
  const token = await gw.token('rita')
  const ok = async (m: string, p: string, body?: unknown, want = [200, 201, 204]) => {
    const r = await gw.req(m, p, { token, body })
    assert.ok(want.includes(r.status), `${m} ${p} -> ${r.status} ${r.text.slice(0, 300)}`)
    return r
  }

  // http with a bearer token, secret and plain headers, a timeout; listed, executed, failed, changed.
  const h = (await ok('POST', '/mcps', {
    name: 'http', type: 'http', endpoint: ctx.up.url, auth_type: 'bearer',
    config: { token: 'repr-token', secret_headers: { 'X-Key': 'repr-key' }, headers: { 'X-Team': 'blue' }, timeout_ms: 20_000 },
  })).json.id
  await ok('GET', `/mcps/${h}/tools`)
  await ok('POST', `/mcps/${h}/tools/echo/execute`, { arguments: { message: 'hi' } })
  await ok('POST', `/mcps/${h}/tools/rpc_error/execute`, {}, [502])
  await ok('POST', `/mcps/${h}/check`)
  await ok('PATCH', `/mcps/${h}`, { name: 'renamed' })

  // OAuth: dynamic registration, connect, a refresh (token about to expire), a failed refresh, disconnect.
  const o = await registerOAuth(gw, token, ctx.mcp.url)
  ctx.as.setAccessTokenTtl(2)
  try {
    await connectOAuth(gw, o, token)
  } finally {
    ctx.as.setAccessTokenTtl(3600)
  }
  await ok('POST', `/mcps/${o}/tools/echo/execute`, { arguments: { message: 'refreshed' } })
  const o2 = await registerOAuth(gw, token, ctx.mcp.url)
  ctx.as.setAccessTokenTtl(2)
  try {
    await connectOAuth(gw, o2, token)
  } finally {
    ctx.as.setAccessTokenTtl(3600)
  }
  ctx.as.setTokenEndpointFault(503)
  try {
    await ok('POST', `/mcps/${o2}/tools/echo/execute`, { arguments: { message: 'x' } }, [503, 502])
  } finally {
    ctx.as.setTokenEndpointFault(null)
  }
  await ok('DELETE', `/mcps/${o}/oauth`)
  // A user who refuses consent: the callback records the error.
  const start = (await ok('POST', `/mcps/${o2}/oauth/start`, { return_to: `${APP}/back` })).json
  ctx.as.setDeny(true)
  try {
    const cb = await followAuthorization(start.authorization_url)
    assert.is((await gw.req('GET', cb.href)).status, 200)
  } finally {
    ctx.as.setDeny(false)
  }

  // A pre-registered OAuth client with explicit endpoints.
  await ok('POST', '/mcps', {
    name: 'github', type: 'http', endpoint: 'https://api.example.com/mcp/', auth_type: 'oauth',
    config: { oauth: { client_id: 'Iv1.abc', client_secret: 'repr-client-secret', auth_url: 'https://auth.example.com/authorize', token_url: 'https://auth.example.com/token', revocation_url: 'https://auth.example.com/revoke', scopes: ['repo'] } },
  })

  // stdio, with a parameter and a secret env var.
  await ok('POST', '/mcps', { name: 'fs', type: 'stdio', config: { catalog_id: 'filesystem', params: { root: 'notes' } } })
  const fake = (await ok('POST', '/mcps', { name: 'fake', type: 'stdio', config: { catalog_id: 'fake', env: { FAKE_TOKEN: 'repr-env' }, rate_limit: '1/h' } })).json.id
  await ok('POST', `/mcps/${fake}/tools/echo/execute`, { arguments: { text: 'via the pool' } })
  // The config's own rate limit: the second call within the hour is refused.
  await ok('POST', `/mcps/${fake}/tools/echo/execute`, { arguments: { text: 'once more' } }, [429])
  // The limiter's store is unreachable: the call goes through (RATE_LIMIT_FAIL=open), unchecked.
  outage = true
  try {
    await ok('POST', `/mcps/${fake}/tools/echo/execute`, { arguments: { text: 'unchecked' } })
  } finally {
    outage = false
  }
  // An org config its admin has not used yet: a member's prompt get and tool call are blocked (tool.blocked).
  const admin = await gw.token('rita-admin', { org: 'repr', admin: true })
  const member = await gw.token('sam', { org: 'repr' })
  const shared = await gw.req('POST', '/mcps', { token: admin, body: { name: 'shared', type: 'http', endpoint: ctx.up.url, scope: 'org' } })
  assert.is(shared.status, 201, shared.text)
  const waiting = (r: { status: number; json: any; text: string }) => assert.ok(r.status === 409 && r.json?.code === 'tool_not_approved', r.text)
  waiting(await gw.req('POST', `/mcps/${shared.json.id}/prompts/greet/get`, { token: member, body: { arguments: { name: 'sam' } } }))
  waiting(await gw.req('POST', `/mcps/${shared.json.id}/tools/echo/execute`, { token: member, body: { arguments: { message: 'hi' } } }))
  await ok('GET', '/health')

  await ok('GET', '/mcps?limit=10')
  await ok('DELETE', `/mcps/${h}`)
  await ok('DELETE', `/mcps/${o2}`)
  await auditFlushed()
})

test.after(async (ctx) => {
  await ctx.gw?.close()
  await stopPool(1000)
  await ctx.mcp?.stop()
  await ctx.as?.stop()
  await ctx.up?.stop()
  for (const d of ctx.dirs ?? []) await rm(d, { recursive: true, force: true })
  if (ctx.cat) await rm(ctx.cat.dir, { recursive: true, force: true })
})

// ---------------------------------------------------------------------------
const schema = readFileSync(join(root, 'docs/storage-schema.md'), 'utf8')

/** `## \`mcps/{id}\`: ...` → { mcps: section text }; the Vault section under `vault`. */
function sections(md: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of md.split(/^## /m).slice(1)) {
    const head = part.slice(0, part.indexOf('\n'))
    const col = /^`([a-z_]+)\//.exec(head)?.[1] ?? (/^Vault\b/.test(head) ? 'vault' : null)
    if (col) out.set(col, part)
  }
  return out
}

const words = (text: string) => new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])

test('every collection the code writes has a section in docs/storage-schema.md', (ctx) => {
  const docs = sections(schema)
  const written = [...ctx.rec.fields.keys()].sort()
  for (const c of ['mcps', 'audit', 'mcp_state', 'oauth_states', 'oauth_connections', 'oauth_leases', 'oauth_clients'])
    assert.ok(written.includes(c), `the run wrote no ${c}: it is not representative (wrote ${written.join(', ')})`)
  for (const c of written) assert.ok(docs.has(c), `collection ${c} is written but docs/storage-schema.md has no section for it`)
})

test('every field the code writes, nested ones too, is named in its collection\'s section', (ctx) => {
  const docs = sections(schema)
  const missing: string[] = []
  for (const [col, fields] of ctx.rec.fields) {
    const named = words(docs.get(col) ?? '')
    for (const path of fields) for (const part of path.split('.')) if (!named.has(part)) missing.push(`${col}: ${path}`)
  }
  assert.equal([...new Set(missing)].sort(), [], 'fields written but not in docs/storage-schema.md')
})

test('every key of a secret put in the vault is named in the Vault section', (ctx) => {
  const named = words(sections(schema).get('vault') ?? '')
  assert.ok(ctx.rec.secretKeys.size > 0)
  assert.equal([...ctx.rec.secretKeys].filter((k) => !named.has(k)).sort(), [])
})

test('the fields list queries filter on keep Firestore\'s automatic index, and are documented as queried', async (ctx) => {
  const queried = [...ctx.rec.queried].flatMap(([col, f]) => [...f].map((field) => ({ col, field })))
  assert.ok(queried.some((q) => q.col === 'mcps' && q.field === 'tenant'), JSON.stringify(queried))
  assert.ok(queried.some((q) => q.col === 'oauth_connections' && q.field === 'mcp_id'), JSON.stringify(queried))
  const m = await mod('infra')
  const overrides = Object.entries<any>(m.resource.google_firestore_field ?? {})
  for (const { col, field } of queried) {
    for (const [name, f] of overrides) assert.is.not(String(f.field), field, `infra overrides the index of ${field} (${name})`)
    assert.match(sections(schema).get(col) ?? '', new RegExp(`\`${field}\`[^\\n]*quer|quer[^\\n]*\`${field}\``, 'i'), `docs: ${col}.${field} is queried`)
  }
})

test('each function uses the store and the vault only as infra/ grants it (the pool: the store for its leases, never the vault)', async (ctx) => {
  const access = (await mod('infra')).locals.access as Record<string, { firestore: string; vault: string }>
  const uses = Object.fromEntries([...ctx.rec.uses].map(([fn, u]) => [fn, [...u].sort()]))
  for (const fn of ['registry', 'listing', 'execute', 'oauth-start', 'oauth-callback', 'health'])
    assert.ok(uses[fn], `the run never saw ${fn} use the store or the vault: it is not representative (${JSON.stringify(uses)})`)
  for (const [fn, u] of Object.entries(uses)) {
    const a = access[fn]
    assert.ok(a, `${fn} used the store or the vault outside any function: ${u.join(', ')}`)
    if (u.includes('store-write')) assert.is(a.firestore, 'roles/datastore.user', `${fn} writes the store`)
    if (u.includes('store-read')) assert.ok(['roles/datastore.user', 'roles/datastore.viewer'].includes(a.firestore), `${fn} reads the store`)
    if (u.includes('vault-read') || u.includes('vault-write')) assert.is(a.vault, 'full', `${fn} reads or writes secrets`)
    if (u.includes('vault-ping')) assert.ok(['full', 'list'].includes(a.vault), `${fn} pings the vault`)
  }
  // Persistent homes: leases, heartbeats and tombstones in the store (docs/decisions.md); secrets never.
  assert.not.ok((uses['stdio-pool'] ?? []).some((u) => u.startsWith('vault')), 'the pool touches no secrets')
  assert.is(access['stdio-pool']!.firestore, 'roles/datastore.user')
  assert.is(access['stdio-pool']!.vault, 'none')
})

// ---------------------------------------------------------------------------
/** Evaluates the subset of the Cloud Logging query language infra's metric filters use, on one JSON log line. */
function matches(filter: string, line: Record<string, unknown>): boolean {
  const at = (path: string): unknown => path.split('.').reduce<any>((v, k) => (v == null ? undefined : v[k]), line)
  return filter.split(/ AND /).every((term) => {
    if (term.startsWith('${local.log_scope}')) return true
    let m = /^jsonPayload\.([\w.]+):\*$/.exec(term)
    if (m) return at(m[1]!) !== undefined && at(m[1]!) !== null
    m = /^jsonPayload\.([\w.]+)=~"(.*)"$/.exec(term)
    if (m) return typeof at(m[1]!) === 'string' && new RegExp(m[2]!.replace(/\\"/g, '"')).test(at(m[1]!) as string)
    m = /^jsonPayload\.([\w.]+)=\((.*)\)$/.exec(term)
    if (m) return m[2]!.split(' OR ').map((s) => JSON.parse(s)).includes(at(m[1]!))
    m = /^jsonPayload\.([\w.]+)="(.*)"$/.exec(term)
    if (m) return at(m[1]!) === m[2]
    throw new Error(`a filter term this test cannot evaluate: ${term}`)
  })
}

test('each log-based metric in infra/ matches the log lines the code writes, with the labels it extracts', async (ctx) => {
  const metrics = (await mod('infra')).locals.log_metrics as Record<string, { filter: string; labels: Record<string, string> }>
  assert.ok(Object.keys(metrics).length >= 4)
  const lines = ctx.gw.logs.map((l) => JSON.parse(l) as Record<string, unknown>)
  for (const [name, m] of Object.entries(metrics)) {
    const hits = lines.filter((l) => matches(m.filter, l))
    assert.ok(hits.length > 0, `metric ${name}: no log line of the run matches ${m.filter}`)
    for (const [label, expr] of Object.entries(m.labels)) {
      const path = /^EXTRACT\(jsonPayload\.([\w.]+)\)$/.exec(expr)?.[1]
      if (!path) continue // resource labels come from the platform
      // An error code is there only when something failed: some line must carry each label.
      assert.ok(hits.some((l) => path.split('.').reduce<any>((v, k) => v?.[k], l) !== undefined), `metric ${name}: no matching line has ${path} for label ${label}`)
    }
  }
})

test.run()
