/** Structured logs as Cloud Logging reads them: JSON lines, severity, trace, no secrets. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { startGateway, type Gateway } from './support/gateway.js'
import { logContext, maskSecrets, redact, registerSecrets, setLogSink, log } from '../shared/log.js'

const test = suite('logging')
let gw: Gateway

test.before(async () => {
  gw = await startGateway({ env: { GOOGLE_CLOUD_PROJECT: 'proj-1' } })
})
test.after(async () => {
  await gw.close()
})

test('every request logs one JSON line with severity, httpRequest and the trace from X-Cloud-Trace-Context', async () => {
  const token = await gw.token('alice')
  const before = gw.logs.length
  const r = await gw.req('GET', '/mcps', { token, headers: { 'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1;o=1' } })
  assert.is(r.status, 200)
  // The request line is written as the response ends, before the client can read it.
  const lines = gw.logs.slice(before).map((l) => JSON.parse(l))
  const line = lines.find((l) => l.httpRequest?.requestUrl === '/api/v1/mcps')
  assert.ok(line, 'request line written')
  assert.is(line.severity, 'INFO')
  assert.is(line['logging.googleapis.com/trace'], 'projects/proj-1/traces/105445aa7843bc8bf206b12000100000')
  assert.is(line.httpRequest.status, 200)
  assert.match(line.httpRequest.latency, /^\d+\.\d+s$/)
  assert.is(line.function, 'registry')
})

test('a W3C traceparent header is understood too', async () => {
  const before = gw.logs.length
  await gw.req('GET', '/health', { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } })
  const line = gw.logs.slice(before).map((l) => JSON.parse(l)).find((l) => l.httpRequest)
  assert.ok(line, 'request line written')
  assert.is(line['logging.googleapis.com/trace'], 'projects/proj-1/traces/4bf92f3577b34da6a3ce929d0e0e4736')
})

test('a 4xx logs at INFO with its code; nothing of the rejected body is logged', async () => {
  const token = await gw.token('alice')
  const before = gw.logs.length
  await gw.req('POST', '/mcps', { token, body: { name: 'x', type: 'http', endpoint: 'https://e.example/mcp', auth_type: 'none', config: { token: 'body-secret-xyz' } } })
  // The request line is the last thing a request logs: once it is there, everything it logged is.
  const line = gw.logs.slice(before).map((l) => JSON.parse(l)).find((l) => l.httpRequest?.requestUrl === '/api/v1/mcps')
  assert.ok(line, 'request line written')
  assert.is(line.severity, 'INFO')
  const text = gw.logs.slice(before).join('\n')
  assert.match(text, '"code":"invalid_request"')
  assert.not.match(text, 'body-secret-xyz')
})

test('redact scrubs bearer tokens and JWT-shaped strings from free text', () => {
  assert.is(redact('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer [redacted]')
  assert.not.match(redact('token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl here'), 'eyJzdWIi')
})

test('a request\'s registered secret values are masked in its log lines and in masked text, escaped forms too; short ones are not', () => {
  const lines: string[] = []
  const prev = setLogSink((l) => lines.push(l))
  try {
    logContext.run({ requestId: 'r1' }, () => {
      registerSecrets(['api-key-12345', 'api-key-12345-longer', 'qu"ote\\val-9', 'short', undefined])
      log('WARNING', 'upstream said api-key-12345-longer and api-key-12345', { echoed: { text: 'qu"ote\\val-9 and short' } })
      assert.is(maskSecrets('x api-key-12345-longer y api-key-12345'), 'x [redacted] y [redacted]')
      // The upstream's JSON inside our JSON: escaped twice.
      assert.not.match(JSON.stringify({ m: JSON.stringify({ h: 'qu"ote\\val-9' }) }).replace(/.*/, (t) => maskSecrets(t)), 'val-9')
    })
    // Another request (or none) masks nothing of it.
    assert.is(maskSecrets('api-key-12345'), 'api-key-12345')
  } finally {
    setLogSink(prev)
  }
  assert.is(lines.length, 1)
  assert.not.match(lines[0]!, 'api-key-12345')
  assert.not.match(lines[0]!, 'val-9')
  assert.match(lines[0]!, 'and short')
  assert.match(lines[0]!, 'upstream said [redacted] and [redacted]')
})

test.run()
