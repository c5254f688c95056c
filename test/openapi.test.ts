/**
 * The OpenAPI document (shared/openapi): it describes exactly the routes
 * firebase.json sends to the functions, with the methods each function
 * serves; a real validator (@redocly/openapi-core) finds no error in it; the
 * contract check that every gateway test runs (test/support/contract.ts)
 * refuses a response the document does not describe; and the gateway serves
 * the document and its reference page.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import { buildDocument, openapiDocument } from '../shared/openapi/document.js'
import { FUNCTIONS } from '../functions/names.js'
import { registeredRoutes } from '../shared/http.js'
import { loadRewrites, matchRewrite } from '../shared/local/routes.js'
import { FIREBASE_JSON } from '../shared/local/server.js'
import { ContractError, contractViolation } from './support/contract.js'
import { startGateway, type Gateway } from './support/gateway.js'
import { root } from './fixtures/terraform.js'

const test = suite('openapi')
const doc = buildDocument() as { paths: Record<string, Record<string, any>>; components: any }
const METHODS = ['get', 'post', 'put', 'patch', 'delete']
// Issue 17 §3: served by the registry function once its branch is merged; until then in the document only.
const UPCOMING = new Set(['/api/v1/audit', '/api/v1/mcps/{}/usage'])

/**
 * Every path a firebase.json rewrite regex matches, with `[^/]+` as `{}`. Only the regex forms firebase.json
 * uses are understood (literals, `\.`, groups with `|`, `?`, `[^/]+`); anything else fails loudly.
 */
export function expand(regex: string): string[] {
  let i = 0
  const alt = (): string[] => {
    const out: string[] = []
    let cur = ['']
    while (i < regex.length && regex[i] !== ')') {
      const c = regex[i]!
      let atom: string[]
      if (c === '|') { out.push(...cur); cur = ['']; i++; continue }
      if ((c === '^' && i === 0) || (c === '$' && i === regex.length - 1)) { i++; continue }
      if (c === '(') {
        i += regex.startsWith('(?:', i) ? 3 : 1
        atom = alt()
        if (regex[i++] !== ')') throw new Error(`unbalanced group in ${regex}`)
      } else if (regex.startsWith('[^/]+', i)) { atom = ['{}']; i += 5 }
      else if (c === '\\') { atom = [regex[i + 1]!]; i += 2 }
      else if (/[A-Za-z0-9/._-]/.test(c)) { atom = [c]; i++ }
      else throw new Error(`firebase.json regex ${regex}: "${c}" at ${i} is not understood by this test; teach expand() about it`)
      if (regex[i] === '?') { atom = ['', ...atom]; i++ }
      cur = cur.flatMap((a) => atom.map((b) => a + b))
    }
    out.push(...cur)
    return out
  }
  const all = alt()
  if (i !== regex.length) throw new Error(`unbalanced ) in ${regex}`)
  return all
}

const norm = (template: string) => template.replace(/\{[^}]+\}/g, '{}')
const concrete = (p: string) => p.replace(/\{\}/g, 'x1')

/** The methods a function serves at a path, from the routes it registered (the well-known metadata is GET, in its handler). */
function served(path: string): string[] {
  const fn = matchRewrite(loadRewrites(FIREBASE_JSON), path)
  if (!fn) return []
  if (path.startsWith('/.well-known/')) return ['get']
  const sub = path.slice('/api/v1'.length)
  return [...new Set((registeredRoutes.get(fn) ?? []).filter((r) => r.path.test(sub)).map((r) => r.method.toLowerCase()))].sort()
}

test('expand() reads the rewrite forms firebase.json uses', () => {
  assert.equal(expand('^/api/v1/(a|b/[^/]+)(/c)?$').sort(), ['/api/v1/a', '/api/v1/a/c', '/api/v1/b/{}', '/api/v1/b/{}/c'])
  assert.equal(expand('^/x/(p|q\\.json)$'), ['/x/p', '/x/q.json'])
  assert.throws(() => expand('^/x/.*$'), /not understood/)
})

