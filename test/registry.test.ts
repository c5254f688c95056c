/**
 * The registry API (/api/v1/mcps) end to end, against the whole gateway in
 * local mode: CRUD, paging, PATCH semantics, ETags, audit, secrets kept out of
 * everything but the vault, and every body field fuzzed. Each test acts as a
 * user of its own, so none depends on another's data or order. The HTTP layer
 * (envelopes, limits, routing, caller authentication) is in http.test.ts.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { endEach, isProblem } from './support/assert.js'
import { auditFlushed } from '../shared/audit.js'
import type { McpConfig, Secrets } from '../shared/registry/model.js'
import type { Rec } from '../shared/ports.js'
import { storeText } from './support/store-text.js'

const ENDPOINT = 'https://mcp.example.com/mcp'
const ok = { name: 'ok', type: 'http', endpoint: ENDPOINT }
const withConfig = (config: unknown, more: Record<string, unknown> = {}) => ({ ...ok, ...more, config })
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

/** One gateway per suite; each test is a user of its own, with a record of every secret it handed over and every response it got. */
interface Ctx {
  gw: Gateway
  /** This test's user and token. */
  user: string
  token: string
  secrets: string[]
  responses: string[]
  /** Where this test's log lines start in gw.logs. */
  logFrom: number
}

let users = 0

async function boot(ctx: Ctx) {
  ctx.gw = await startGateway()
}

/** A fresh user for each test: nothing it reads was written by another test. */
async function fresh(ctx: Ctx) {
  ctx.user = `alice${++users}`
  ctx.token = await ctx.gw.token(ctx.user)
  ctx.secrets = []
  ctx.responses = []
  ctx.logFrom = ctx.gw.logs.length
}

/** Makes a recognisable secret and remembers it for the leak sweep. */
function secret(ctx: Ctx, tag: string): string {
  const s = `sek-${tag}-${Math.random().toString(36).slice(2, 12)}`
  ctx.secrets.push(s)
  return s
}

async function call(ctx: Ctx, method: string, path: string, o: Parameters<Gateway['req']>[2] = {}): Promise<Res> {
  const r = await ctx.gw.req(method, path, { token: ctx.token, ...o })
  ctx.responses.push(r.text, JSON.stringify([...r.headers]))
  return r
}

async function createOk(ctx: Ctx, body: unknown, token = ctx.token): Promise<Res> {
  const r = await call(ctx, 'POST', '/mcps', { body, token })
  assert.is(r.status, 201, r.text)
  return r
}

async function stored(ctx: Ctx, id: string): Promise<Rec<McpConfig> | null> {
  return (await ctx.gw.deps.store()).get<McpConfig>('mcps', id)
}

async function vaulted(ctx: Ctx, ref: string | null): Promise<Secrets | null> {
  if (!ref) return null
  const raw = await (await ctx.gw.deps.vault()).get(ref)
  return raw ? (JSON.parse(new TextDecoder().decode(raw)) as Secrets) : null
}

async function all(ctx: Ctx, col: string): Promise<Rec<any>[]> {
  const store = await ctx.gw.deps.store()
  const out: Rec<any>[] = []
  let cursor: string | undefined
  do {
    const page = await store.list<any>(col, { limit: 100, cursor })
    out.push(...page.items)
    cursor = page.next ?? undefined
  } while (cursor)
  return out
}

/** This test's user's audit records, once every record started so far is stored. */
async function myAudit(ctx: Ctx): Promise<Record<string, any>[]> {
  await auditFlushed()
  return (await all(ctx, 'audit')).map((r) => r.data).filter((a) => a.actor === ctx.user)
}

/** No secret of this test in any response, log line, stored record (the store's whole journal) or audit record. */
function assertNoLeak(ctx: Ctx) {
  const journal = storeText(ctx.gw.dataDir)
  const logs = ctx.gw.logs.slice(ctx.logFrom).join('\n')
  const responses = ctx.responses.join('\n')
  for (const s of ctx.secrets) {
    assert.not.ok(responses.includes(s), `secret ${s} in a response`)
    assert.not.ok(logs.includes(s), `secret ${s} in the logs`)
    assert.not.ok(journal.includes(s), `secret ${s} in the store`)
  }
  assert.not.ok(logs.includes('unhandled'), 'an unhandled error was logged')
}


// ---------------------------------------------------------------------------
const crud = endEach(suite<Ctx>('registry CRUD', {} as Ctx), assertNoLeak)
crud.before(boot)
crud.before.each(fresh)
crud.after(async (ctx) => ctx.gw.close())

