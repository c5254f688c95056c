/**
 * shared/egress/undici.ts takes undici's Agent, connector and request from their
 * own modules (not undici's index, which loads all of undici): they must be
 * undici's very exports and behave as its `request` does, so an undici update
 * that moves or changes them fails here rather than in production.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as undici from 'undici'
import { Agent, buildConnector, request } from '../shared/egress/undici.js'

const test = suite('egress undici parts')
let server: Server
let base = ''
const seen: string[] = []
test.before(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    let body = ''
    req.on('data', (c) => { body += c })
    req.on('end', () => {
      res.setHeader('x-echo', req.headers['x-test'] ?? '')
      res.setHeader('set-cookie', ['a=1', 'b=2'])
      res.end(JSON.stringify({ body }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
test.after(() => new Promise<void>((r) => server.close(() => r())))

test("they are undici's own Agent and buildConnector", () => {
  assert.is(Agent, undici.Agent)
  assert.is(buildConnector, undici.buildConnector)
})

test("request answers as undici's does: path and query, headers (repeated ones too), body", async () => {
  const agent = new Agent()
  try {
    const opts = { method: 'POST' as const, headers: { 'x-test': 'yes' }, body: 'hello', dispatcher: agent }
    const mine = await request(`${base}/mcp?x=1&y=%20`, opts)
    const theirs = await undici.request(`${base}/mcp?x=1&y=%20`, opts)
    for (const r of [mine, theirs]) {
      assert.is(r.statusCode, 200)
      assert.is(r.headers['x-echo'], 'yes')
      assert.equal(r.headers['set-cookie'], ['a=1', 'b=2'])
      assert.equal(await r.body.json(), { body: 'hello' })
    }
    assert.equal(seen.slice(-2), ['POST /mcp?x=1&y=%20', 'POST /mcp?x=1&y=%20'])
  } finally {
    await agent.close()
  }
})

test('request refuses what is not http(s), as undici does', async () => {
  const agent = new Agent()
  try {
    let mine: unknown
    let theirs: unknown
    // undici's index throws, its parts reject: either way the caller's await fails.
    await (async () => request('file:///etc/passwd', { method: 'GET', dispatcher: agent }))().catch((e) => { mine = e })
    await (async () => undici.request('file:///etc/passwd', { method: 'GET', dispatcher: agent }))().catch((e) => { theirs = e })
    assert.ok(mine instanceof Error, 'mine refused')
    assert.ok(theirs instanceof Error, 'undici refused')
  } finally {
    await agent.close()
  }
})

test.run()
