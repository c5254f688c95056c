/**
 * The client under test for the official MCP conformance suite
 * (`@modelcontextprotocol/conformance client --suite auth`): the gateway itself,
 * driven only through its public API.
 *
 *   node dist/test/conformance/driver.js <mcp server url>
 *
 * The suite appends the server URL and sets `MCP_CONFORMANCE_SCENARIO` (and,
 * for pre-registered clients, `MCP_CONFORMANCE_CONTEXT` =
 * `{client_id, client_secret}`). This process boots the gateway in local mode
 * (temporary DATA_DIR), registers the server with `auth_type: "oauth"`, then
 * plays the app and the user: POST /oauth/start, follow the authorization URL
 * (the suite's mock authorization server redirects straight to
 * `redirect_uri?code=…`), land on the gateway's callback, confirm the pending
 * tokens with POST /oauth/complete (as the app does for the user who started),
 * list the tools and call the first one. A `409 authorization_required` with `required_scopes`
 * (step-up) is answered as an app would: POST /oauth/start with those
 * `scopes`, at most MAX_AUTHORIZATIONS authorizations in all (the gateway
 * never re-authorizes by itself; the user does).
 *
 * Exit 0 when the tools were listed and called; 1 otherwise (the suite's
 * checks decide the verdict; the exit code only matters to some scenarios).
 */
import { startGateway, type Gateway, type Res } from '../support/gateway.js'
import { followAuthorization } from '../oauth/user-agent.js'

/** The user connects at most this often in one run (scope-retry-limit allows 3). */
const MAX_AUTHORIZATIONS = 3
/**
 * basic-cimd: a Client ID Metadata Document needs an https client_id, so the
 * gateway plays a deployment behind this public https origin; the driver is
 * the proxy that carries the provider's redirect to the real listener.
 */
const CIMD_PUBLIC_BASE = 'https://conformance-test.local'

const log = (msg: string, extra?: unknown) =>
  process.stderr.write(`[driver] ${msg}${extra === undefined ? '' : ' ' + JSON.stringify(extra)}\n`)

interface Context { client_id?: string; client_secret?: string }

function context(): Context {
  const raw = process.env.MCP_CONFORMANCE_CONTEXT
  if (!raw) return {}
  try {
    return JSON.parse(raw) as Context
  } catch {
    throw new Error('MCP_CONFORMANCE_CONTEXT is not JSON')
  }
}

const outcome = (html: string) => {
  const m = /<script type="application\/json" id="d">(.*?)<\/script>/s.exec(html)
  if (!m) throw new Error(`the callback answered no outcome: ${html.slice(0, 200)}`)
  return JSON.parse(m[1]!) as { status: string; error: string | null; mcp_id: string | null; completion: string | null }
}

class Driver {
  authorizations = 0
  constructor(readonly gw: Gateway, readonly token: string, readonly publicBase: string | null) {}

  async req(method: string, path: string, body?: unknown): Promise<Res> {
    const r = await this.gw.req(method, path, { token: this.token, ...(body === undefined ? {} : { body }) })
    log(`${method} ${path} → ${r.status}`, r.status >= 400 ? r.json ?? r.text.slice(0, 300) : undefined)
    return r
  }