crud('create answers 201 with the view, an ETag and a Location', async (ctx) => {
  const token = secret(ctx, 'token')
  const key = secret(ctx, 'hdr')
  const r = await createOk(ctx, withConfig({ timeout_ms: 5000, headers: { 'X-Team': 'blue' }, secret_headers: { 'X-Api-Key': key }, token }, { name: 'Docs', auth_type: 'bearer' }))
  const v = r.json
  assert.match(v.id, /^[A-Za-z0-9_-]{16,64}$/)
  assert.equal(v, {
    id: v.id, name: 'Docs', type: 'http', endpoint: ENDPOINT, auth_type: 'bearer', scope: 'user', org_id: null, status: 'ready',
    config: { timeout_ms: 5000, headers: { 'X-Team': 'blue' }, has_token: true, secret_header_names: ['X-Api-Key'], tool_policy: { mode: 'pin', allow: [], deny: [] } },
    health: null,
    created_by: ctx.user, created_at: v.created_at, updated_at: v.updated_at,
  })
  assert.match(v.created_at, ISO)
  assert.is(v.created_at, v.updated_at)
  assert.ok(Math.abs(Date.parse(v.created_at) - Date.now()) < 60_000)
  assert.is(r.headers.get('location'), `/api/v1/mcps/${v.id}`)
  assert.match(r.headers.get('etag') ?? '', /^"v\d+"$/)
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/)
})

crud('an oauth config starts as needs_auth, a plain one as ready', async (ctx) => {
  const o = await createOk(ctx, { ...ok, auth_type: 'oauth' })
  assert.is(o.json.status, 'needs_auth')
  assert.is(o.json.config.has_token, false)
  const n = await createOk(ctx, ok)
  assert.is(n.json.status, 'ready')
  assert.is(n.json.auth_type, 'none')
  assert.is(n.json.scope, 'user')
  assert.equal(n.json.config, { headers: {}, has_token: false, secret_header_names: [], tool_policy: { mode: 'pin', allow: [], deny: [] } })
  assert.is((await stored(ctx, n.json.id))!.data.secret_ref, null, 'no vault entry without secrets')
})

crud('secrets go to the vault, and the stored record holds only a reference', async (ctx) => {
  const token = secret(ctx, 'token')
  const key = secret(ctx, 'hdr')
  const r = await createOk(ctx, withConfig({ token, secret_headers: { 'X-Key': key } }, { auth_type: 'bearer' }))
  const rec = (await stored(ctx, r.json.id))!
  assert.match(rec.data.secret_ref ?? '', /^s[0-9a-f]{32}$/)
  assert.not.ok(rec.data.secret_ref!.includes(r.json.id), 'the vault name reveals no config id')
  assert.not.ok(JSON.stringify(rec).includes(token))
  assert.not.ok(JSON.stringify(rec).includes(key))
  assert.equal(await vaulted(ctx, rec.data.secret_ref), { token, headers: { 'X-Key': key } })
})

crud('GET returns the same view and ETag as create; the list shows it', async (ctx) => {
  const c = await createOk(ctx, { ...ok, name: 'findme' })
  const g = await call(ctx, 'GET', `/mcps/${c.json.id}`)
  assert.is(g.status, 200)
  assert.equal(g.json, c.json)
  assert.is(g.headers.get('etag'), c.headers.get('etag'))
  const l = await call(ctx, 'GET', '/mcps?limit=100')
  assert.is(l.status, 200)
  assert.ok(Array.isArray(l.json.items))
  assert.equal(l.json.items.find((i: { id: string }) => i.id === c.json.id), c.json)
  assert.is(l.json.next_cursor, null)
})

crud('GET of an unknown id is 404 problem+json', async (ctx) => {
  isProblem(await call(ctx, 'GET', '/mcps/nosuchthing'), 404, 'not_found')
  isProblem(await call(ctx, 'GET', '/mcps/' + 'a'.repeat(65)), 404, 'not_found')
  isProblem(await call(ctx, 'GET', '/mcps/a.b'), 404, 'not_found')
  isProblem(await call(ctx, 'GET', '/mcps/a%2Fb'), 404, 'not_found')
})

crud('PATCH renames and moves the endpoint, bumping updated_at and the ETag', async (ctx) => {
  const c = await createOk(ctx, ok)
  await new Promise((r) => setTimeout(r, 5))
  const p = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'renamed', endpoint: 'https://other.example.com/mcp' } })
  assert.is(p.status, 200, p.text)
  assert.is(p.json.name, 'renamed')
  assert.is(p.json.endpoint, 'https://other.example.com/mcp')
  assert.is(p.json.created_at, c.json.created_at)
  assert.match(p.json.updated_at, ISO)
  assert.ok(p.json.updated_at > c.json.updated_at)
  assert.is.not(p.headers.get('etag'), c.headers.get('etag'))
  assert.equal((await call(ctx, 'GET', `/mcps/${c.json.id}`)).json, p.json)
})

crud('PATCH config.token replaces the token in the vault; null is refused while auth_type is bearer', async (ctx) => {
  const t1 = secret(ctx, 't1')
  const t2 = secret(ctx, 't2')
  const c = await createOk(ctx, withConfig({ token: t1 }, { auth_type: 'bearer' }))
  const first = (await stored(ctx, c.json.id))!.data.secret_ref
  const p = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { config: { token: t2 } } })
  assert.is(p.status, 200, p.text)
  assert.is(p.json.config.has_token, true)
  const rec = (await stored(ctx, c.json.id))!
  assert.equal(await vaulted(ctx, rec.data.secret_ref), { token: t2 })
  if (first !== rec.data.secret_ref) assert.is(await vaulted(ctx, first), null, 'the replaced secret is not left behind')
  isProblem(await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { config: { token: null } } }), 400, 'invalid_request', { path: '/config/token' })
  assert.equal(await vaulted(ctx, rec.data.secret_ref), { token: t2 }, 'a refused PATCH leaves the token alone')
})

