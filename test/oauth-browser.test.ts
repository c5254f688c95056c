/**
 * The OAuth connect flow in a real browser (Debian chromium, headless): an app
 * page on its own loopback origin opens the authorization URL in a popup and
 * hears back from the gateway's callback page by postMessage; without an
 * opener the callback page sends the tab back to `return_to`.
 *
 * Origins: app http://127.0.0.1:APP, provider http://127.0.0.1:AS, gateway
 * http://127.0.0.1:GW. Skipped, loudly and counted, when no chromium binary is
 * installed; failed instead under REQUIRE_ALL_COMPONENTS=1 (CI).
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, BrowserContext } from 'playwright-core'
import { startGateway, type Gateway } from './support/gateway.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { launchChromium, noChromium } from './oauth/chromium.js'
import { needs } from './support/components.js'

const test = needs(suite('oauth in a browser'), noChromium())
let browser: Browser
let app: HttpServer
let appOrigin = ''
let gw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let alice: string

/** The app: one page that opens a popup on click and records every message it receives. */
const APP_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>app</title></head><body>
<button id="connect">Connect</button>
<script>
  window.__messages = []
  window.addEventListener('message', (e) => { window.__messages.push({ origin: e.origin, data: e.data }) })
  document.getElementById('connect').addEventListener('click', () => {
    window.__popup = window.open(window.__authUrl, 'mcp-oauth', 'width=500,height=600')
  })
</script></body></html>`

const STEP_MS = 15_000

test.before(async () => {
  browser = await launchChromium()
  app = createServer((req, res) => {
    // Every path serves the app page: `/` opens the popup, `/settings?...` is return_to.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(APP_PAGE)
  })
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r))
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
  as = await startProvider()
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway({ env: { APP_ORIGINS: appOrigin } })
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

async function startUrl(id: string, body: Record<string, unknown> = {}): Promise<string> {
  const s = await gw.req('POST', `/mcps/${id}/oauth/start`, { token: alice, body })
  assert.is(s.status, 200, s.text)
  return s.json.authorization_url
}

type Msg = { origin: string; data: { type: string; mcp_id: string; status: string; error: string | null } }

/** Opens the app, clicks Connect (a user gesture: no popup blocker), and waits for the popup's message and its close. */
async function connectInPopup(ctx: BrowserContext, authUrl: string): Promise<{ messages: Msg[]; popupClosed: boolean }> {
  const page = await ctx.newPage()
  await page.goto(`${appOrigin}/`, { timeout: STEP_MS })
  await page.evaluate((u) => { (window as unknown as { __authUrl: string }).__authUrl = u }, authUrl)
  const [popup] = await Promise.all([ctx.waitForEvent('page', { timeout: STEP_MS }), page.click('#connect', { timeout: STEP_MS })])
  const closed = popup.waitForEvent('close', { timeout: STEP_MS }).then(() => true, () => false)
  await page.waitForFunction(() => (window as unknown as { __messages: unknown[] }).__messages.length > 0, undefined, { timeout: STEP_MS })
  const popupClosed = await closed
  const messages = await page.evaluate(() => (window as unknown as { __messages: Msg[] }).__messages)
  return { messages, popupClosed }
}

test('popup: the app hears {type: oauth_callback, status: connected} from the gateway origin; the popup closes; tools list', async () => {
  const id = await register()
  const authUrl = await startUrl(id)
  const ctx = await browser.newContext()
  try {
    const { messages, popupClosed } = await connectInPopup(ctx, authUrl)
    assert.is(messages.length, 1, JSON.stringify(messages))
    assert.is(messages[0].origin, new URL(gw.url).origin, 'posted by the gateway callback page')
    assert.equal(messages[0].data, { type: 'oauth_callback', mcp_id: id, status: 'connected', error: null })
    assert.ok(popupClosed, 'the callback page closes its popup')
  } finally {
    await ctx.close()
  }
  const v = await gw.req('GET', `/mcps/${id}`, { token: alice })
  assert.is(v.json.status, 'ready')
  const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
  assert.ok(tools.json.tools.some((t: { name: string }) => t.name === 'whoami'))
})

test('popup: a denied consent reaches the app as status error, error access_denied', async () => {
  const id = await register()
  const authUrl = await startUrl(id)
  as.setDeny(true)
  const ctx = await browser.newContext()
  try {
    const { messages, popupClosed } = await connectInPopup(ctx, authUrl)
    assert.is(messages.length, 1, JSON.stringify(messages))
    assert.is(messages[0].origin, new URL(gw.url).origin)
    assert.equal(messages[0].data, { type: 'oauth_callback', mcp_id: id, status: 'error', error: 'access_denied' })
    assert.ok(popupClosed)
  } finally {
    as.setDeny(false)
    await ctx.close()
  }
  const r = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(r.status, 409, 'still not connected')
})

test('no opener: the tab goes back to return_to with oauth_status=connected', async () => {
  const id = await register()
  const returnTo = `${appOrigin}/settings?tab=mcp`
  const authUrl = await startUrl(id, { return_to: returnTo })
  const ctx = await browser.newContext()
  try {
    const page = await ctx.newPage()
    await page.goto(authUrl, { timeout: STEP_MS })
    await page.waitForURL((u) => u.origin === appOrigin && u.pathname === '/settings', { timeout: STEP_MS })
    const landed = new URL(page.url())
    assert.is(landed.searchParams.get('tab'), 'mcp', 'return_to kept its own query')
    assert.is(landed.searchParams.get('oauth_status'), 'connected')
    assert.is(landed.searchParams.get('mcp_id'), id)
    assert.is(landed.searchParams.get('oauth_error'), null)
  } finally {
    await ctx.close()
  }
  const tools = await gw.req('GET', `/mcps/${id}/tools`, { token: alice })
  assert.is(tools.status, 200, tools.text)
})

test.run()
