/**
 * The console (public/) in a real browser (Debian chromium, headless), served
 * by the gateway in local mode on its own origin and talking to it through the
 * typed client (/client/gateway.js): sign in with a dev token from the URL
 * fragment → register server-everything → list its tools → run one with live
 * progress → answer an elicitation form → connect an OAuth MCP through the
 * popup (oidc-provider) → the audit log and usage show the calls.
 *
 * UPDATE_SCREENSHOTS=1 writes the screens to docs/console/*.png (README shows them).
 * Skipped, loudly and counted, without chromium; failed under REQUIRE_ALL_COMPONENTS=1.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startGateway, type Gateway } from './support/gateway.js'
import { startEverything, type EverythingHandle } from './support/everything.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { startAskingLegacy, type AskingHandle } from './servers/asking.js'
import { launchChromium, noChromium } from './oauth/chromium.js'
import { needs } from './support/components.js'
import { auditFlushed } from '../shared/audit.js'

const test = needs(suite('console in a browser'), noChromium())
const SHOTS = fileURLToPath(new URL('../../docs/console/', import.meta.url))
const BUNDLE = fileURLToPath(new URL('../../public/client/gateway.js', import.meta.url))
const STEP_MS = 20_000

let browser: Browser
let ctx: BrowserContext
let page: Page
let gw: Gateway
let ev: EverythingHandle
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let asking: AskingHandle
let alice: string
const problems: string[] = []

/** (A full-page shot resizes the page; the elicitation one is taken of the viewport, so the click after it lands as a user's would.) */
async function shot(name: string, fullPage = true) {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage })
}

test.before(async () => {
  assert.ok(existsSync(BUNDLE), `the client bundle ${BUNDLE} is built (npm run build)`)
  browser = await launchChromium()
  ;[ev, as, asking] = await Promise.all([startEverything('streamableHttp'), startProvider(), startAskingLegacy()])
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway()
  // As `npm start` does: the console is on the gateway's own origin, where OAuth popups report back.
  gw.deps.config.appOrigins.push(gw.url)
  alice = await gw.token('alice')
  ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } })
  page = await ctx.newPage()
  // CSP violations and script errors fail the run (checked in the last test).
  // (A failed request is logged as a console error too: those are judged by URL below instead.)
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text()) })
  page.on('pageerror', (e) => problems.push(String(e)))
  // 404s the console expects: no /config.json in local mode; no audit routes on a gateway without them.
  page.on('response', (r) => {
    const p = new URL(r.url()).pathname
    if (r.status() >= 400 && !(r.status() === 404 && /^\/(config\.json|api\/v1\/audit|api\/v1\/mcps\/[^/]+\/usage)$/.test(p))) problems.push(`${r.status()} ${p}`)
  })
})

test.after(async () => {
  await ctx?.close().catch(() => {})
  await browser?.close().catch(() => {})
  await gw?.close()
  await Promise.all([ev?.stop(), mcp?.stop(), as?.stop(), asking?.stop()])
})

const text = async (sel: string) => (await page.locator(sel).first().textContent({ timeout: STEP_MS })) ?? ''