crud('PATCH auth_type none with config.token null drops the token and its vault entry', async (ctx) => {
  const t = secret(ctx, 't')
  const c = await createOk(ctx, withConfig({ token: t }, { auth_type: 'bearer' }))
  const ref = (await stored(ctx, c.json.id))!.data.secret_ref
  const p = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { auth_type: 'none', config: { token: null } } })
  assert.is(p.status, 200, p.text)
  assert.is(p.json.config.has_token, false)
  assert.is((await stored(ctx, c.json.id))!.data.secret_ref, null)
  assert.is(await vaulted(ctx, ref), null)
})

crud('PATCH auth_type bearer -> none drops the token, keeping secret headers', async (ctx) => {
  const t = secret(ctx, 't')
  const k = secret(ctx, 'k')
  const c = await createOk(ctx, withConfig({ token: t, secret_headers: { 'X-Key': k } }, { auth_type: 'bearer' }))
  const p = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { auth_type: 'none' } })
  assert.is(p.status, 200, p.text)
  assert.is(p.json.auth_type, 'none')
  assert.is(p.json.config.has_token, false)
  assert.equal(p.json.config.secret_header_names, ['X-Key'])
  const rec = (await stored(ctx, c.json.id))!
  assert.equal(await vaulted(ctx, rec.data.secret_ref), { headers: { 'X-Key': k } })
})

crud('PATCH auth_type none -> bearer needs a token, and then it is ready', async (ctx) => {
  const t = secret(ctx, 't')
  const c = await createOk(ctx, ok)
  isProblem(await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { auth_type: 'bearer' } }), 400, 'invalid_request', { path: '/config/token' })
  const p = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { auth_type: 'bearer', config: { token: t } } })
  assert.is(p.status, 200, p.text)
  assert.is(p.json.config.has_token, true)
  assert.is(p.json.status, 'ready')
  const o = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { auth_type: 'oauth' } })
  assert.is(o.status, 200, o.text)
  assert.is(o.json.status, 'needs_auth')
  assert.is(o.json.config.has_token, false)
})

crud('PATCH secret_headers: a null value removes that header, others stay; null removes them all', async (ctx) => {
  const a = secret(ctx, 'a')
  const b = secret(ctx, 'b')
  const c2 = secret(ctx, 'c')
  const c = await createOk(ctx, withConfig({ secret_headers: { 'X-A': a, 'X-B': b } }))
  const ref1 = (await stored(ctx, c.json.id))!.data.secret_ref
  const p = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { config: { secret_headers: { 'X-A': null, 'X-C': c2 } } } })
  assert.is(p.status, 200, p.text)
  assert.equal(p.json.config.secret_header_names.sort(), ['X-B', 'X-C'])
  const ref2 = (await stored(ctx, c.json.id))!.data.secret_ref
  assert.equal(await vaulted(ctx, ref2), { headers: { 'X-B': b, 'X-C': c2 } })
  const q = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { config: { secret_headers: null } } })
  assert.is(q.status, 200, q.text)
  assert.equal(q.json.config.secret_header_names, [])
  assert.is((await stored(ctx, c.json.id))!.data.secret_ref, null)
  assert.is(await vaulted(ctx, ref1), null, 'no vault entry outlives its use')
  assert.is(await vaulted(ctx, ref2), null, 'the emptied vault entry is deleted')
})

crud('PATCH config.headers replaces the whole map; null clears it; timeout_ms null unsets it', async (ctx) => {
  const c = await createOk(ctx, withConfig({ headers: { 'X-One': '1', 'X-Two': '2' }, timeout_ms: 1000 }))
  const p = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { config: { headers: { 'X-Three': '3' } } } })
  assert.is(p.status, 200, p.text)
  assert.equal(p.json.config.headers, { 'X-Three': '3' })
  assert.is(p.json.config.timeout_ms, 1000, 'untouched fields stay')
  const q = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { config: { headers: null, timeout_ms: null } } })
  assert.is(q.status, 200, q.text)
  assert.equal(q.json.config, { headers: {}, has_token: false, secret_header_names: [], tool_policy: { mode: 'pin', allow: [], deny: [] } })
})

crud('header values may hold tabs, spaces and Latin-1 text', async (ctx) => {
  const r = await createOk(ctx, withConfig({ headers: { 'X-A': 'caf\u00e9 \tau lait' } }))
  assert.equal(r.json.config.headers, { 'X-A': 'caf\u00e9 \tau lait' })
})

crud('PATCH cannot change scope (400 at /scope), but restating it is fine', async (ctx) => {
  const c = await createOk(ctx, ok)
  const before = (await stored(ctx, c.json.id))!
  isProblem(await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { scope: 'org' } }), 400, 'invalid_request', { path: '/scope' })
  assert.is((await stored(ctx, c.json.id))!.version, before.version)
  const same = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { scope: 'user', name: 'same scope' } })
  assert.is(same.status, 200, same.text)
})

