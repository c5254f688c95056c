/**
 * The two audit records written outside a caller's request carry an org, so
 * an org admin's `GET /api/v1/audit` lists them: `oauth.connect` (the
 * provider's callback: the org of the user who started the flow) and
 * `stdio.home_save` (the stdio pool: the config's org). Through the real
 * gateway in local mode, a real authorization server and a real stdio process.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGateway, type Gateway } from './support/gateway.js'
import { writeTestCatalog, type TestCatalog } from './support/pool.js'
import { startProvider, type ProviderHandle } from './oauth/provider.js'
import { startProtectedMcp, type ProtectedMcpHandle } from './oauth/protected-mcp.js'
import { APP, connectOAuth, registerOAuth } from './oauth/gateway-flow.js'
import { stopPool } from '../shared/stdio-pool/instance.js'
import { auditFlushed } from '../shared/audit.js'

const test = suite('audit org')
let gw: Gateway
let as: ProviderHandle
let mcp: ProtectedMcpHandle
let cat: TestCatalog
let poolDir: string
let carol: string, dave: string, erin: string

test.before(async () => {
  cat = await writeTestCatalog({ fake: { home_max_bytes: 64 * 1024 } })
  poolDir = await mkdtemp(join(tmpdir(), 'audit-org-'))
  as = await startProvider()
  mcp = await startProtectedMcp({ issuer: as.issuer, jwksUrl: as.jwksUrl })
  gw = await startGateway({ env: { APP_ORIGINS: APP, STDIO_CATALOG: cat.file, POOL_DATA_DIR: poolDir, POOL_HOME_SAVE_MS: '200' } })
  carol = await gw.token('carol', { org: 'acme' })
  dave = await gw.token('dave', { org: 'acme', admin: true })
  erin = await gw.token('erin', { org: 'globex', admin: true })
})

test.after(async () => {
  await stopPool(1000)
  await gw?.close()
  await mcp?.stop()
  await as?.stop()
  await rm(poolDir, { recursive: true, force: true })
  await rm(cat.dir, { recursive: true, force: true })
})

const audited = async (token: string, action: string) => {
  await auditFlushed()
  const r = await gw.req('GET', `/audit?action=${action}`, { token })
  assert.is(r.status, 200, r.text)
  return r.json.items as any[]
}

test('oauth.connect by an org member: her org admin sees it (org of the user who started), another org\'s admin does not', async () => {
  const id = await registerOAuth(gw, carol, mcp.url)
  await connectOAuth(gw, id, carol)
  const seen = (await audited(dave, 'oauth.connect')).filter((i) => i.mcp_id === id)
  assert.is(seen.length, 1, JSON.stringify(seen))
  assert.equal([seen[0].actor, seen[0].org, seen[0].outcome], ['carol', 'acme', 'ok'])
  assert.equal((await audited(erin, 'oauth.connect')).filter((i) => i.mcp_id === id), [])
})

test('stdio.home_save refused on an org config: the org admin sees it, another org\'s admin does not', async () => {
  const c = await gw.req('POST', '/mcps', { token: dave, body: { name: 'fake', type: 'stdio', scope: 'org', config: { catalog_id: 'fake', tool_policy: { mode: 'open' } } } })
  assert.is(c.status, 201, c.text)
  const id = c.json.id as string
  const w = await gw.req('POST', `/mcps/${id}/tools/write/execute`, { token: carol, body: { arguments: { name: 'big.bin', bytes: 100 * 1024 } } })
  assert.is(w.status, 200, w.text)
  // The periodic save (200 ms here) refuses the home: bounded wait for its record.
  let seen: any[] = []
  for (let i = 0; i < 100 && !seen.length; i++) {
    seen = (await audited(dave, 'stdio.home_save')).filter((x) => x.mcp_id === id)
    if (!seen.length) await new Promise((r) => setTimeout(r, 100))
  }
  assert.is(seen.length >= 1, true, 'the org admin sees the refused save')
  assert.equal([seen[0].actor, seen[0].org, seen[0].outcome, seen[0].code], ['carol', 'acme', 'denied', 'home_too_large'])
  assert.equal((await audited(erin, 'stdio.home_save')).filter((x) => x.mcp_id === id), [])
})

test.run()
