/**
 * Who may see, use and change which MCP config: a matrix of callers against
 * every endpoint, for a user-scoped and an org-scoped config pointing at a real
 * upstream MCP server, which records every request that reaches it. Every
 * test ends with a sweep over what it did: each upstream request it caused
 * carries its own config's credentials and no caller JWT, and no upstream
 * secret shows up in its responses, its log lines or the store.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { SignJWT, generateKeyPair } from 'jose'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { endEach, isProblem } from './support/assert.js'
import { startLegacyServer, type LegacyServerHandle } from './servers/legacy.js'
import type { RecordedRequest } from './servers/tools.js'
import type { McpConfig } from '../shared/registry/model.js'
import { auditFlushed } from '../shared/audit.js'
import { storeText } from './support/store-text.js'

// ---------------------------------------------------------------------------
// The table: callers, configs, endpoints.

type CallerName = 'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'mallory' | 'ivan' | 'nobody' | 'forger'

const CALLERS: Record<CallerName, { who: string; claims?: { org?: string; admin?: boolean } }> = {
  alice: { who: 'alice (no org)', claims: {} },
  bob: { who: 'bob (no org)', claims: {} },
  carol: { who: 'carol (acme member)', claims: { org: 'acme' } },
  dave: { who: 'dave (acme admin)', claims: { org: 'acme', admin: true } },
  erin: { who: 'erin (globex admin)', claims: { org: 'globex', admin: true } },
  mallory: { who: 'mallory (admin claim, no org)', claims: { admin: true } },
  ivan: { who: 'ivan (admin of "ACME", another org by case)', claims: { org: 'ACME', admin: true } },
  nobody: { who: 'a caller without a token' },
  forger: { who: 'a token for dave signed by another key' },
}

/** owner: may do everything; member: may read and use, not change; none: must not learn it exists. */
type Access = 'owner' | 'member' | 'none'

type FixtureName = 'alice-user' | 'acme-org' | 'dave-user'

interface Fixture {
  what: string
  creator: CallerName
  body: (t: Ctx, endpoint: string) => Record<string, unknown>
  access: Partial<Record<CallerName, Access>>
  /** An org config: its admin lists (and so approves) its tools and prompts before members use them. */
  shared?: true
  /** What every upstream request made for this config must carry. */
  upstream: (t: Ctx, r: RecordedRequest) => void
}

const FIXTURES: Record<FixtureName, Fixture> = {
  'alice-user': {
    what: "alice's user-scoped config",
    creator: 'alice',
    body: (t, endpoint) => ({ name: 'alice private', type: 'http', endpoint, auth_type: 'bearer', config: { token: t.aliceUpstream } }),
    access: { alice: 'owner' },
    upstream: (t, r) => assert.is(r.headers.authorization, `Bearer ${t.aliceUpstream}`),
  },
  'acme-org': {
    what: "acme's org-scoped config",
    creator: 'dave',
    body: (t, endpoint) => ({ name: 'acme shared', type: 'http', endpoint, scope: 'org', config: { headers: { 'X-Plain': '1' }, secret_headers: { 'X-Org-Key': t.orgKey } } }),
    access: { dave: 'owner', carol: 'member' },
    shared: true,
    upstream: (t, r) => {
      assert.is(r.headers['x-org-key'], t.orgKey)
      assert.is(r.headers['x-plain'], '1')
      assert.is(r.headers.authorization, undefined)
    },
  },
  'dave-user': {
    what: "dave's user-scoped config",
    creator: 'dave',
    body: (_t, endpoint) => ({ name: 'dave private', type: 'http', endpoint }),
    access: { dave: 'owner' },
    upstream: (_t, r) => {
      assert.is(r.headers.authorization, undefined)
      assert.is(r.headers['x-org-key'], undefined)
    },
  },
}

type Kind = 'read' | 'write' | 'use'

interface Endpoint {
  /** The route, as a user would name it. */
  what: string
  method: string
  path: (id: string) => string
  kind: Kind
  body?: unknown
  headers?: Record<string, string>
  status?: number
  /** Checks an allowed answer. */
  check?: (json: any) => void
}