crud('If-Match: a stale ETag gets 412 with the current ETag and changes nothing; the current one succeeds', async (ctx) => {
  const c = await createOk(ctx, ok)
  const stale = c.headers.get('etag')!
  const p1 = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'first' }, headers: { 'if-match': stale } })
  assert.is(p1.status, 200, p1.text)
  const fresh = p1.headers.get('etag')!
  assert.is.not(fresh, stale)
  const lost = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'lost update' }, headers: { 'if-match': stale } })
  isProblem(lost, 412, 'precondition_failed')
  assert.is(lost.headers.get('etag'), fresh, 'a 412 names the current version')
  isProblem(await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'x' }, headers: { 'if-match': '*garbage*' } }), 412, 'precondition_failed')
  const del = await call(ctx, 'DELETE', `/mcps/${c.json.id}`, { headers: { 'if-match': stale } })
  isProblem(del, 412, 'precondition_failed')
  assert.is(del.headers.get('etag'), fresh)
  const g = await call(ctx, 'GET', `/mcps/${c.json.id}`)
  assert.is(g.json.name, 'first')
  assert.is(g.headers.get('etag'), fresh)
  const p2 = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'second' }, headers: { 'if-match': fresh } })
  assert.is(p2.status, 200, p2.text)
  const d = await call(ctx, 'DELETE', `/mcps/${c.json.id}`, { headers: { 'if-match': p2.headers.get('etag')! } })
  assert.is(d.status, 204)
})

crud('If-Match: * (RFC 9110) matches any current version; a list matches any of its tags; a weak tag never does', async (ctx) => {
  const c = await createOk(ctx, ok)
  const p = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'star' }, headers: { 'if-match': '*' } })
  assert.is(p.status, 200, p.text)
  const now = p.headers.get('etag')!
  const weak = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'weak' }, headers: { 'if-match': `W/${now}` } })
  isProblem(weak, 412, 'precondition_failed')
  assert.is(weak.headers.get('etag'), now)
  const listed = await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'listed' }, headers: { 'if-match': `"v999", ${now}` } })
  assert.is(listed.status, 200, listed.text)
  assert.is((await call(ctx, 'DELETE', `/mcps/${c.json.id}`, { headers: { 'if-match': '*' } })).status, 204)
  // Nothing to match any more: 404, not 412.
  isProblem(await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'gone' }, headers: { 'if-match': '*' } }), 404, 'not_found')
})

crud('DELETE answers 204, then the config is 404 everywhere and its vault secret is gone', async (ctx) => {
  const t = secret(ctx, 't')
  const c = await createOk(ctx, withConfig({ token: t }, { auth_type: 'bearer' }))
  const ref = (await stored(ctx, c.json.id))!.data.secret_ref
  assert.ok(await vaulted(ctx, ref))
  const d = await call(ctx, 'DELETE', `/mcps/${c.json.id}`)
  assert.is(d.status, 204)
  assert.is(d.text, '')
  assert.is(await stored(ctx, c.json.id), null)
  assert.is(await vaulted(ctx, ref), null)
  isProblem(await call(ctx, 'GET', `/mcps/${c.json.id}`), 404, 'not_found')
  isProblem(await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: 'zombie' } }), 404, 'not_found')
  isProblem(await call(ctx, 'DELETE', `/mcps/${c.json.id}`), 404, 'not_found')
  const l = await call(ctx, 'GET', '/mcps?limit=100')
  assert.not.ok(l.json.items.some((i: { id: string }) => i.id === c.json.id))
})

crud('every create, update and delete leaves an audit record naming actor, action and config', async (ctx) => {
  const c = await createOk(ctx, ok)
  const id = c.json.id
  assert.is((await call(ctx, 'PATCH', `/mcps/${id}`, { body: { name: 'audited' } })).status, 200)
  assert.is((await call(ctx, 'DELETE', `/mcps/${id}`)).status, 204)
  const mine = (await myAudit(ctx)).filter((a) => a.mcp_id === id)
  assert.equal(mine.map((a) => a.action).sort(), ['mcp.create', 'mcp.delete', 'mcp.update'])
  for (const a of mine) {
    assert.is(a.actor, ctx.user)
    assert.is(a.org, null)
    assert.is(a.outcome, 'ok')
    assert.type(a.at, 'number')
    assert.ok(a.expires_at > a.at, 'audit records expire')
  }
})

crud('a refused write leaves no audit record', async (ctx) => {
  const c = await createOk(ctx, ok)
  isProblem(await call(ctx, 'POST', '/mcps', { body: { ...ok, name: '' } }), 400, 'invalid_request', { path: '/name' })
  isProblem(await call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { name: '' } }), 400, 'invalid_request', { path: '/name' })
  isProblem(await call(ctx, 'PATCH', '/mcps/nosuchthing', { body: { name: 'x' } }), 404, 'not_found')
  isProblem(await call(ctx, 'DELETE', '/mcps/nosuchthing'), 404, 'not_found')
  // Every record started so far is stored: only the create is there.
  assert.equal((await myAudit(ctx)).map((a) => a.action), ['mcp.create'])
})

