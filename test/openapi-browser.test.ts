/**
 * The reference page at /api/v1/docs in a real browser (Debian chromium,
 * headless): Swagger UI loads from the gateway under its self-only CSP, reads
 * /api/v1/openapi.json and renders every operation, with no CSP violation
 * and no request leaving the gateway.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import type { Browser } from 'playwright-core'
import { needs } from './support/components.js'
import { launchChromium, noChromium } from './oauth/chromium.js'
import { startGateway, type Gateway } from './support/gateway.js'
import { openapiDocument } from '../shared/openapi/document.js'

const test = needs(suite('openapi docs page in a browser'), noChromium())
let browser: Browser
let gw: Gateway

test.before(async () => {
  gw = await startGateway()
  browser = await launchChromium()
})
test.after(async () => {
  await browser?.close()
  await gw?.close()
})

test('Swagger UI renders every operation from the gateway alone, with no CSP violation', async () => {
  const page = await browser.newPage()
  const problems: string[] = []
  const foreign: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()) })
  page.on('pageerror', (e) => problems.push(String(e)))
  page.on('request', (r) => { if (!r.url().startsWith(gw.url) && !r.url().startsWith('data:')) foreign.push(r.url()) })
  const res = await page.goto(`${gw.url}/api/v1/docs`)
  assert.is(res?.status(), 200)
  const doc = openapiDocument().doc as { paths: Record<string, object> }
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0)
  // Every tag section is open by default: one block per operation.
  await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, operations, { timeout: 20_000 })
  assert.is(await page.locator('.opblock').count(), operations)
  assert.match(await page.locator('.info .title').textContent() ?? '', /MCP gateway API/)
  assert.equal(problems, [])
  assert.equal(foreign, [])
  await page.close()
})

test.run()
