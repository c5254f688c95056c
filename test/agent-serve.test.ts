/**
 * shared/agent/serve.ts on its own: `serveEndpoint` behind a real HTTP
 * server on port 0, with an endpoint that counts how often it is built.
 * A 2026-07-28 request is served by one proxy built once, whether the fast
 * path takes it or the SDK does.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Server } from '@modelcontextprotocol/server'
import { serveEndpoint } from '../shared/agent/serve.js'
import type { Endpoint } from '../shared/agent/session.js'
import type { Ctx } from '../shared/http.js'
import type { Deps } from '../shared/deps.js'

const test = suite('agent-serve')
let http: HttpServer
let url: string
let builds = 0

/** An endpoint with prompts and no tools: no `tools/call` handler for the fast path. */
const promptsOnly: Endpoint = {
  owner: 'alice|p',
  async build() {
    builds++
    const caps = { prompts: { listChanged: true } }
    return {
      caps,
      server: () => {
        const s = new Server({ name: 'prompts-only', version: '1' }, { capabilities: caps })
        s.setRequestHandler('prompts/list', () => ({ prompts: [{ name: 'hello' }] }))
        return s
      },
    }
  },
}

test.before(async () => {
  http = createServer((req, res) => {
    const ac = new AbortController()
    res.once('close', () => ac.abort())
    let raw = ''
    req.on('data', (b: Buffer) => (raw += b))
    req.on('end', () => {
      const c = { req, res, deps: {} as Deps, signal: ac.signal, body: async () => (raw ? JSON.parse(raw) : undefined) } as unknown as Ctx
      serveEndpoint(c, promptsOnly).catch((e) => {
        if (!res.headersSent) res.writeHead(500)
        res.end(String(e?.message))
      })
    })
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`
})
test.after(() => new Promise<void>((r) => http.close(() => r())))

const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' } }

async function modern(method: string, params: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': method,
      ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params: { ...params, _meta: ENVELOPE } }),
  })
  const text = await res.text()
  return { status: res.status, msg: JSON.parse(text) as Record<string, any> }
}

test('a 2026-07-28 tools/call to an endpoint without tools: its proxy is built once, and the SDK answers method not found', async () => {
  const before = builds
  const r = await modern('tools/call', { name: 'echo', arguments: {} })
  assert.is(r.msg.id, 7, JSON.stringify(r.msg))
  assert.is(r.msg.error?.code, -32601, JSON.stringify(r.msg))
  assert.is(builds - before, 1, 'built for the fast path\'s check, then again for the SDK')
})

test('any other 2026-07-28 request: built once, by the SDK', async () => {
  const before = builds
  const r = await modern('prompts/list', {})
  assert.is(r.status, 200, JSON.stringify(r.msg))
  assert.equal(r.msg.result?.prompts?.map((p: { name: string }) => p.name), ['hello'])
  assert.is(builds - before, 1)
})

test.run()