crud('concurrent PATCHes of the token: the vault ends up holding the winner\'s token', async (ctx) => {
  const c = await createOk(ctx, withConfig({ token: secret(ctx, 't0') }, { auth_type: 'bearer' }))
  const vaultFiles = () => readdirSync(join(ctx.gw.dataDir, 'vault')).length
  const files = vaultFiles()
  const tokens = Array.from({ length: 8 }, (_, i) => secret(ctx, `race${i}`))
  const results = await Promise.all(tokens.map((token) => call(ctx, 'PATCH', `/mcps/${c.json.id}`, { body: { config: { token } } })))
  for (const r of results) assert.ok(r.status === 200 || r.status === 412, `${r.status} ${r.text}`)
  assert.ok(results.some((r) => r.status === 200))
  const rec = (await stored(ctx, c.json.id))!
  // The last successful write is the one whose ETag matches the stored version.
  const winner = results.findIndex((r) => r.status === 200 && r.headers.get('etag') === `"v${rec.version}"`)
  assert.ok(winner >= 0)
  assert.equal(await vaulted(ctx, rec.data.secret_ref), { token: tokens[winner] })
  assert.is(vaultFiles(), files, 'neither the losers\' secrets nor the replaced one are left in the vault')
})

crud.run()

// ---------------------------------------------------------------------------
const paging = suite<Ctx>('registry paging', {} as Ctx)
paging.before(boot)
paging.before.each(fresh)
paging.after(async (ctx) => ctx.gw.close())