const ENDPOINTS: Endpoint[] = [
  { what: 'GET /mcps/{id}', method: 'GET', path: (id) => `/mcps/${id}`, kind: 'read', check: (j) => assert.type(j.id, 'string') },
  { what: 'PATCH /mcps/{id}', method: 'PATCH', path: (id) => `/mcps/${id}`, kind: 'write', body: { name: 'changed' }, check: (j) => assert.is(j.name, 'changed') },
  { what: 'DELETE /mcps/{id}', method: 'DELETE', path: (id) => `/mcps/${id}`, kind: 'write', status: 204 },
  {
    // Asked afresh, so the upstream sees this caller's credentials even after an admin's listing.
    what: 'GET /mcps/{id}/tools', method: 'GET', path: (id) => `/mcps/${id}/tools`, kind: 'use', headers: { 'cache-control': 'no-cache' },
    check: (j) => assert.ok(j.tools.some((t: { name: string }) => t.name === 'echo')),
  },
  {
    what: 'GET /mcps/{id}/resources', method: 'GET', path: (id) => `/mcps/${id}/resources`, kind: 'use',
    check: (j) => assert.ok(j.resources.some((r: { uri: string }) => r.uri === 'test://hello')),
  },
  {
    what: 'GET /mcps/{id}/resources/read', method: 'GET', path: (id) => `/mcps/${id}/resources/read?uri=${encodeURIComponent('test://hello')}`, kind: 'use',
    check: (j) => assert.is(j.contents[0].text, 'hello world'),
  },
  {
    what: 'GET /mcps/{id}/prompts', method: 'GET', path: (id) => `/mcps/${id}/prompts`, kind: 'use',
    check: (j) => assert.ok(j.prompts.some((p: { name: string }) => p.name === 'greet')),
  },
  {
    what: 'POST /mcps/{id}/prompts/greet/get', method: 'POST', path: (id) => `/mcps/${id}/prompts/greet/get`, kind: 'use', body: { arguments: { name: 'Ann' } },
    check: (j) => assert.ok(JSON.stringify(j.messages).includes('Hello, Ann!')),
  },
  {
    what: 'GET /mcps/{id}/resources/templates', method: 'GET', path: (id) => `/mcps/${id}/resources/templates`, kind: 'use',
    check: (j) => assert.ok(Array.isArray(j.resource_templates)),
  },
  {
    what: 'POST /mcps/{id}/complete', method: 'POST', path: (id) => `/mcps/${id}/complete`, kind: 'use',
    body: { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'A' } },
    check: (j) => assert.equal(j.completion.values, ['Ann', 'Anna']),
  },
  {
    what: 'POST /mcps/{id}/tools/echo/execute', method: 'POST', path: (id) => `/mcps/${id}/tools/echo/execute`, kind: 'use', body: { arguments: { message: 'hi' } },
    check: (j) => assert.is(j.content[0].text, 'Echo: hi'),
  },
]

/** The answer the table promises. */
function expected(f: Fixture, caller: CallerName, e: Endpoint): { status: number; code?: string } {
  if (caller === 'nobody' || caller === 'forger') return { status: 401, code: 'unauthenticated' }
  const access = f.access[caller] ?? 'none'
  if (access === 'none') return { status: 404, code: 'not_found' }
  if (access === 'member' && e.kind === 'write') return { status: 403, code: 'forbidden' }
  return { status: e.status ?? 200 }
}

// ---------------------------------------------------------------------------

interface Ctx {
  gw: Gateway
  server: LegacyServerHandle
  tokens: Record<CallerName, string | undefined>
  aliceUpstream: string
  orgKey: string
  /** Every response body the gateway gave, for the leak check. */
  seen: string[]
  /** Each config's endpoint carries `?cfg=<tag>`, so every upstream request can be traced to its config. */
  tags: Map<string, FixtureName | 'bob-user'>
  /** Where this test's upstream requests, responses and log lines start. */
  from: { requests: number; seen: number; logs: number }
}

async function req(t: Ctx, method: string, path: string, o: Parameters<Gateway['req']>[2] = {}): Promise<Res> {
  const r = await t.gw.req(method, path, o)
  t.seen.push(r.text)
  return r
}

const tagOf = (q: RecordedRequest) => new URL(q.path, 'http://x').searchParams.get('cfg')
/** What reached the upstream for one config. */
const reached = (t: Ctx, tag: string) => t.server.requests.filter((q) => tagOf(q) === tag)

