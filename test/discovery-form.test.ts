/**
 * Setup forms and filling them (shared/discovery/form.ts), on the registry's
 * published examples and variations of them: what can be registered, what
 * the form asks, and what a filled form sends where.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fill, formOf, shapeOf } from '../shared/discovery/form.js'
import type { Remote } from '../shared/discovery/entry.js'
import { fixture } from './support/registry-server.js'

const test = suite('discovery-form')
const remoteWeather = (): Remote => fixture('servers/remote-weather-2.1.0.json').remotes[0]

test("the published with-remote example: a host variable with a default, and an Authorization header that becomes the config's token", () => {
  const s = shapeOf(remoteWeather())
  assert.is(s.reason, null)
  assert.is(s.type, 'http')
  const form = formOf(s)
  assert.equal(form.required, ['Authorization'], 'host has a default')
  assert.is(form.properties.host!.default, 'api.example.com')
  const f = fill(remoteWeather(), s, { Authorization: 'Bearer abc.def' })
  assert.ok(!Array.isArray(f))
  assert.is(f.url, 'https://api.example.com/mcp')
  assert.is(f.token, 'abc.def')
  assert.equal(f.headers, {})
  assert.equal(f.secret_headers, {})
  assert.equal(f.values, { host: 'api.example.com' })
  assert.equal(f.secret_values, { Authorization: 'Bearer abc.def' })
  const bare = fill(remoteWeather(), s, { Authorization: 'abc' })
  assert.is(!Array.isArray(bare) && bare.token, 'abc')
  const basic = fill(remoteWeather(), s, { Authorization: 'Basic a b' })
  assert.ok(Array.isArray(basic) && basic[0]!.key === 'Authorization')
})

test('header value templates: each variable is a field, secret when the header is', () => {
  const r: Remote = { type: 'sse', url: 'https://mcp.example.com/{tenant}/sse', variables: { tenant: { isRequired: true } }, headers: [{ name: 'X-Key', value: 'Key {key}', isSecret: true, variables: { key: { isRequired: true, placeholder: 'k-…' } } }, { name: 'X-Fixed', value: 'v1' }] }
  const s = shapeOf(r)
  assert.is(s.type, 'sse')
  assert.equal(s.fields.map((f) => f.key), ['tenant', 'key'])
  const form = formOf(s)
  assert.is(form.properties.key!.writeOnly, true)
  assert.is(form.properties.key!['x-mcp-target'], 'header:X-Key')
  const f = fill(r, s, { tenant: 'acme', key: 's3cr3t' })
  assert.ok(!Array.isArray(f))
  assert.is(f.url, 'https://mcp.example.com/acme/sse')
  assert.equal(f.secret_headers, { 'X-Key': 'Key s3cr3t' })
  assert.equal(f.headers, { 'X-Fixed': 'v1' })
  assert.equal(f.secret_values, { key: 's3cr3t' })
})

test('remotes the gateway cannot register say why', () => {
  const base = remoteWeather()
  const why = (r: Remote) => shapeOf(r).reason
  assert.match(why({ ...base, type: 'websocket' })!, /not supported/)
  assert.match(why({ ...base, url: '{base}/mcp', variables: { base: {} } })!, /starts with a variable/)
  assert.match(why({ ...base, url: 'https://{host}/{path}' })!, /path is not declared/)
  assert.match(why({ ...base, headers: [{ name: 'Host' }] })!, /set by the gateway/)
  assert.match(why({ ...base, headers: [{ name: 'X-A' }, { name: 'x-a' }] })!, /twice/)
  assert.match(why({ ...base, headers: [{ name: 'host' }] })!, /set by the gateway/)
  assert.match(why({ ...base, headers: [{ name: 'Bad Name' }] })!, /not a valid header name/)
  assert.match(why({ ...base, url: 'ftp://{host}/x' })!, /not an http/)
})

test('URL variable values cannot move the URL to another authority or path', () => {
  const s = shapeOf(remoteWeather())
  for (const host of ['evil.example/x', 'a@evil.example', 'evil.example?', 'evil.example#', 'a\\b', 'a b', '', 'x'.repeat(254)]) {
    const f = fill(remoteWeather(), s, { host, Authorization: 't' })
    if (host === '') assert.ok(!Array.isArray(f), 'empty means the default')
    else assert.ok(Array.isArray(f) && f.some((e) => e.key === 'host'), host)
  }
  const ok = fill(remoteWeather(), s, { host: 'mcp.example.com:8443', Authorization: 't' })
  assert.is(!Array.isArray(ok) && ok.url, 'https://mcp.example.com:8443/mcp')
})

test('choices, numbers and booleans are checked; unknown keys are refused; all problems at once', () => {
  const r: Remote = { type: 'streamable-http', url: 'https://x.example/{region}/mcp', variables: { region: { choices: ['eu', 'us'], isRequired: true } }, headers: [{ name: 'X-N', format: 'number' }, { name: 'X-B', format: 'boolean' }] }
  const s = shapeOf(r)
  const errs = fill(r, s, { region: 'mars', 'X-N': 'ten', 'X-B': 'yes', extra: 1 })
  assert.ok(Array.isArray(errs))
  assert.equal(errs.map((e) => e.key).sort(), ['X-B', 'X-N', 'extra', 'region'])
  const f = fill(r, s, { region: 'eu', 'X-N': 10, 'X-B': true })
  assert.ok(!Array.isArray(f))
  assert.equal(f.headers, { 'X-N': '10', 'X-B': 'true' })
  assert.equal(formOf(s).properties['X-N']!.type, 'number')
})

test.run()