test('the document has exactly the paths of firebase.json, each with the methods its function serves', async () => {
  await Promise.all(Object.values(FUNCTIONS).map((load) => load()))
  const rewrites = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8')).hosting.rewrites as { regex: string }[]
  const routed = new Set(rewrites.flatMap((r) => expand(r.regex)))
  const documented = new Set(Object.keys(doc.paths).map(norm))
  for (const p of routed) assert.ok(documented.has(p), `firebase.json routes ${p}, the OpenAPI document does not describe it`)
  for (const p of documented) assert.ok(routed.has(p) || UPCOMING.has(p), `the OpenAPI document describes ${p}, firebase.json does not route it`)
  assert.ok(routed.size >= 35, `${routed.size} paths`)
  for (const [template, item] of Object.entries(doc.paths)) {
    const p = concrete(norm(template))
    if (!routed.has(norm(template))) continue
    const inDoc = Object.keys(item).filter((k) => METHODS.includes(k)).sort()
    assert.equal(inDoc, served(p), `${template}: the document has ${inDoc}, the function serves ${served(p)}`)
  }
})

test('every operation has a summary, an id, its problem codes, and only success or problem responses', () => {
  const ids = new Set<string>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      assert.ok(op.summary && op.operationId, `${method} ${path}`)
      assert.not.ok(ids.has(op.operationId), `operationId ${op.operationId} twice`)
      ids.add(op.operationId)
      assert.ok(Array.isArray(op['x-problem-codes']), `${method} ${path}`)
      for (const [status, r] of Object.entries<any>(op.responses)) {
        if (Number(status) >= 400 && r.content?.['application/problem+json']) {
          const codes = r.content['application/problem+json'].schema.allOf[1].properties.code.enum as string[]
          for (const c of codes) assert.ok(op['x-problem-codes'].includes(c), `${method} ${path} ${status} ${c}`)
        }
      }
    }
  }
  // An authenticated route answers 401; none documents a 500 (the only 500 is a bug).
  assert.ok(doc.paths['/api/v1/mcps']!.get.responses['401'])
  assert.not.ok(JSON.stringify(doc.paths).includes('"500"'))
})

test('request schemas are the objects the gateway validates with, under their $id', async () => {
  const { createSchema, patchSchema } = await import('../shared/registry/schema.js')
  const { executeBody } = await import('../shared/mcp/schema.js')
  for (const s of [createSchema, patchSchema, executeBody]) {
    const { $id, ...rest } = s as { $id: string }
    assert.equal(doc.components.schemas[$id], rest)
  }
  assert.equal(doc.paths['/api/v1/mcps/{id}']!.patch.requestBody.content['application/json'].schema, { $ref: '#/components/schemas/mcp.patch' })
  const limit = doc.paths['/api/v1/mcps']!.get.parameters.find((p: any) => p.name === 'limit')
  assert.is(limit.schema.pattern, '^(100|[1-9][0-9]?)$')
})

test('@redocly/openapi-core (recommended rules) finds no error in the document', async () => {
  const config = await createConfig({ extends: ['recommended'] })
  const problems = await lintFromString({ source: openapiDocument().text, absoluteRef: 'openapi.json', config })
  const errors = problems.filter((p) => p.severity === 'error')
  assert.equal(errors.map((e) => `${e.ruleId}: ${e.message} at ${e.location[0]?.pointer}`), [])
  // It does read the document: a broken one is refused.
  const broken = JSON.parse(openapiDocument().text)
  delete broken.paths['/api/v1/mcps/{id}'].get.responses
  broken.paths['/api/v1/mcps/{id}'].get.parameters = []
  const found = await lintFromString({ source: JSON.stringify(broken), absoluteRef: 'openapi.json', config })
  assert.ok(found.some((p) => p.severity === 'error'), 'a document without responses or path parameters passed the lint')
})