paging('seven configs come back over three pages of limit 3, each exactly once', async (ctx) => {
  const ids = new Set<string>()
  for (let i = 0; i < 7; i++) ids.add((await createOk(ctx, { ...ok, name: `p${i}` })).json.id)
  const pages: string[][] = []
  let cursor: string | null = null
  do {
    const r: Res = await call(ctx, 'GET', `/mcps?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    assert.is(r.status, 200, r.text)
    pages.push(r.json.items.map((i: { id: string }) => i.id))
    cursor = r.json.next_cursor
    assert.ok(cursor === null || typeof cursor === 'string')
    assert.ok(pages.length <= 4, 'paging must terminate')
  } while (cursor)
  assert.equal(pages.map((p) => p.length), [3, 3, 1])
  const seen = pages.flat()
  assert.is(new Set(seen).size, 7, 'no id twice')
  assert.equal(new Set(seen), ids)
})

paging('without a limit all seven fit on one page', async (ctx) => {
  const ids = new Set<string>()
  for (let i = 0; i < 7; i++) ids.add((await createOk(ctx, { ...ok, name: `q${i}` })).json.id)
  const r = await call(ctx, 'GET', '/mcps')
  assert.is(r.status, 200)
  assert.equal(new Set(r.json.items.map((i: { id: string }) => i.id)), ids)
  assert.is(r.json.next_cursor, null)
})

paging('a bad limit or cursor is 400 with the query field named', async (ctx) => {
  for (const [q, path] of [
    ['limit=0', '/limit'], ['limit=101', '/limit'], ['limit=abc', '/limit'], ['limit=-1', '/limit'], ['limit=1.5', '/limit'], ['limit=', '/limit'],
    ['cursor=%25%25', '/cursor'], ['cursor=' + 'a'.repeat(513), '/cursor'], ['bogus=1', '/bogus'],
  ] as const) {
    isProblem(await call(ctx, 'GET', `/mcps?${q}`), 400, 'invalid_request', { path, label: q })
  }
  // Well-formed but not one of ours.
  isProblem(await call(ctx, 'GET', '/mcps?cursor=x'), 400, 'invalid_request', 'cursor=x')
})

paging.run()

// ---------------------------------------------------------------------------
interface Bad {
  label: string
  body?: unknown
  raw?: string | Buffer
  headers?: Record<string, string>
  status?: number
  code?: string
  /** A violation expected at this path. */
  path?: string
  detail?: RegExp
}

const long = (n: number) => 'a'.repeat(n)
const headers33 = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`X-H${i}`, 'v']))

/** Bad values for the config object, shared by POST and PATCH. */
const badConfig: [string, Record<string, unknown>, string][] = [
  ['config.timeout_ms 0', { timeout_ms: 0 }, '/config/timeout_ms'],
  ['config.timeout_ms 99', { timeout_ms: 99 }, '/config/timeout_ms'],
  ['config.timeout_ms 1e9', { timeout_ms: 1e9 }, '/config/timeout_ms'],
  ['config.timeout_ms 1.5', { timeout_ms: 1.5 }, '/config/timeout_ms'],
  ['config.timeout_ms -1', { timeout_ms: -1 }, '/config/timeout_ms'],
  ['config.timeout_ms string', { timeout_ms: '1000' }, '/config/timeout_ms'],
  ['config.timeout_ms at the function timeout', { timeout_ms: 300_000 }, '/config/timeout_ms'],
  ['config.headers a string', { headers: 'X-A: 1' }, '/config/headers'],
  ['config.headers an array', { headers: [['X-A', '1']] }, '/config/headers'],
  ['config.headers name with a space', { headers: { 'X Bad': 'v' } }, '/config/headers'],
  ['config.headers name with a colon', { headers: { 'X-Bad:': 'v' } }, '/config/headers'],
  ['config.headers empty name', { headers: { '': 'v' } }, '/config/headers'],
  ['config.headers name too long', { headers: { [long(101)]: 'v' } }, '/config/headers'],
  ['config.headers value with CRLF', { headers: { 'X-A': 'v\r\nX-Injected: 1' } }, '/config/headers/X-A'],
  ['config.headers value with LF', { headers: { 'X-A': 'v\nw' } }, '/config/headers/X-A'],
  ['config.headers value with CR', { headers: { 'X-A': 'v\rw' } }, '/config/headers/X-A'],
  ['config.headers value with NUL', { headers: { 'X-A': 'v\u0000w' } }, '/config/headers/X-A'],
  ['config.headers value with a control char', { headers: { 'X-A': 'v\u0001w' } }, '/config/headers/X-A'],
  ['config.headers value with DEL', { headers: { 'X-A': 'v\u007fw' } }, '/config/headers/X-A'],
  ['config.headers value beyond Latin-1', { headers: { 'X-A': '\u20ac' } }, '/config/headers/X-A'],
  ['config.headers value a number', { headers: { 'X-A': 1 } }, '/config/headers/X-A'],
  ['config.headers value too long', { headers: { 'X-A': long(8193) } }, '/config/headers/X-A'],
  ['config.headers 33 of them', { headers: headers33 }, '/config/headers'],
  ['config.headers Authorization', { headers: { Authorization: 'Bearer x' } }, '/config/headers/Authorization'],
  ['config.headers host', { headers: { host: 'evil.example' } }, '/config/headers/host'],
  ['config.headers Mcp-Session-Id', { headers: { 'Mcp-Session-Id': 'x' } }, '/config/headers/Mcp-Session-Id'],
  ['config.headers MCP-Protocol-Version', { headers: { 'MCP-Protocol-Version': '2025-06-18' } }, '/config/headers/MCP-Protocol-Version'],
  ['config.headers Content-Length', { headers: { 'Content-Length': '0' } }, '/config/headers/Content-Length'],
  ['config.headers Transfer-Encoding', { headers: { 'Transfer-Encoding': 'chunked' } }, '/config/headers/Transfer-Encoding'],
  ['config.headers X-Forwarded-For', { headers: { 'X-Forwarded-For': '1.2.3.4' } }, '/config/headers/X-Forwarded-For'],
  ['config.headers same name twice by case', { headers: { 'X-A': '1', 'x-a': '2' } }, '/config/headers/x-a'],
  ['config.secret_headers a string', { secret_headers: 'x' }, '/config/secret_headers'],
  ['config.secret_headers name with a space', { secret_headers: { 'X Bad': 'v' } }, '/config/secret_headers'],
  ['config.secret_headers value with CRLF', { secret_headers: { 'X-K': 'v\r\nX-Injected: 1' } }, '/config/secret_headers/X-K'],
  ['config.secret_headers value a number', { secret_headers: { 'X-K': 5 } }, '/config/secret_headers/X-K'],
  ['config.secret_headers value too long', { secret_headers: { 'X-K': long(8193) } }, '/config/secret_headers/X-K'],
  ['config.secret_headers 33 of them', { secret_headers: headers33 }, '/config/secret_headers'],
  ['config.secret_headers Authorization', { secret_headers: { authorization: 'Bearer x' } }, '/config/secret_headers/authorization'],
  ['config.secret_headers Proxy-Authorization', { secret_headers: { 'Proxy-Authorization': 'x' } }, '/config/secret_headers/Proxy-Authorization'],
  ['config.secret_headers Host', { secret_headers: { Host: 'x' } }, '/config/secret_headers/Host'],
  ['config.secret_headers Mcp-Session-Id', { secret_headers: { 'mcp-session-id': 'x' } }, '/config/secret_headers/mcp-session-id'],
  ['same header in headers and secret_headers', { headers: { 'X-K': 'a' }, secret_headers: { 'x-k': 'b' } }, '/config/secret_headers/x-k'],
  ['config.token without bearer auth', { token: 'abc' }, '/config/token'],
  ['config unknown field', { retries: 3 }, '/config/retries'],
  ['config.secret_ref smuggled in', { secret_ref: 'sdeadbeef' }, '/config/secret_ref'],
]

/** Bad tokens, sent with auth_type bearer. */
const badToken: [string, unknown][] = [
  ['token with a space', 'abc def'],
  ['token empty', ''],
  ['token with a newline', 'abc\ndef'],
  ['token non-ASCII', 'caf\u00e9'],
  ['token too long', long(16385)],
  ['token a number', 12345],
  ['token an object', { value: 'x' }],
]

const badEndpoint: [string, unknown][] = [
  ['endpoint a number', 42],
  ['endpoint empty', ''],
  ['endpoint not a URL', 'not a url'],
  ['endpoint relative', '/mcp'],
  ['endpoint ftp:', 'ftp://files.example.com/mcp'],
  ['endpoint javascript:', 'javascript:alert(1)'],
  ['endpoint data:', 'data:text/plain,hi'],
  ['endpoint file:', 'file:///etc/passwd'],
  ['endpoint with user:pass@', 'https://user:pass@mcp.example.com/mcp'],
  ['endpoint with user@', 'https://user@mcp.example.com/mcp'],
  ['endpoint with CRLF', 'https://mcp.example.com/\r\nHost: evil'],
  ['endpoint too long', `https://mcp.example.com/${long(2048)}`],
  ['endpoint at the metadata server', 'http://metadata.google.internal/computeMetadata/v1/'],
  ['endpoint at a link-local address', 'http://169.254.169.254/latest/meta-data'],
  ['endpoint at a private address', 'http://10.1.2.3/mcp'],
  ['endpoint at 0.0.0.0', 'http://0.0.0.0/mcp'],
]

const badName: [string, unknown][] = [
  ['name a number', 123],
  ['name null', null],
  ['name empty', ''],
  ['name too long', long(101)],
  ['name with a newline', 'a\nb'],
  ['name with a tab', 'a\tb'],
  ['name with NUL', 'a\u0000b'],
  ['name with ESC', 'a\u001b[31mred'],
  ['name with DEL', 'a\u007fb'],
]

const createCases: Bad[] = [
  { label: 'body an empty object', body: {}, path: '/name' },
  ...badName.map(([label, name]) => ({ label, body: { ...ok, name }, path: '/name' })),
  { label: 'name missing', body: { type: 'http', endpoint: ENDPOINT }, path: '/name' },
  { label: 'type missing', body: { name: 'x', endpoint: ENDPOINT }, path: '/type' },
  { label: 'type unknown', body: { ...ok, type: 'websocket' }, path: '/type' },
  { label: 'type a number', body: { ...ok, type: 1 }, path: '/type' },
  { label: 'type upper case', body: { ...ok, type: 'HTTP' }, path: '/type' },
  { label: 'type stdio', body: { name: 'x', type: 'stdio' }, path: '/type', detail: /stdio servers are disabled on this gateway: the operator has not set STDIO_CATALOG/ },
  { label: 'type stdio with an endpoint', body: { ...ok, type: 'stdio' }, path: '/type', detail: /stdio servers are disabled on this gateway: the operator has not set STDIO_CATALOG/ },
  { label: 'endpoint missing for http', body: { name: 'x', type: 'http' }, path: '/endpoint' },
  { label: 'endpoint missing for sse', body: { name: 'x', type: 'sse' }, path: '/endpoint' },
  ...badEndpoint.map(([label, endpoint]) => ({ label, body: { ...ok, endpoint }, path: '/endpoint' })),
  { label: 'auth_type unknown', body: { ...ok, auth_type: 'basic' }, path: '/auth_type' },
  { label: 'auth_type null', body: { ...ok, auth_type: null }, path: '/auth_type' },
  { label: 'auth_type bearer without a token', body: { ...ok, auth_type: 'bearer' }, path: '/config/token' },
  { label: 'auth_type oauth with a token', body: withConfig({ token: 'abc' }, { auth_type: 'oauth' }), path: '/config/token' },
  { label: 'scope unknown', body: { ...ok, scope: 'global' }, path: '/scope' },
  { label: 'scope a boolean', body: { ...ok, scope: true }, path: '/scope' },
  { label: 'config a string', body: withConfig('{}'), path: '/config' },
  { label: 'config an array', body: withConfig([]), path: '/config' },
  { label: 'config null', body: withConfig(null), path: '/config' },
  ...badConfig.map(([label, cfg, path]) => ({ label, body: withConfig(cfg), path })),
  ...badToken.map(([label, token]) => ({ label, body: withConfig({ token }, { auth_type: 'bearer' }), path: '/config/token' })),
  { label: 'unknown top-level field', body: { ...ok, description: 'x' }, path: '/description' },
  { label: 'id smuggled in', body: { ...ok, id: 'chosen-id' }, path: '/id' },
  { label: 'tenant smuggled in', body: { ...ok, tenant: 'u:bob' }, path: '/tenant' },
  { label: 'owner_id smuggled in', body: { ...ok, owner_id: 'bob' }, path: '/owner_id' },
  { label: 'org_id smuggled in', body: { ...ok, org_id: 'acme' }, path: '/org_id' },
  { label: 'status smuggled in', body: { ...ok, status: 'ready' }, path: '/status' },
  { label: 'secret_ref smuggled in', body: { ...ok, secret_ref: 'sdeadbeef' }, path: '/secret_ref' },
  { label: 'created_at smuggled in', body: { ...ok, created_at: 0 }, path: '/created_at' },
  { label: '__proto__ key', raw: `{"name":"x","type":"http","endpoint":"${ENDPOINT}","__proto__":{"admin":true}}`, headers: { 'content-type': 'application/json' }, path: '/__proto__' },
]

const patchCases: Bad[] = [
  { label: 'body an empty object', body: {}, path: '/' },
  ...badName.map(([label, name]) => ({ label, body: { name }, path: '/name' })),
  { label: 'type unknown', body: { type: 'websocket' }, path: '/type' },
  { label: 'type null', body: { type: null }, path: '/type' },
  { label: 'type stdio', body: { type: 'stdio' }, path: '/type', detail: /stdio servers are disabled on this gateway: the operator has not set STDIO_CATALOG/ },
  { label: 'endpoint null', body: { endpoint: null }, path: '/endpoint' },
  ...badEndpoint.map(([label, endpoint]) => ({ label, body: { endpoint }, path: '/endpoint' })),
  { label: 'auth_type unknown', body: { auth_type: 'basic' }, path: '/auth_type' },
  { label: 'auth_type bearer without a token', body: { auth_type: 'bearer' }, path: '/config/token' },
  { label: 'scope changed', body: { scope: 'org' }, path: '/scope' },
  { label: 'scope unknown', body: { scope: 'global' }, path: '/scope' },
  { label: 'config a string', body: { config: 'x' }, path: '/config' },
  { label: 'config an array', body: { config: [] }, path: '/config' },
  { label: 'config null', body: { config: null }, path: '/config' },
  ...badConfig.map(([label, config, path]) => ({ label, body: { config }, path })),
  ...badToken.map(([label, token]) => ({ label, body: { auth_type: 'bearer', config: { token } }, path: '/config/token' })),
  { label: 'secret header clashing with a stored plain header', body: { config: { secret_headers: { 'x-existing': 'v' } } }, path: '/config/secret_headers/x-existing' },
  { label: 'unknown top-level field', body: { description: 'x' }, path: '/description' },
  { label: 'id smuggled in', body: { id: 'other' }, path: '/id' },
  { label: 'tenant smuggled in', body: { tenant: 'u:bob' }, path: '/tenant' },
  { label: 'owner_id smuggled in', body: { owner_id: 'bob' }, path: '/owner_id' },
  { label: 'created_at smuggled in', body: { created_at: 0 }, path: '/created_at' },
  { label: 'has_token smuggled in', body: { config: { has_token: true } }, path: '/config/has_token' },
]

/** What a request would send, for gw.req. */
const send = (c: Bad) => (c.raw !== undefined ? { raw: c.raw, headers: c.headers } : c.body !== undefined ? { body: c.body } : {})

const fuzz = endEach(suite<Ctx>('registry body fuzz', {} as Ctx), assertNoLeak)
fuzz.before(boot)
fuzz.before.each(fresh)
fuzz.after(async (ctx) => ctx.gw.close())

/** No audit record of a refused write, and no ERROR logged by this test. */
async function noTrace(ctx: Ctx, audited: string[]) {
  assert.equal((await myAudit(ctx)).map((a) => a.action), audited)
  assert.not.ok(ctx.gw.logs.slice(ctx.logFrom).some((l) => /"severity":"ERROR"/.test(l)), 'an ERROR was logged')
}

const fuzzedTokens = () => badToken.map(([, t]) => t).filter((t): t is string => typeof t === 'string' && t.length > 3)

fuzz('POST: every bad field is refused with a stable code, a path, and nothing stored or audited', async (ctx) => {
  ctx.secrets.push(...fuzzedTokens())
  const count = (await all(ctx, 'mcps')).length
  for (const c of createCases) {
    const r = await call(ctx, 'POST', '/mcps', send(c))
    assert.ok(r.status < 500, `${c.label}: ${r.status} ${r.text}`)
    isProblem(r, c.status ?? 400, c.code ?? 'invalid_request', { path: c.path, label: `POST ${c.label}` })
    if (c.detail) assert.match(r.json.detail, c.detail, c.label)
    assert.is((await all(ctx, 'mcps')).length, count, `${c.label}: something was stored`)
  }
  await noTrace(ctx, [])
})

fuzz('PATCH: every bad field is refused with a stable code, a path, and the config unchanged and not audited', async (ctx) => {
  ctx.secrets.push(...fuzzedTokens())
  const target = await createOk(ctx, withConfig({ headers: { 'X-Existing': '1' }, timeout_ms: 1000 }, { name: 'target' }))
  const id = target.json.id
  const before = (await stored(ctx, id))!
  const count = (await all(ctx, 'mcps')).length
  for (const c of patchCases) {
    const r = await call(ctx, 'PATCH', `/mcps/${id}`, send(c))
    assert.ok(r.status < 500, `${c.label}: ${r.status} ${r.text}`)
    isProblem(r, c.status ?? 400, c.code ?? 'invalid_request', { path: c.path, label: `PATCH ${c.label}` })
    if (c.detail) assert.match(r.json.detail, c.detail, c.label)
    const now = (await stored(ctx, id))!
    assert.is(now.version, before.version, `${c.label}: the config changed`)
    assert.equal(now.data, before.data, c.label)
    assert.is((await all(ctx, 'mcps')).length, count, c.label)
  }
  await noTrace(ctx, ['mcp.create'])
})

fuzz.run()
