import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { addressAllowed, checkOAuthUrl, checkUrl } from '../shared/egress/policy.js'
import { parseConfig } from '../shared/config.js'

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

test('IPv6 forms that carry a private or loopback IPv4 address are refused, in URLs and as resolved addresses', () => {
  const carriers = [
    '::a9fe:a9fe', '::7f00:1', '::127.0.0.1', '::a00:1', // IPv4-compatible (::/96, deprecated)
    '::ffff:0:7f00:1', '::ffff:0:a9fe:a9fe', // IPv4-translated
    '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b::a00:1', '64:ff9b:1::a00:1', '64:ff9b:1:7f00:1::', // NAT64, well-known and local-use
    '2002:7f00:1::', '2002:a9fe:a9fe::1', '2002:c0a8:101::1', // 6to4
    '2001:0:7f00:1::', '2001:0:808:808::f5ff:fffe', '2001:0:808:808::80ff:fffe', // Teredo: loopback server; client 10.0.0.1, 127.0.0.1 (inverted)
    '::ffff:169.254.169.254', // IPv4-mapped
  ]
  for (const a of carriers) {
    assert.is(addressAllowed(prod, a), false, a)
    assert.is(addressAllowed(local, a), false, `${a} is not this host's loopback`)
    assert.is(checkUrl(prod, `https://[${a}]/mcp`).ok, false, a)
  }
  // An IPv4-mapped loopback address is this host's loopback: local mode only.
  assert.is(addressAllowed(prod, '::ffff:7f00:1'), false)
  assert.is(addressAllowed(local, '::ffff:7f00:1'), true)
  // The same forms around a public IPv4 address are as public as that address.
  for (const a of ['64:ff9b::808:808', '2002:808:808::1', '2001:0:808:808::fefe:fefe', '::ffff:0:808:808']) assert.is(addressAllowed(prod, a), true, a)
})

test('an allowlist entry with a port admits that port only; one without admits every port', () => {
  const p = { ...prod, allowlist: ['127.0.0.1:8443', '[::1]:8443', 'mcp.corp.example:8443', '10.8.0.0/16:443', '10.9.0.1', '*.lab.example:9000'] }
  assert.is(checkUrl(p, 'https://127.0.0.1:8443/mcp').ok, true)
  assert.is(checkUrl(p, 'http://127.0.0.1:8443/mcp').ok, true, 'allowlisted: plain http too')
  for (const u of ['https://127.0.0.1:8444/mcp', 'https://127.0.0.1/mcp', 'http://127.0.0.1/mcp', 'https://[::1]:8444/', 'https://10.8.1.1:8443/'])
    assert.is(checkUrl(p, u).ok, false, u)
  assert.is(checkUrl(p, 'https://[::1]:8443/').ok, true)
  assert.is(checkUrl(p, 'https://10.8.1.1/').ok, true, 'CIDR with port 443, the https default')
  assert.is(checkUrl(p, 'https://10.9.0.1:1/').ok, true, 'no port: every port')
  assert.is(checkUrl(p, 'https://10.9.0.1:65535/').ok, true)
  // Names: the resolved address is admitted for the listed port only.
  assert.is(addressAllowed(p, '10.1.2.3', 'mcp.corp.example', 8443), true)
  assert.is(addressAllowed(p, '10.1.2.3', 'mcp.corp.example', 443), false)
  assert.is(addressAllowed(p, '10.1.2.3', 'a.lab.example', 9000), true)
  assert.is(addressAllowed(p, '10.1.2.3', 'a.lab.example', 9001), false)
  assert.is(addressAllowed(p, '127.0.0.1', '127.0.0.1', 8443), true)
  assert.is(addressAllowed(p, '127.0.0.1', '127.0.0.1', 8080), false)
  assert.is(addressAllowed(p, '127.0.0.1'), false, 'port unknown: a port entry does not count')
})

test('EGRESS_ALLOWLIST entries with a malformed port stop start-up with a message', () => {
  for (const e of ['host.example:abc', 'host.example:0', 'host.example:70000', '[::1]:', 'https://host.example'])
    assert.throws(() => parseConfig({ EGRESS_ALLOWLIST: e }), (err: Error) => err.message.includes('EGRESS_ALLOWLIST') && err.message.includes(e), e)
  assert.equal(parseConfig({ EGRESS_ALLOWLIST: '127.0.0.1:8443, [::1]:8443,::1, *.corp.example:443, 10.0.0.0/8' }).egressAllowlist, ['127.0.0.1:8443', '[::1]:8443', '::1', '*.corp.example:443', '10.0.0.0/8'])
})

test('local mode: plain http only on loopback or to an allowlisted host, and the refusal says how to allow it', () => {
  const v = checkUrl(local, 'http://example.com/mcp')
  assert.is(v.ok, false)
  assert.match((v as { reason: string }).reason, /EGRESS_ALLOWLIST/)
  assert.is(checkUrl(local, 'http://10.0.0.1/mcp').ok, false)
  for (const u of ['http://127.0.0.1:3001/mcp', 'http://[::1]:3001/mcp', 'http://localhost:3001/mcp', 'http://a.localhost/mcp', 'https://example.com/mcp'])
    assert.is(checkUrl(local, u).ok, true, u)
  assert.is(checkUrl({ ...local, allowlist: ['example.com'] }, 'http://example.com/mcp').ok, true)
  assert.is(checkUrl({ ...local, allowlist: ['example.com:8080'] }, 'http://example.com:8080/mcp').ok, true)
  assert.is(checkUrl({ ...local, allowlist: ['example.com:8080'] }, 'http://example.com/mcp').ok, false)
})

test.run()
