/**
 * The OAuth connect flow in a real browser (Debian chromium, headless): an app
 * page on its own loopback origin runs the README's connect snippet (the very
 * code block, with GATEWAY pointed here), which opens the authorization URL in
 * a popup, hears back from the gateway's callback page by postMessage, and
 * confirms with POST /oauth/complete; without an opener the callback page
 * sends the tab back to `return_to` with the completion.
 *
 * Origins: app http://127.0.0.1:APP, provider http://127.0.0.1:AS, gateway
 * http://127.0.0.1:GW. Skipped, loudly and counted, when no chromium binary is
 * installed; failed instead under REQUIRE_ALL_COMPONENTS=1 (CI).
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startGateway, type Gateway } from './support/gateway.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { launchChromium, noChromium } from './oauth/chromium.js'
import { needs } from './support/components.js'
import { PENDING, completionKey, type PendingRec } from '../shared/oauth/model.js'

const test = needs(suite('oauth in a browser'), noChromium())
let browser: Browser
let app: HttpServer
let appOrigin = ''
let appPage = ''
let gw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let alice: string

const README = fileURLToPath(new URL('../../README.md', import.meta.url))

/** The README's app-side connect code block, talking to this gateway. */
function readmeSnippet(gateway: string): string {
  const m = /```js\n(\/\/ The app's side of connecting an OAuth MCP server[\s\S]*?)```/.exec(readFileSync(README, 'utf8'))
  assert.ok(m, 'the README has the connect snippet')
  const decl = /^const GATEWAY = '[^']*'/m
  assert.match(m![1]!, decl)
  return m![1]!.replace(decl, `const GATEWAY = ${JSON.stringify(gateway)}`)
}

/** The app: the README snippet plus a harness that records every message and each helper's outcome. */
const page = (snippet: string) => `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body>
<button id="connect">Connect</button><button id="redirect">Connect in this tab</button>
<script>
window.__messages = []
window.addEventListener('message', (e) => { window.__messages.push({ origin: e.origin, data: e.data }) })
${snippet}
const settle = (p) => p.then((body) => ({ ok: true, body }), (e) => ({ ok: false, message: e.message, status: e.status ?? null }))
document.getElementById('connect').addEventListener('click', () => {
  settle(connectMcp(window.__id, window.__token)).then((r) => { window.__done = r })
})
window.__finish = (token) => settle(finishConnectMcpRedirect(token))
document.getElementById('redirect').addEventListener('click', () => {
  settle(connectMcpByRedirect(window.__id, window.__token)).then((r) => { window.__done = r })
})
</script></body></html>`

const STEP_MS = 15_000

test.before(async () => {
  browser = await launchChromium()
  app = createServer((_req, res) => {
    // Every path serves the app page: `/` opens the popup, `/settings?...` is return_to.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(appPage)
  })
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
  as = await startProvider()
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway({ env: { APP_ORIGINS: appOrigin } })
  appPage = page(readmeSnippet(new URL(gw.url).origin))
  alice = await gw.token('alice')
})

test.after(async () => {
  if (!browser) return
  await browser.close().catch(() => {})
  await gw?.close()
  await mcp?.stop()
  await as?.stop()
  if (app) {
    app.closeAllConnections()
    await new Promise((r) => app.close(r))
  }
})

async function register(): Promise<string> {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'protected', type: 'http', endpoint: mcp.url, auth_type: 'oauth' } })
  assert.is(r.status, 201, r.text)
  return r.json.id
}

type Msg = { origin: string; data: Record<string, unknown> }
type Done = { ok: boolean; body?: any; message?: string; status?: number | null }
type W = { __id: string; __token: string; __messages: Msg[]; __done?: Done; __finish(token: string): Promise<Done> }

async function openApp(ctx: BrowserContext, id: string, token: string, path = '/'): Promise<Page> {
  const p = await ctx.newPage()
  await p.goto(`${appOrigin}${path}`, { timeout: STEP_MS })
  await p.evaluate(([i, t]) => { Object.assign(window, { __id: i, __token: t }) }, [id, token])
  return p
}

const done = async (p: Page): Promise<Done> => {
  await p.waitForFunction(() => (window as unknown as W).__done !== undefined, undefined, { timeout: 2 * STEP_MS })
  return p.evaluate(() => (window as unknown as W).__done!)
}
const messages = (p: Page) => p.evaluate(() => (window as unknown as W).__messages)

/** Clicks Connect (a user gesture) and waits for connectMcp to settle and the popup to close. */
async function connectInPopup(ctx: BrowserContext, id: string, token = alice) {
  const p = await openApp(ctx, id, token)
  const [popup] = await Promise.all([ctx.waitForEvent('page', { timeout: STEP_MS }), p.click('#connect', { timeout: STEP_MS })])
  const closed = popup.waitForEvent('close', { timeout: STEP_MS }).then(() => true, () => false)
  const result = await done(p)
  return { result, messages: await messages(p), popupClosed: await closed }
}

async function pendingOf(completion: string) {
  return (await (await gw.deps.store()).get<PendingRec>(PENDING, completionKey(completion)))?.data ?? null
}