function endpointFor(t: Ctx, kind: FixtureName | 'bob-user'): { tag: string; endpoint: string } {
  const tag = `${kind}-${t.tags.size}`
  t.tags.set(tag, kind)
  return { tag, endpoint: `${t.server.url}?cfg=${tag}` }
}

/** A config as each test starts with it; `base`: upstream requests made for it so far. */
async function create(t: Ctx, name: FixtureName): Promise<{ id: string; tag: string; base: number }> {
  const f = FIXTURES[name]
  const { tag, endpoint } = endpointFor(t, name)
  const r = await req(t, 'POST', '/mcps', { token: t.tokens[f.creator], body: f.body(t, endpoint) })
  assert.is(r.status, 201, r.text)
  // Members use an org config's tools and prompts once an admin approved them (docs/security.md "Pinning").
  if (f.shared) for (const what of ['tools', 'prompts']) assert.is((await req(t, 'GET', `/mcps/${r.json.id}/${what}`, { token: t.tokens[f.creator] })).status, 200)
  return { id: r.json.id, tag, base: reached(t, tag).length }
}

const call = (t: Ctx, caller: CallerName, e: Endpoint, id: string) => req(t, e.method, e.path(id), { token: t.tokens[caller], body: e.body, headers: e.headers })

/** The sweep over one test's upstream requests, responses and log lines (see the top). */
async function sweep(t: Ctx) {
  // Whatever the test set off in the background (audit, learned state) is done.
  await auditFlushed()
  const jwts = Object.values(t.tokens).filter((v): v is string => Boolean(v))
  for (const q of t.server.requests.slice(t.from.requests)) {
    const kind = t.tags.get(tagOf(q) ?? '')
    assert.ok(kind, `an upstream request not traceable to a config: ${q.method} ${q.path}`)
    if (kind === 'bob-user') {
      assert.is(q.headers.authorization, undefined)
      assert.is(q.headers['x-org-key'], undefined)
    } else FIXTURES[kind].upstream(t, q)
    const text = JSON.stringify(q)
    for (const jwt of jwts) {
      assert.not.ok(text.includes(jwt), `a caller JWT reached the upstream in ${q.method} ${q.path}`)
      assert.not.ok(text.includes(jwt.split('.')[2]!), 'a caller JWT signature reached the upstream')
    }
    assert.not.ok(/eyJ[A-Za-z0-9_-]{8,}\.eyJ/.test(text), `something JWT-shaped reached the upstream in ${q.method} ${q.path}`)
  }
  const logs = t.gw.logs.slice(t.from.logs).join('\n')
  // The store's journal holds every record ever written: configs, audit, upstream state.
  const journal = storeText(t.gw.dataDir)
  const responses = t.seen.slice(t.from.seen).join('\n')
  for (const s of [t.aliceUpstream, t.orgKey]) {
    assert.not.ok(responses.includes(s), 'secret in a response')
    assert.not.ok(logs.includes(s), 'secret in the logs')
    assert.not.ok(journal.includes(s), 'secret in the store')
  }
}


const tenancy = endEach(suite<Ctx>('tenancy', {} as Ctx), sweep)

tenancy.before(async (t) => {
  t.server = await startLegacyServer()
  // The matrix makes a config with secrets per case, for one user: quotas have their own suite.
  t.gw = await startGateway({ env: { QUOTA_CONFIGS_PER_USER: '100000', QUOTA_CONFIGS_PER_ORG: '100000', QUOTA_VAULT_WRITES_PER_MINUTE: '100000' } })
  t.aliceUpstream = `alice-upstream-${Math.random().toString(36).slice(2)}`
  t.orgKey = `acme-org-key-${Math.random().toString(36).slice(2)}`
  t.tokens = {} as Ctx['tokens']
  t.seen = []
  t.tags = new Map()
  for (const [name, c] of Object.entries(CALLERS) as [CallerName, (typeof CALLERS)[CallerName]][]) {
    if (c.claims) t.tokens[name] = await t.gw.token(name, c.claims)
  }
  const cfg = t.gw.deps.config.auth
  const { privateKey } = await generateKeyPair('ES256')
  t.tokens.forger = await new SignJWT({ [cfg.orgClaim]: 'acme', [cfg.adminClaim]: cfg.adminValue })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject('dave').setIssuer(cfg.issuer).setAudience(cfg.audience).setIssuedAt().setExpirationTime('10m')
    .sign(privateKey)
  t.tokens.nobody = undefined
})

