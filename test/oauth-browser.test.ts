/**
 * The OAuth connect flow in a real browser (Debian chromium, headless): an app
 * page on its own loopback origin loads the typed client's bundle
 * (client/dist/gateway.js) and runs the README's connect snippet (the very code
 * block, with the gateway pointed here). `gw.connect()` opens the
 * authorization URL in a popup, hears back from the gateway's callback page by
 * postMessage, and confirms with POST /oauth/complete; it rejects with a typed
 * code when the user denies, closes the popup, a blocker refuses it, or time
 * runs out, and ignores messages from any other origin. Without an opener the
 * callback page sends the tab back to `return_to` with the completion, and
 * `gw.finishConnect()` completes on load.
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
const BUNDLE = fileURLToPath(new URL('../../client/dist/gateway.js', import.meta.url))

/** The README's app-side connect code block, importing the client's bundle and talking to this gateway. */
function readmeSnippet(gateway: string): string {
  const m = /```js\n(\/\/ The app's side of connecting an OAuth MCP server[\s\S]*?)```/.exec(readFileSync(README, 'utf8'))
  assert.ok(m, 'the README has the connect snippet')
  const base = "baseUrl: 'https://gateway.example.com'"
  const from = "from '@mcp-gateway/client'"
  assert.ok(m![1]!.includes(base) && m![1]!.includes(from), 'the snippet names the package and the gateway')
  return m![1]!.replace(base, `baseUrl: ${JSON.stringify(gateway)}`).replace(from, "from '/client/gateway.js'")
}

/**
 * The app: the README snippet (a module) plus a harness that records every message and each outcome.
 * The ID token lives in localStorage, as a sign-in library keeps it, so a page the redirect brings back finds it.
 */
const page = (snippet: string) => `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body>
<button id="connect">Connect</button><button id="readme">Connect (README)</button><button id="redirect">Connect in this tab</button>
<script>
window.__messages = []
window.addEventListener('message', (e) => { window.__messages.push({ origin: e.origin, data: e.data }) })
</script>
<script type="module">
const getIdToken = () => localStorage.getItem('token')
${snippet}
const settle = (p) => p.then((body) => ({ ok: true, body }), (e) => ({ ok: false, name: e?.name, code: e?.code ?? null, message: e?.message, status: e?.status ?? null, typed: e instanceof GatewayError }))
window.__finished = settle(finished)
const click = (id, run) => document.getElementById(id).addEventListener('click', () => { settle(run()).then((r) => { window.__done = r }) })
click('connect', () => gw.connect(window.__id, window.__opts ?? {}))
click('readme', () => onConnect(window.__id))
click('redirect', () => gw.connect(window.__id, { popup: false }))
window.__ready = true
</script></body></html>`

const STEP_MS = 15_000