test('popup: the app hears {type: oauth_callback, status: pending_confirmation, mcp_id, completion} from the gateway origin; the README helper completes: connected', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  let r
  try {
    r = await connectInPopup(ctx, id)
  } finally {
    await ctx.close()
  }
  assert.is(r.messages.length, 1, JSON.stringify(r.messages))
  assert.is(r.messages[0]!.origin, new URL(gw.url).origin, 'posted by the gateway callback page')
  const completion = r.messages[0]!.data.completion
  assert.match(String(completion), /^[A-Za-z0-9_-]{43}$/)
  assert.equal(r.messages[0]!.data, { type: 'oauth_callback', status: 'pending_confirmation', mcp_id: id, completion })
  assert.ok(r.popupClosed, 'the callback page closes its popup')
  assert.ok(r.result.ok, JSON.stringify(r.result))
  assert.is(r.result.body.id, id)
  assert.is(r.result.body.connection.state, 'connected')
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.status, 'ready')
  const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
  assert.ok(tools.json.tools.some((t: { name: string }) => t.name === 'whoami'))
  const who = await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })
  assert.is(who.json.content[0].text, 'user-1')
})

test('popup: a denied consent reaches the app as status error, error access_denied; nothing to complete', async () => {
  const id = await register()
  as.setDeny(true)
  const ctx = await browser.newContext()
  let r
  try {
    r = await connectInPopup(ctx, id)
  } finally {
    as.setDeny(false)
    await ctx.close()
  }
  assert.is(r.messages.length, 1, JSON.stringify(r.messages))
  assert.is(r.messages[0]!.origin, new URL(gw.url).origin)
  assert.equal(r.messages[0]!.data, { type: 'oauth_callback', mcp_id: id, status: 'error', error: 'access_denied' })
  assert.ok(r.popupClosed)
  assert.not.ok(r.result.ok)
  assert.match(r.result.message ?? '', 'access_denied')
  const t = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(t.status, 409, 'still not connected')
})

test('popup blocked (window.open answers null): the helper says so and starts nothing', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  try {
    const p = await openApp(ctx, id, alice)
    // What a popup blocker does to window.open (playwright's chromium never blocks popups itself).
    await p.evaluate(() => { window.open = () => null })
    await p.click('#connect', { timeout: STEP_MS })
    const r = await done(p)
    assert.not.ok(r.ok)
    assert.match(r.message ?? '', /blocked/)
    assert.is(ctx.pages().length, 1, 'no popup')
  } finally {
    await ctx.close()
  }
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.connection.state, 'not_connected')
})

test('popup closed at the provider without a message: the helper rejects and nothing is connected', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  try {
    // The provider shows a sign-in page the user never finishes.
    await ctx.route((u) => u.origin === as.issuer, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Sign in</p>' }))
    const p = await openApp(ctx, id, alice)
    const [popup] = await Promise.all([ctx.waitForEvent('page', { timeout: STEP_MS }), p.click('#connect', { timeout: STEP_MS })])
    await popup.waitForURL((u) => u.origin === as.issuer, { timeout: STEP_MS })
    await popup.close()
    const r = await done(p)
    assert.not.ok(r.ok)
    assert.match(r.message ?? '', /closed/)
    assert.equal(await messages(p), [])
  } finally {
    await ctx.close()
  }
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 409)
})

test('no opener: the tab goes back to return_to with oauth_status=pending_confirmation and the completion; the README helper completes', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  try {
    const p = await openApp(ctx, id, alice, '/settings?tab=mcp')
    await p.click('#redirect', { timeout: STEP_MS })
    await p.waitForURL((u) => u.origin === appOrigin && u.searchParams.has('oauth_status'), { timeout: STEP_MS })
    const landed = new URL(p.url())
    assert.is(landed.pathname, '/settings')
    assert.is(landed.searchParams.get('tab'), 'mcp', 'return_to kept its own query')
    assert.is(landed.searchParams.get('oauth_status'), 'pending_confirmation')
    assert.is(landed.searchParams.get('mcp_id'), id)
    assert.match(landed.searchParams.get('completion') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.is(landed.searchParams.get('oauth_error'), null)
    const r = await p.evaluate((t) => (window as unknown as W).__finish(t), alice)
    assert.ok(r.ok, JSON.stringify(r))
    assert.is(r.body.connection.state, 'connected')
    assert.is(new URL(p.url()).search, '?tab=mcp', 'the completion is gone from the address bar')
  } finally {
    await ctx.close()
  }
  const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
})

test('confused deputy: bob opens alice\'s authorization URL and signs in as his own provider account; his app\'s completion is 404 and alice is not connected', async () => {
  const id = await register()
  const bob = await gw.token('bob')
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body: { return_to: `${appOrigin}/settings` } })
  assert.is(s.status, 200, s.text)
  const ctx = await browser.newContext()
  as.setAccount('bob-at-provider')
  try {
    // Bob's own browser, signed in to the app as bob, follows the link alice sent him.
    const p = await ctx.newPage()
    await p.goto(s.json.authorization_url, { timeout: STEP_MS })
    await p.waitForURL((u) => u.origin === appOrigin && u.searchParams.has('oauth_status'), { timeout: STEP_MS })
    const landed = new URL(p.url())
    assert.is(landed.searchParams.get('oauth_status'), 'pending_confirmation', 'the callback does not say connected')
    const pending = await pendingOf(landed.searchParams.get('completion')!)
    assert.ok(pending)
    assert.ok(await (await gw.deps.vault()).get(pending!.secret_ref))
    const r = await p.evaluate((t) => (window as unknown as W).__finish(t), bob)
    assert.not.ok(r.ok)
    assert.is(r.status, 404)
    assert.is(await (await gw.deps.vault()).get(pending!.secret_ref), null, 'bob\'s tokens are discarded')
  } finally {
    as.setAccount('user-1')
    await ctx.close()
  }
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.connection.state, 'not_connected')
  assert.is((await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })).status, 409)
})

test.run()