test('the console is served on the gateway origin with a self-only CSP; the dev token in the fragment signs in and leaves the address bar', async () => {
  const r = await fetch(`${gw.url}/`)
  assert.is(r.status, 200)
  const csp = r.headers.get('content-security-policy') ?? ''
  assert.match(csp, "default-src 'self'")
  assert.match(csp, "script-src 'self'")
  assert.match(csp, "connect-src 'self'")
  assert.not.match(csp, 'unsafe-inline')
  await page.goto(`${gw.url}/#token=${alice}`, { timeout: STEP_MS })
  await page.waitForSelector('#mcps', { timeout: STEP_MS })
  assert.is(new URL(page.url()).hash, '', 'the token is gone from the address bar')
  assert.is(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage')
  assert.match(await page.evaluate(() => sessionStorage.getItem('mcp-gateway-console') ?? ''), alice)
  assert.is(await text('#who'), 'alice')
})

test('register server-everything from the form; its page lists its tools', async () => {
  await page.fill('#reg-name', 'everything')
  await page.fill('#reg-endpoint', ev.url)
  await page.click('#register button[type=submit]')
  await page.waitForSelector('[data-tool="echo"]', { timeout: STEP_MS })
  const tools = await page.locator('[data-tool]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.tool))
  assert.ok(tools.includes('trigger-long-running-operation'), tools.join(','))
  const list = await gw.req('GET', '/mcps', { token: alice })
  assert.equal(list.json.items.map((m: { name: string }) => m.name), ['everything'])
  await page.click('#check')
  await page.waitForSelector('#health .badge.ok', { timeout: STEP_MS })
  assert.match(await text('#health'), /healthy .*\d+ ms/)
  await shot('mcp')
})

test('run a tool from a form generated from its input schema: progress arrives while it runs, then the result', async () => {
  await page.click('[data-tool="trigger-long-running-operation"] button')
  await page.waitForSelector('#run-form', { timeout: STEP_MS })
  // number fields from the schema
  assert.is(await page.getAttribute('#arg-duration', 'type'), 'number')
  await page.fill('#arg-duration', '4')
  await page.fill('#arg-steps', '4')
  await page.click('#run-submit')
  // Live: a progress step is on screen before the result is.
  await page.waitForFunction(() => /^\d+ \/ 4/.test(document.getElementById('progress-text')?.textContent ?? ''), undefined, { timeout: STEP_MS })
  assert.is(await page.locator('#result .ok').count(), 0, 'progress shown before the result')
  await shot('run')
  await page.waitForSelector('#result .ok', { timeout: STEP_MS })
  assert.match(await text('#result'), /Long running operation completed/)
})

test('a validation error from the form stays in the form: nothing is sent', async () => {
  await page.click('[data-tool="get-sum"] button')
  await page.waitForSelector('#arg-a', { timeout: STEP_MS })
  await page.fill('#arg-a', '1.5')
  await page.fill('#arg-b', '')
  await page.click('#run-submit')
  await page.waitForFunction(() => [...document.querySelectorAll('.field-error')].some((e) => e.textContent), undefined, { timeout: STEP_MS })
  assert.is(await page.locator('#result').textContent(), '')
  await page.fill('#arg-b', '2')
  await page.click('#run-submit')
  await page.waitForSelector('#result .ok', { timeout: STEP_MS })
  assert.match(await text('#result'), /3\.5/)
})

test('an elicitation form: the tool asks, the console renders requested_schema, the answer goes back and the tool completes', async () => {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'asking', type: 'http', endpoint: asking.url, config: { tool_policy: { mode: 'open' } } } })
  assert.is(r.status, 201, r.text)
  await page.goto(`${gw.url}/`, { timeout: STEP_MS })
  await page.waitForSelector(`[data-id="${r.json.id}"] .mcp-link`, { timeout: STEP_MS })
  await shot('mcps')
  await page.click(`[data-id="${r.json.id}"] .mcp-link`)
  await page.click('[data-tool="ask_form"] button', { timeout: STEP_MS })
  await page.click('#run-submit')
  await page.waitForSelector('.elicitation', { timeout: STEP_MS })
  assert.match(await text('.elicitation legend'), 'Who are you?')
  assert.is(await page.getAttribute('.elicitation input[name=age]', 'type'), 'number')
  await page.fill('.elicitation input[name=name]', 'Ada <b>Lovelace</b>')
  await page.fill('.elicitation input[name=age]', '36')
  await shot('elicitation', false)
  await page.click('.elicitation button[type=submit]')
  await page.waitForSelector('#result .ok', { timeout: STEP_MS })
  assert.match(await text('#result pre'), 'hello Ada <b>Lovelace</b> (36)')
  assert.is(await page.locator('#result b').count(), 0, 'server text is text, never markup')
})

test('connect an OAuth MCP through the popup: the provider signs in, the console shows connected and lists its tools', async () => {
  await page.goto(`${gw.url}/`, { timeout: STEP_MS })
  await page.fill('#reg-name', 'protected')
  await page.fill('#reg-endpoint', mcp.url)
  await page.selectOption('#reg-auth', 'oauth')
  await page.click('#register button[type=submit]')
  await page.waitForSelector('#connect', { timeout: STEP_MS })
  assert.match(await text('#connection'), 'not_connected')
  const [popup] = await Promise.all([ctx.waitForEvent('page', { timeout: STEP_MS }), page.click('#connect')])
  await popup.waitForEvent('close', { timeout: STEP_MS })
  await page.waitForSelector('#connection .badge.ok', { timeout: STEP_MS })
  assert.match(await text('#connection'), /^connected/)
  await page.waitForSelector('[data-tool="whoami"]', { timeout: STEP_MS })
})