tenancy.before.each((t) => {
  t.from = { requests: t.server.requests.length, seen: t.seen.length, logs: t.gw.logs.length }
})

tenancy.after(async (t) => {
  await t.gw?.close()
  await t.server?.stop()
})

// One test per (config, caller, endpoint), each on a fresh config.
for (const [fname, f] of Object.entries(FIXTURES) as [FixtureName, Fixture][]) {
  for (const caller of Object.keys(CALLERS) as CallerName[]) {
    for (const e of ENDPOINTS) {
      const want = expected(f, caller, e)
      const verdict = want.status < 300 ? `is allowed ${e.what}` : `gets ${want.status}, and nothing reaches the upstream, for ${e.what}`
      tenancy(`${CALLERS[caller].who} ${verdict} on ${f.what}`, async (t) => {
        const { id, tag, base } = await create(t, fname)
        const before = (await (await t.gw.deps.store()).get<McpConfig>('mcps', id))!
        const r = await call(t, caller, e, id)
        const label = `${caller} ${e.method} ${fname}`
        // Anything the call set off in the background is done.
        await auditFlushed()
        const got = reached(t, tag).slice(base)
        const stored = await (await t.gw.deps.store()).get<McpConfig>('mcps', id)
        if (want.status >= 400) {
          isProblem(r, want.status, want.code!, label)
          assert.is(got.length, 0, `${label}: ${got.length} request(s) reached the upstream`)
          assert.ok(stored, `${label}: a refused call deleted the config`)
          assert.is(stored!.version, before.version, `${label}: a refused call changed the config`)
          if (want.status === 404) {
            // Indistinguishable from an id that does not exist: existence is not revealed.
            const ghost = await call(t, caller, e, 'AAAAAAAAAAAAAAAAAAAAAA')
            assert.equal({ status: r.status, detail: r.json.detail }, { status: ghost.status, detail: ghost.json.detail }, label)
          }
          return
        }
        assert.is(r.status, want.status, `${label}: ${r.text.slice(0, 300)}`)
        if (e.check) e.check(r.json)
        if (e.method === 'DELETE') assert.is(stored, null, `${label}: still stored`)
        if (e.kind === 'use') {
          assert.ok(got.length > 0, `${label}: nothing reached the upstream`)
          for (const q of got) f.upstream(t, q)
        } else assert.is(got.length, 0, `${label}: CRUD must not call the upstream`)
      })
    }
  }
}

tenancy('only org admins create org configs: non-members and members get 403 and nothing is stored', async (t) => {
  const body = { name: 'org try', type: 'http', endpoint: t.server.url, scope: 'org' }
  const count = async () => {
    const store = await t.gw.deps.store()
    let n = 0
    let cursor: string | undefined
    do {
      const page = await store.list('mcps', { limit: 1000, cursor })
      n += page.items.length
      cursor = page.next ?? undefined
    } while (cursor)
    return n
  }
  const n = await count()
  for (const caller of ['alice', 'bob', 'carol', 'mallory'] as const) {
    isProblem(await req(t, 'POST', '/mcps', { token: t.tokens[caller], body }), 403, 'forbidden', caller)
  }
  isProblem(await req(t, 'POST', '/mcps', { body }), 401, 'unauthenticated', 'nobody')
  isProblem(await req(t, 'POST', '/mcps', { token: t.tokens.forger, body }), 401, 'unauthenticated', 'forger')
  assert.is(await count(), n)
  const d = await req(t, 'POST', '/mcps', { token: t.tokens.dave, body })
  assert.is(d.status, 201, d.text)
  assert.is(d.json.org_id, 'acme')
  assert.is(d.json.scope, 'org')
  const e = await req(t, 'POST', '/mcps', { token: t.tokens.erin, body })
  assert.is(e.status, 201, e.text)
  assert.is(e.json.org_id, 'globex')
  isProblem(await req(t, 'GET', `/mcps/${e.json.id}`, { token: t.tokens.dave }), 404, 'not_found', "dave on globex's config")
  isProblem(await req(t, 'GET', `/mcps/${d.json.id}`, { token: t.tokens.ivan }), 404, 'not_found', "ivan (ACME) on acme's config")
})

