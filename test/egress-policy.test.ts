import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { addressAllowed, checkOAuthUrl, checkUrl } from '../shared/egress/policy.js'

const prod = { requireHttps: true, allowLoopback: false, allowlist: [] as string[] }
const local = { requireHttps: false, allowLoopback: true, allowlist: [] as string[] }
const test = suite('egress policy')

test('production refuses plain http, credentials and odd schemes', () => {
  for (const u of ['http://example.com/mcp', 'ftp://example.com', 'javascript:alert(1)', 'data:text/plain,hi', 'file:///etc/passwd', 'https://u:p@example.com/mcp', 'not a url'])
    assert.is(checkUrl(prod, u).ok, false, u)
  assert.is(checkUrl(prod, 'https://example.com/mcp').ok, true)
})

test('production refuses loopback, private, link-local and metadata addresses however they are written', () => {
  for (const u of [
    'https://127.0.0.1/', 'https://127.1/', 'https://0x7f.0.0.1/', 'https://2130706433/', 'https://127。0。0。1/',
    'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://10.0.0.1/', 'https://192.168.1.1/', 'https://172.16.0.1/',
    'https://169.254.169.254/', 'https://metadata.google.internal/', 'https://localhost/', 'https://foo.localhost/',
    'https://0.0.0.0/', 'https://[fe80::1]/', 'https://[fc00::1]/', 'https://100.64.0.1/',
  ])
    assert.is(checkUrl(prod, u).ok, false, u)
})

test('local mode allows loopback over http but still not the metadata server', () => {
  assert.is(checkUrl(local, 'http://127.0.0.1:3001/mcp').ok, true)
  assert.is(checkUrl(local, 'http://localhost:3001/mcp').ok, true)
  assert.is(checkUrl(local, 'http://169.254.169.254/').ok, false)
  assert.is(checkUrl(local, 'http://10.1.2.3/').ok, false)
})

test('the allowlist admits named hosts, addresses and CIDRs', () => {
  const p = { ...prod, allowlist: ['mcp.internal.example', '*.corp.example', '10.8.0.0/16', '127.0.0.1'] }
  assert.is(checkUrl(p, 'http://mcp.internal.example/mcp').ok, true)
  assert.is(checkUrl(p, 'https://a.corp.example/').ok, true)
  assert.is(checkUrl(p, 'https://corp.example.evil/').ok, true, 'public name: allowed anyway')
  assert.is(addressAllowed(p, '10.8.3.4'), true)
  assert.is(addressAllowed(p, '10.9.3.4'), false)
  assert.is(addressAllowed(p, '127.0.0.1'), true)
  assert.is(addressAllowed(p, '::ffff:127.0.0.1'), true, 'IPv4-mapped form is the same address')
  assert.is(addressAllowed(p, '10.0.0.1', 'mcp.internal.example'), true, 'allowlisted name may resolve privately')
})

test('public unicast addresses pass', () => {
  for (const a of ['8.8.8.8', '2001:4860:4860::8888', '1.1.1.1']) assert.is(addressAllowed(prod, a), true, a)
  for (const a of ['127.0.0.1', '::1', '10.0.0.1', '169.254.169.254', '::ffff:10.0.0.1', 'garbage']) assert.is(addressAllowed(prod, a), false, a)
})

test('OAuth endpoints: https, or plain http on loopback in local mode only', () => {
  assert.is(checkOAuthUrl(local, 'http://127.0.0.1:9000/token').ok, true)
  assert.is(checkOAuthUrl(local, 'http://localhost:9000/token').ok, true)
  assert.equal(checkOAuthUrl({ ...local, allowlist: ['auth.corp.example'] }, 'http://auth.corp.example/token'), { ok: false, reason: 'must use https' })
  assert.is(checkOAuthUrl(prod, 'http://127.0.0.1:9000/token').ok, false)
  assert.is(checkOAuthUrl(prod, 'https://auth.example/token').ok, true)
  assert.is(checkOAuthUrl(local, 'javascript:alert(1)').ok, false)
})

test.run()