test.before(async () => {
  browser = await launchChromium()
  app = createServer((req, res) => {
    if (req.url === '/client/gateway.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' })
      res.end(readFileSync(BUNDLE))
      return
    }
    // Every other path serves the app page: `/` opens the popup, `/settings?...` is return_to.
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
type Done = { ok: boolean; body?: any; message?: string; status?: number | null; code?: string | null; name?: string; typed?: boolean }
type W = { __id: string; __opts?: unknown; __messages: Msg[]; __done?: Done; __ready?: boolean; __finished: Promise<Done> }

const ready = (p: Page) => p.waitForFunction(() => (window as unknown as W).__ready === true, undefined, { timeout: STEP_MS })

async function openApp(ctx: BrowserContext, id: string, token: string, path = '/', opts?: unknown): Promise<Page> {
  const p = await ctx.newPage()
  await p.goto(`${appOrigin}${path}`, { timeout: STEP_MS })
  await ready(p)
  await p.evaluate(([i, t, o]) => {
    localStorage.setItem('token', t as string)
    Object.assign(window, { __id: i, __opts: o })
  }, [id, token, opts] as const)
  return p
}
/** The app URL the callback sends the tab back to (finishConnect() strips its parameters at once, so read the request). */
const landing = (p: Page) =>
  p.waitForRequest((q) => q.url().startsWith(appOrigin) && new URL(q.url()).searchParams.has('oauth_status'), { timeout: STEP_MS }).then((q) => new URL(q.url()))
const finished = async (p: Page): Promise<Done> => {
  await ready(p)
  return p.evaluate(() => (window as unknown as W).__finished)
}

const done = async (p: Page): Promise<Done> => {
  await p.waitForFunction(() => (window as unknown as W).__done !== undefined, undefined, { timeout: 2 * STEP_MS })
  return p.evaluate(() => (window as unknown as W).__done!)
}
const messages = (p: Page) => p.evaluate(() => (window as unknown as W).__messages)

/** finishConnect() on the page that came back: connected, and only return_to's own query is left in the address bar. */
async function finishedConnected(p: Page, search: string) {
  const r = await finished(p)
  assert.ok(r.ok, JSON.stringify(r))
  assert.is(r.body.mcp.connection.state, 'connected')
  assert.is(new URL(p.url()).search, search, 'the completion is gone from the address bar')
}

/** Clicks Connect (a user gesture) and waits for gw.connect() to settle and the popup to close. */
async function connectInPopup(ctx: BrowserContext, id: string, token = alice, button = '#connect') {
  const p = await openApp(ctx, id, token)
  const [popup] = await Promise.all([ctx.waitForEvent('page', { timeout: STEP_MS }), p.click(button, { timeout: STEP_MS })])
  const closed = popup.waitForEvent('close', { timeout: STEP_MS }).then(() => true, () => false)
  const result = await done(p)
  return { result, messages: await messages(p), popupClosed: await closed }
}

async function pendingOf(completion: string) {
  return (await (await gw.deps.store()).get<PendingRec>(PENDING, completionKey(completion)))?.data ?? null
}

test('popup: the app hears {type: oauth_callback, status: pending_confirmation, mcp_id, completion} from the gateway origin; gw.connect() completes: connected', async () => {
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
  assert.is(r.result.body.status, 'connected')
  assert.is(r.result.body.mcp.id, id)
  assert.is(r.result.body.mcp.connection.state, 'connected')
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.status, 'ready')
  const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
  assert.ok(tools.json.tools.some((t: { name: string }) => t.name === 'whoami'))
  const who = await gw.req('POST', `/mcps/${id}/tools/whoami/execute`, { token: alice, body: {} })
  assert.is(who.json.content[0].text, 'user-1')
})

test('popup: the README\'s onConnect connects too', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  try {
    const r = await connectInPopup(ctx, id, alice, '#readme')
    assert.ok(r.result.ok, JSON.stringify(r.result))
    assert.is(r.result.body.mcp.connection.state, 'connected')
  } finally {
    await ctx.close()
  }
})

test('popup: a denied consent rejects with a GatewayError, code access_denied; nothing to complete', async () => {
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
  assert.equal([r.result.ok, r.result.typed, r.result.code], [false, true, 'access_denied'], JSON.stringify(r.result))
  const t = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(t.status, 409, 'still not connected')
})

test('popup blocked (window.open answers null): popup_blocked, and nothing is started', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  const starts: string[] = []
  try {
    const p = await openApp(ctx, id, alice)
    p.on('request', (q) => { if (q.url().includes('/oauth/start')) starts.push(q.url()) })
    // What a popup blocker does to window.open (playwright's chromium never blocks popups itself).
    await p.evaluate(() => { window.open = () => null })
    await p.click('#connect', { timeout: STEP_MS })
    const r = await done(p)
    assert.equal([r.ok, r.typed, r.code, r.status], [false, true, 'popup_blocked', 0], JSON.stringify(r))
    assert.is(ctx.pages().length, 1, 'no popup')
    assert.equal(starts, [], 'no oauth/start')
  } finally {
    await ctx.close()
  }
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.connection.state, 'not_connected')
})

test('popup blocked: the README\'s onConnect falls back to the whole tab, and finishConnect() completes on the way back', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  try {
    const p = await openApp(ctx, id, alice, '/settings?tab=mcp')
    await p.addInitScript(() => { window.open = () => null })
    await p.evaluate(() => { window.open = () => null })
    const back = landing(p)
    await p.click('#readme', { timeout: STEP_MS })
    assert.is((await back).searchParams.get('oauth_status'), 'pending_confirmation')
    await finishedConnected(p, '?tab=mcp')
  } finally {
    await ctx.close()
  }
})

/** Sends the popup to a page on the provider's origin that never finishes (the user looks at a sign-in form). */
async function stuckAtProvider(ctx: BrowserContext, body = '<p>Sign in</p>') {
  await ctx.route((u) => u.origin === as.issuer, (route) => route.fulfill({ status: 200, contentType: 'text/html', body }))
}