  /** start → the provider → the gateway's callback → complete; throws unless the connection is made. */
  async connect(id: string, scopes?: string[]): Promise<void> {
    if (this.authorizations >= MAX_AUTHORIZATIONS) throw new Error(`gave up after ${MAX_AUTHORIZATIONS} authorizations`)
    this.authorizations++
    const s = await this.req('POST', `/mcps/${id}/oauth/start`, scopes?.length ? { scopes } : {})
    if (s.status !== 200) throw new Error(`oauth/start answered ${s.status} ${s.json?.code ?? ''} ${JSON.stringify(s.json?.upstream ?? s.json?.errors ?? s.text.slice(0, 200))}`)
    log('authorization url', s.json.authorization_url)
    let cb = await followAuthorization(s.json.authorization_url)
    if (this.publicBase && cb.href.startsWith(this.publicBase + '/')) cb = new URL(cb.pathname + cb.search, this.gw.url)
    if (cb.origin !== new URL(this.gw.url).origin) throw new Error(`the provider redirected elsewhere: ${cb.origin}`)
    const page = await this.gw.req('GET', cb.href)
    const o = outcome(page.text)
    log('callback', { status: o.status, error: o.error, mcp_id: o.mcp_id })
    if (o.status !== 'pending_confirmation' || !o.completion) throw new Error(`the callback reported ${o.error}`)
    const c = await this.req('POST', `/mcps/${id}/oauth/complete`, { completion: o.completion })
    if (c.status !== 200 || c.json?.connection?.state !== 'connected') throw new Error(`oauth/complete answered ${c.status} ${c.json?.code ?? ''}`)
  }

  /** Runs a gateway call; a 409 authorization_required (first connect, expiry, step-up) means: connect, then retry. */
  async authorized(id: string, method: string, path: string, body?: unknown): Promise<Res> {
    for (;;) {
      const r = await this.req(method, path, body)
      if (r.status !== 409 || r.json?.code !== 'authorization_required') return r
      // Step-up: what the 409 names goes back to oauth/start.
      if (r.json.required_scopes) log('step-up requested', r.json.required_scopes)
      await this.connect(id, r.json.required_scopes)
    }
  }
}

async function main(): Promise<number> {
  const serverUrl = process.argv.at(-1)
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '(none)'
  if (!serverUrl || !/^https?:\/\//.test(serverUrl)) {
    log('usage: driver.js <mcp server url>')
    return 2
  }
  const ctx = context()
  const cimd = scenario === 'auth/basic-cimd'
  log(`scenario ${scenario}, server ${serverUrl}`, ctx.client_id ? { client_id: ctx.client_id } : undefined)
  const gw = await startGateway({ env: cimd ? { PUBLIC_BASE_URL: CIMD_PUBLIC_BASE } : {} })
  let code = 1
  try {
    const d = new Driver(gw, await gw.token('conformance-user'), cimd ? CIMD_PUBLIC_BASE : null)
    const oauth = ctx.client_id ? { client_id: ctx.client_id, ...(ctx.client_secret ? { client_secret: ctx.client_secret } : {}) } : undefined
    const reg = await d.req('POST', '/mcps', { name: 'conformance', type: 'http', endpoint: serverUrl, auth_type: 'oauth', ...(oauth ? { config: { oauth } } : {}) })
    if (reg.status !== 201) throw new Error(`registration answered ${reg.status}: ${reg.text}`)
    const id = reg.json.id as string
    await d.connect(id)
    const tools = await d.authorized(id, 'GET', `/mcps/${id}/tools`)
    if (tools.status !== 200) throw new Error(`tools answered ${tools.status}`)
    const names = (tools.json.tools as { name: string }[]).map((t) => t.name)
    log('tools', names)
    if (names.length) {
      const call = await d.authorized(id, 'POST', `/mcps/${id}/tools/${encodeURIComponent(names[0]!)}/execute`, { arguments: {} })
      if (call.status !== 200) throw new Error(`execute answered ${call.status}`)
      log('result', call.json)
    }
    log(`done after ${d.authorizations} authorization(s)`)
    code = 0
  } catch (e) {
    log(`FAILED: ${(e as Error)?.stack ?? e}`)
  } finally {
    for (const l of gw.logs) process.stderr.write(`[gateway] ${l}\n`)
    await gw.close().catch(() => {})
  }
  return code
}

// Exit explicitly: a lingering keep-alive socket must not hold the suite's 30 s timeout.
main().then((c) => process.exit(c), (e) => { log(`crashed: ${e?.stack ?? e}`); process.exit(1) })
