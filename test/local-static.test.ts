/**
 * Local mode serves public/ (the console) as Hosting does: files for paths no
 * rewrite takes, `/` as index.html, with the console's CSP; never a file
 * outside public/, never a dotfile, and API paths stay the functions'.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startLocal, type Local } from '../shared/local/server.js'
import { publicFile } from '../shared/local/static.js'

const test = suite('local mode serves public/')
let dir = ''
let root = ''
let local: Local

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-static-'))
  root = join(dir, 'public')
  await mkdir(join(root, 'console'), { recursive: true })
  await mkdir(join(root, '.hidden'))
  await writeFile(join(root, 'index.html'), '<!doctype html><p>console</p>')
  await writeFile(join(root, 'console', 'app.js'), 'export {}')
  await writeFile(join(root, '.env'), 'SECRET=1')
  await writeFile(join(root, '.hidden', 'x.js'), 'x')
  await writeFile(join(dir, 'outside.txt'), 'outside public')
  local = await startLocal({ port: 0, publicDir: root, handlers: { health: async (_q, s) => { s.writeHead(200, { 'content-type': 'application/json' }).end('{"fn":true}') } } })
})

test.after(async () => {
  await local?.close()
  await rm(dir, { recursive: true, force: true })
})

/** A raw GET (fetch would normalise `..` away before sending it). */
function raw(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(local.url)
  return new Promise((resolve, reject) => {
    const r = request({ host: u.hostname, port: u.port, path, method }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    r.on('error', reject)
    r.end()
  })
}

test('/ is index.html, with a self-only CSP, nosniff and no-referrer', async () => {
  const r = await raw('/')
  assert.is(r.status, 200)
  assert.is(r.headers['content-type'], 'text/html; charset=utf-8')
  assert.match(String(r.headers['content-security-policy']), "default-src 'self'; script-src 'self'")
  assert.match(String(r.headers['content-security-policy']), "frame-ancestors 'none'")
  assert.is(r.headers['x-content-type-options'], 'nosniff')
  assert.is(r.headers['referrer-policy'], 'no-referrer')
  assert.is(r.body, '<!doctype html><p>console</p>')
})

test('a module is served as JavaScript; HEAD has the headers and no body', async () => {
  const r = await raw('/console/app.js')
  assert.is(r.status, 200)
  assert.is(r.headers['content-type'], 'text/javascript; charset=utf-8')
  assert.is(r.body, 'export {}')
  const h = await raw('/console/app.js', 'HEAD')
  assert.is(h.status, 200)
  assert.is(h.headers['content-length'], '9')
  assert.is(h.body, '')
})

test('paths that climb out of public/, encoded or not, and dotfiles are 404 problems', async () => {
  for (const p of ['/../outside.txt', '/console/../../outside.txt', '/%2e%2e/outside.txt', '/console/%2e%2e%2f%2e%2e%2foutside.txt', '/..%5coutside.txt', '/.env', '/.hidden/x.js', '/%2eenv', '/console/app.js%00.png', '/%E0%A4%A']) {
    const r = await raw(p)
    assert.is(r.status, 404, p)
    assert.is(r.headers['content-type'], 'application/problem+json', p)
    assert.not.match(r.body, 'outside public', p)
    assert.not.match(r.body, 'SECRET', p)
  }
  assert.is(publicFile(root, '/../outside.txt'), null)
  assert.is(publicFile(root, '/console/app.js'), join(root, 'console', 'app.js'))
})

test('a rewrite still wins over public/, POST to a file is 404, a missing file is 404', async () => {
  const h = await raw('/api/v1/health')
  assert.equal(JSON.parse(h.body), { fn: true })
  assert.is((await raw('/index.html', 'POST')).status, 404)
  const m = await raw('/nope.js')
  assert.is(m.status, 404)
  assert.is(JSON.parse(m.body).code, 'not_found')
})

test.run()