test('a popup closed before the provider answers: the console says so and stays not connected', async () => {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'protected-2', type: 'http', endpoint: mcp.url, auth_type: 'oauth' } })
  await page.goto(`${gw.url}/`, { timeout: STEP_MS })
  await page.click(`[data-id="${r.json.id}"] .mcp-link`)
  await page.waitForSelector('#connect', { timeout: STEP_MS })
  // The provider shows a sign-in page the user never finishes.
  const atProvider = (u: URL) => u.origin === as.issuer
  await ctx.route(atProvider, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Sign in</p>' }))
  try {
    const [popup] = await Promise.all([ctx.waitForEvent('page', { timeout: STEP_MS }), page.click('#connect')])
    await popup.waitForURL((u) => u.origin === as.issuer, { timeout: STEP_MS })
    await popup.close()
    await page.waitForSelector('#connection .problem', { timeout: STEP_MS })
    assert.match(await text('#connection .problem'), 'popup_closed')
    assert.match(await text('#connection .badge'), 'not_connected')
  } finally {
    await ctx.unroute(atProvider)
  }
})

test('a blocked popup: the console offers the whole tab; back from the provider it completes and shows that MCP connected', async () => {
  const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'protected-3', type: 'http', endpoint: mcp.url, auth_type: 'oauth' } })
  await page.goto(`${gw.url}/`, { timeout: STEP_MS })
  await page.click(`[data-id="${r.json.id}"] .mcp-link`)
  await page.waitForSelector('#connect', { timeout: STEP_MS })
  // What a popup blocker does to window.open.
  await page.evaluate(() => { window.open = () => null })
  await page.click('#connect')
  await page.waitForSelector('#connect-tab', { timeout: STEP_MS })
  assert.match(await text('#connection .problem'), 'popup_blocked')
  // The tab goes to the provider and comes back with the completion, which the console takes out of the address bar.
  await Promise.all([
    page.waitForURL((u) => u.origin === gw.url && u.searchParams.get('oauth_status') === 'pending_confirmation', { timeout: STEP_MS, waitUntil: 'commit' }),
    page.click('#connect-tab'),
  ])
  await page.waitForSelector('#connection .badge.ok', { timeout: STEP_MS })
  assert.match(await text('h2'), 'protected-3')
  assert.is(new URL(page.url()).search, '', 'no completion left in the address')
  const v = await gw.req('GET', `/mcps/${r.json.id}`, { token: alice })
  assert.is(v.json.connection.state, 'connected')
})

test('the audit log and usage show the calls just made', async () => {
  // Audit records (and usage counters) are written in batches: wait for the calls above to be written.
  await auditFlushed()
  // A plain fetch: without the audit routes this 404 is outside the OpenAPI contract that gw.req checks.
  const probe = await fetch(`${gw.base}/audit?limit=1`, { headers: { authorization: `Bearer ${alice}` } })
  await page.goto(`${gw.url}/`, { timeout: STEP_MS })
  await page.click('[data-id] .mcp-link >> text=everything')
  await page.waitForSelector('#usage dl, #usage p', { timeout: STEP_MS })
  if (probe.status === 404) {
    // TODO(lead): the audit and usage routes (#17 §3, helper auditapi) are not on this branch; once merged this
    // branch is dead and the assertions below run. Until then the console must say so instead of failing.
    console.warn('TODO console-browser: GET /api/v1/audit is 404 on this branch: checking the graceful fallback only')
    assert.match(await text('#usage'), 'not available')
    await page.click('#nav [data-screen=audit]')
    await page.waitForSelector('#audit p', { timeout: STEP_MS })
    assert.match(await text('#audit'), 'not available')
    return
  }
  assert.is(probe.status, 200, await probe.text())
  await page.waitForSelector('#usage-calls', { timeout: STEP_MS })
  assert.is(await text('#usage-calls'), '2', 'two tool calls on everything (long-running, get-sum; the refused form sent nothing)')
  await page.click('#nav [data-screen=audit]')
  await page.waitForSelector('#audit tbody tr', { timeout: STEP_MS })
  const actions = await page.locator('#audit tbody tr td:nth-child(3)').allTextContents()
  assert.ok(actions.includes('tool.execute'), actions.join(','))
  assert.ok(actions.includes('mcp.create'), actions.join(','))
  assert.ok(actions.includes('oauth.complete'), actions.join(','))
  await shot('audit')
})

test('no script error or CSP violation on any screen; signing out forgets the token', async () => {
  await page.click('#signout')
  await page.waitForSelector('#signin', { timeout: STEP_MS })
  assert.is(await page.evaluate(() => sessionStorage.length), 0)
  await shot('signin')
  assert.equal(problems, [])
})

test.run()