tenancy('GET /mcps lists exactly what each caller may see, across pages', async (t) => {
  const named = {
    A: (await create(t, 'alice-user')).id,
    O: (await create(t, 'acme-org')).id,
    D: (await create(t, 'dave-user')).id,
    B: (await req(t, 'POST', '/mcps', { token: t.tokens.bob, body: { name: 'bob', type: 'http', endpoint: t.server.url } })).json.id as string,
    G: (await req(t, 'POST', '/mcps', { token: t.tokens.erin, body: { name: 'globex', type: 'http', endpoint: t.server.url, scope: 'org' } })).json.id as string,
  }
  const want: Record<Exclude<CallerName, 'nobody' | 'forger'>, (keyof typeof named)[]> = {
    alice: ['A'], bob: ['B'], carol: ['O'], dave: ['D', 'O'], erin: ['G'], mallory: [], ivan: [],
  }
  for (const [caller, keys] of Object.entries(want) as [keyof typeof want, (keyof typeof named)[]][]) {
    const claims = CALLERS[caller].claims!
    const ids: string[] = []
    let cursor: string | null = null
    do {
      const r: Res = await req(t, 'GET', `/mcps?limit=7${cursor ? `&cursor=${cursor}` : ''}`, { token: t.tokens[caller] })
      assert.is(r.status, 200, r.text)
      for (const item of r.json.items) {
        ids.push(item.id)
        // Whatever else is listed (the matrix left plenty), it must be the caller's own or their org's.
        if (item.scope === 'user') assert.is(item.created_by, caller, `${caller} sees ${item.created_by}'s user config`)
        else assert.is(item.org_id, claims.org, `${caller} sees org ${item.org_id}'s config`)
      }
      cursor = r.json.next_cursor
    } while (cursor)
    assert.is(new Set(ids).size, ids.length, `${caller}: an id listed twice`)
    const seen = (Object.keys(named) as (keyof typeof named)[]).filter((k) => ids.includes(named[k]))
    assert.equal(seen.sort(), [...keys].sort(), caller)
  }
  for (const caller of ['nobody', 'forger'] as const) {
    isProblem(await req(t, 'GET', '/mcps', { token: t.tokens[caller] }), 401, 'unauthenticated', caller)
  }
})

tenancy("bob's calls never carry alice's bearer token, even to the same upstream", async (t) => {
  const alices = await create(t, 'alice-user')
  const aliceId = alices.id
  const ok = await req(t, 'POST', `/mcps/${aliceId}/tools/echo/execute`, { token: t.tokens.alice, body: { arguments: { message: 'a' } } })
  assert.is(ok.status, 200, ok.text)
  const aliceSeen = reached(t, alices.tag).length
  const { tag, endpoint } = endpointFor(t, 'bob-user')
  const bobs = await req(t, 'POST', '/mcps', { token: t.tokens.bob, body: { name: 'same upstream', type: 'http', endpoint } })
  assert.is(bobs.status, 201, bobs.text)
  for (const path of [`/mcps/${bobs.json.id}/tools`, `/mcps/${bobs.json.id}/tools/echo/execute`]) {
    const r = await req(t, path.endsWith('execute') ? 'POST' : 'GET', path, { token: t.tokens.bob, body: path.endsWith('execute') ? { arguments: { message: 'b' } } : undefined })
    assert.is(r.status, 200, r.text)
  }
  // bob naming alice's config, by id, on every endpoint, reaches nothing.
  for (const e of ENDPOINTS) isProblem(await call(t, 'bob', e, aliceId), 404, 'not_found', `bob ${e.what}`)
  await auditFlushed()
  assert.is(reached(t, alices.tag).length, aliceSeen, "bob's calls reached alice's config upstream")
  const bobReached = reached(t, tag)
  assert.ok(bobReached.length > 0)
  for (const q of bobReached) {
    assert.is(q.headers.authorization, undefined, `bob's request carried ${q.headers.authorization}`)
    assert.not.ok(JSON.stringify(q).includes(t.aliceUpstream))
  }
})

tenancy('org members and owners see only that secrets are set, never their values', async (t) => {
  const { id } = await create(t, 'acme-org')
  for (const caller of ['carol', 'dave'] as const) {
    const r = await req(t, 'GET', `/mcps/${id}`, { token: t.tokens[caller] })
    assert.is(r.status, 200)
    assert.equal(r.json.config.secret_header_names, ['X-Org-Key'])
    assert.not.ok(r.text.includes(t.orgKey))
  }
})

tenancy.run()