test('popup closed at the provider without a message: popup_closed, the listener is gone, nothing is connected', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  try {
    await stuckAtProvider(ctx)
    const p = await openApp(ctx, id, alice)
    const [popup] = await Promise.all([ctx.waitForEvent('page', { timeout: STEP_MS }), p.click('#connect', { timeout: STEP_MS })])
    await popup.waitForURL((u) => u.origin === as.issuer, { timeout: STEP_MS })
    await popup.close()
    const r = await done(p)
    assert.equal([r.ok, r.typed, r.code], [false, true, 'popup_closed'], JSON.stringify(r))
    assert.equal(await messages(p), [])
  } finally {
    await ctx.close()
  }
  assert.is((await gw.req('GET', `/mcps/${id}/tools`, { token: alice })).status, 409)
})

test('a message from another origin is ignored, even from the popup and shaped like the callback\'s; then the timeout closes the popup: oauth_timeout', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  const completes: string[] = []
  try {
    // The provider's origin (anyone the popup passes through) forges the callback's message to any origin.
    const forged = `<p>Sign in</p><script>window.opener.postMessage({ type: 'oauth_callback', status: 'pending_confirmation', mcp_id: ${JSON.stringify(id)}, completion: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, '*')</script>`
    await stuckAtProvider(ctx, forged)
    const p = await openApp(ctx, id, alice, '/', { timeoutMs: 4000 })
    p.on('request', (q) => { if (q.url().includes('/oauth/complete')) completes.push(q.url()) })
    const [popup] = await Promise.all([ctx.waitForEvent('page', { timeout: STEP_MS }), p.click('#connect', { timeout: STEP_MS })])
    const closed = popup.waitForEvent('close', { timeout: STEP_MS }).then(() => true, () => false)
    // The forged message arrived (the harness saw it) ...
    await p.waitForFunction(() => (window as unknown as W).__messages.length > 0, undefined, { timeout: STEP_MS })
    const seen = await messages(p)
    assert.is(seen[0]!.origin, as.issuer)
    // ... and the client did not take it: it waited out its timeout instead, and closed the popup.
    const r = await done(p)
    assert.equal([r.ok, r.typed, r.code], [false, true, 'oauth_timeout'], JSON.stringify(r))
    assert.ok(await closed, 'the client closes its popup on timeout')
    assert.equal(completes, [], 'no completion was attempted')
  } finally {
    await ctx.close()
  }
  assert.is((await gw.req('GET', `/mcps/${id}`, { token: alice })).json.connection.state, 'not_connected')
})

test('no opener ({popup: false}): the tab goes back to return_to with oauth_status=pending_confirmation and the completion; finishConnect() completes', async () => {
  const id = await register()
  const ctx = await browser.newContext()
  try {
    const p = await openApp(ctx, id, alice, '/settings?tab=mcp')
    const back = landing(p)
    await p.click('#redirect', { timeout: STEP_MS })
    const landed = await back
    assert.is(landed.pathname, '/settings')
    assert.is(landed.searchParams.get('tab'), 'mcp', 'return_to kept its own query')
    assert.is(landed.searchParams.get('oauth_status'), 'pending_confirmation')
    assert.is(landed.searchParams.get('mcp_id'), id)
    assert.match(landed.searchParams.get('completion') ?? '', /^[A-Za-z0-9_-]{43}$/)
    assert.is(landed.searchParams.get('oauth_error'), null)
    await finishedConnected(p, '?tab=mcp')
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
    await openApp(ctx, 'unused', bob)
    // Hold the app's completion until the pending tokens have been looked at.
    let release!: () => void
    const looked = new Promise<void>((r) => (release = r))
    await ctx.route((u) => u.pathname.endsWith('/oauth/complete'), async (route) => { await looked; await route.continue() })
    const p = await ctx.newPage()
    const back = landing(p)
    await p.goto(s.json.authorization_url, { timeout: STEP_MS })
    const landed = await back
    assert.is(landed.searchParams.get('oauth_status'), 'pending_confirmation', 'the callback does not say connected')
    const pending = await pendingOf(landed.searchParams.get('completion')!)
    assert.ok(pending)
    assert.ok(await (await gw.deps.vault()).get(pending!.secret_ref))
    release()
    // The page's finishConnect() completes with bob's token.
    const r = await finished(p)
    assert.equal([r.ok, r.status, r.code], [false, 404, 'not_found'], JSON.stringify(r))
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
