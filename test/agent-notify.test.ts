/**
 * The aggregate endpoint tells a connected 2025 client when the caller's
 * configs change (issue 16 §2): adding or removing a config sends
 * notifications/tools/list_changed, and the next tools/list shows it.
 */
process.env.AGENT_WATCH_MS = '200'
const { suite } = await import('uvu')
const assert: typeof import('uvu/assert') = await import('uvu/assert')
const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client')
const { startGateway } = await import('./support/gateway.js')
const { startModernServer } = await import('./servers/modern.js')
const { closeAgentSessions } = await import('../shared/agent/session.js')

const test = suite('agent list_changed')

test('adding and removing a config reaches a connected 2025 session as tools/list_changed', async () => {
  const up = await startModernServer()
  const gw = await startGateway()
  try {
    const alice = await gw.token('alice')
    const c = new Client({ name: 't', version: '1' })
    let changed = 0
    let wake: (() => void) | undefined
    c.setNotificationHandler('notifications/tools/list_changed', () => { changed++; wake?.() })
    await c.connect(new StreamableHTTPClientTransport(new URL(`${gw.base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${alice}` } } }) as any)
    assert.equal((await c.listTools()).tools, [])
    // The 2025 transport delivers server notifications outside a request on the GET stream, which the client opens after initialize.
    const next = (n: number) => new Promise<void>((resolve, reject) => {
      if (changed >= n) return resolve()
      const t = setTimeout(() => reject(new Error(`no list_changed #${n} within 10 s`)), 10_000)
      wake = () => { if (changed >= n) { clearTimeout(t); resolve() } }
    })
    const r = await gw.req('POST', '/mcps', { token: alice, body: { name: 'later', type: 'http', endpoint: up.url, config: { tool_policy: { mode: 'open' } } } })
    assert.is(r.status, 201)
    await next(1)
    assert.ok((await c.listTools()).tools.some((t) => t.name === 'later__echo'))
    await gw.req('DELETE', `/mcps/${r.json.id}`, { token: alice })
    await next(2)
    assert.not.ok((await c.listTools()).tools.some((t) => t.name === 'later__echo'))
    await c.close()
  } finally {
    closeAgentSessions()
    await gw.close()
    await up.stop()
  }
})

test.run()