test('the contract check refuses what the document does not describe', () => {
  const ok = { items: [], next_cursor: null }
  assert.is(contractViolation('GET', '/api/v1/mcps', 200, 'application/json; charset=utf-8', JSON.stringify(ok)), null)
  // A body its schema refuses, an undocumented status, media type, problem code, method or path.
  assert.match(contractViolation('GET', '/api/v1/mcps', 200, 'application/json', '{"items": 3}') ?? '', /does not match/)
  assert.match(contractViolation('GET', '/api/v1/mcps', 418, 'application/json', '{}') ?? '', /status 418 is not documented/)
  assert.match(contractViolation('GET', '/api/v1/mcps', 200, 'text/plain', 'hi') ?? '', /content type text\/plain/)
  const problem = (code: string, status: number) => JSON.stringify({ type: `https://mcp-gateway.dev/problems/${code}`, title: 't', status, detail: 'd', code })
  assert.is(contractViolation('GET', '/api/v1/mcps/abc', 404, 'application/problem+json', problem('not_found', 404)), null)
  assert.match(contractViolation('GET', '/api/v1/mcps/abc', 404, 'application/problem+json', problem('nope', 404)) ?? '', /code/)
  assert.match(contractViolation('GET', '/api/v1/mcps/abc', 500, 'application/problem+json', problem('internal', 500)) ?? '', /500 is not documented/)
  assert.match(contractViolation('PUT', '/api/v1/mcps/abc', 200, 'application/json', '{}') ?? '', /PUT is not documented/)
  assert.is(contractViolation('PUT', '/api/v1/mcps/abc', 405, 'application/problem+json', problem('method_not_allowed', 405)), null)
  assert.match(contractViolation('GET', '/api/v1/nowhere', 200, 'application/json', '{}') ?? '', /not in the OpenAPI document/)
  assert.match(contractViolation('DELETE', '/api/v1/mcps/abc', 204, 'application/json', '{"a":1}') ?? '', /no body/)
  // Streams: each event must be one the document names, with valid data.
  const exec = '/api/v1/mcps/abc/tools/echo/execute'
  const result = JSON.stringify({ content: [], structured_content: null, is_error: false, status: 'completed' })
  assert.is(contractViolation('POST', exec, 200, 'text/event-stream', `event: progress\ndata: {"progress":1,"total":2,"message":null}\n\nevent: result\ndata: ${result}\n\n`), null)
  assert.match(contractViolation('POST', exec, 200, 'text/event-stream', 'event: surprise\ndata: {}\n\n') ?? '', /does not name/)
  assert.match(contractViolation('POST', exec, 200, 'text/event-stream', 'event: result\ndata: {"content":"x"}\n\n') ?? '', /event result: the body does not match/)
})

test('gateway req() throws on a response that breaks the contract (and not with contract: false)', async () => {
  // A stand-in for a drifted gateway: answers GET /api/v1/mcps with a body the document does not allow.
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":"none"}'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const gw = await startGateway()
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/mcps`
    let thrown: unknown
    await gw.req('GET', url).catch((e) => (thrown = e))
    assert.instance(thrown, ContractError)
    assert.match(String((thrown as Error).message), /GET \/api\/v1\/mcps → 200: the body does not match/)
    assert.is((await gw.req('GET', url, { contract: false })).json.items, 'none')
  } finally {
    await gw.close()
    server.close()
  }
})

let gw: Gateway
test('GET /api/v1/openapi.json serves the generated document, without auth, cacheable with an ETag', async () => {
  gw = await startGateway()
  const r = await gw.req('GET', '/openapi.json')
  assert.is(r.status, 200)
  assert.equal(r.json, JSON.parse(JSON.stringify(buildDocument())))
  const etag = r.headers.get('etag')
  assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/)
  assert.match(r.headers.get('cache-control') ?? '', /max-age=\d+/)
  const again = await gw.req('GET', '/openapi.json', { headers: { 'if-none-match': etag! } })
  assert.is(again.status, 304)
  assert.is(again.text, '')
})

test('GET /api/v1/docs is the reference page; its assets come from the gateway, under a self-only CSP', async () => {
  const page = await gw.req('GET', '/docs')
  assert.is(page.status, 200)
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
  const csp = page.headers.get('content-security-policy') ?? ''
  assert.match(csp, /default-src 'none'/)
  assert.match(csp, /script-src 'self';/)
  assert.not.match(csp, /unsafe|https?:/)
  const srcs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)
  assert.ok(srcs.length >= 3, page.text)
  for (const s of srcs) {
    assert.not.match(s, /^(https?:)?\/\//, `${s} is not the gateway's`)
    const a = await gw.req('GET', new URL(s, `${gw.base}/docs`).href)
    assert.is(a.status, 200, s)
    assert.ok(a.text.length > 0, s)
  }
  const init = await gw.req('GET', '/docs/init.js')
  assert.match(init.text, /url: 'openapi\.json'/)
  const bundle = await gw.req('GET', '/docs/swagger-ui-bundle.js')
  assert.match(bundle.headers.get('content-type') ?? '', /javascript/)
  assert.ok(bundle.text.length > 500_000)
  assert.is((await gw.req('GET', '/docs/package.json')).status, 404)
  assert.is((await gw.req('GET', '/docs/index.html')).status, 404)
  await gw.close()
})

test.run()
