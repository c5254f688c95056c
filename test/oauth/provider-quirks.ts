/**
 * Other authorization servers' behaviour, emulated by thin Koa middleware in
 * front of oidc-provider (./provider.ts): the request rules each one enforces
 * and the answers it gives, from their documentation (see
 * shared/oauth/presets.ts) and, for the Python MCP SDK, its source
 * (mcp/server/auth/middleware/client_auth.py and handlers/revoke.py). oidc-provider
 * still does the OAuth; these only refuse what the emulated server refuses and
 * reshape what it answers.
 */
import type { KoaContext, Middleware, Provider } from 'oidc-provider'

export type Quirk =
  /** Token answers form-encoded unless the request accepts JSON; errors with HTTP 200; granted scopes comma-separated. */
  | 'github'
  /** The authorization request's `resource` parameter is refused (AADSTS901002). */
  | 'microsoft'
  /** The authorization request needs audience=api.atlassian.com and prompt=consent. */
  | 'atlassian'
  /** Scopes come comma-separated in `user_scope`; the token answer nests the user token in authed_user (token_type "user"); errors are {ok: false} with HTTP 200. */
  | 'slack'
  /**
   * The Python MCP SDK's client authentication: client_id must be in the body; Basic clients must send Basic;
   * client_secret_post clients their secret in the body; revocation wants a client_secret field in the body.
   */
  | 'python-sdk'
  /** Answers every revocation request 200 without authenticating the client (a lax server). */
  | 'lenient-revocation'

/** What a token or revocation request carried (for tests to check the method used). */
export interface ClientAuthSeen {
  endpoint: 'token' | 'revocation'
  basic: boolean
  client_id_in_body: boolean
  secret_in_body: boolean
  status: number
}

const json = (ctx: KoaContext, status: number, body: unknown) => {
  ctx.status = status
  ctx.body = body
}

/** GET /auth: refuse or rewrite an authorization request as the emulated server would; record the original. */
export function authorizationQuirks(quirks: Set<Quirk>, seen: URLSearchParams[], offlineWithoutPrompt: boolean): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || ctx.path !== '/auth') return next()
    const q = new URLSearchParams(ctx.querystring)
    seen.push(new URLSearchParams(q))
    if (quirks.has('microsoft') && q.has('resource')) {
      ctx.status = 400
      ctx.body = "AADSTS901002: The 'resource' request parameter is not supported."
      return
    }
    if (quirks.has('atlassian') && (q.get('audience') !== 'api.atlassian.com' || !(q.get('prompt') ?? '').split(' ').includes('consent'))) {
      ctx.status = 400
      ctx.body = 'audience=api.atlassian.com and prompt=consent are required'
      return
    }
    if (quirks.has('slack')) {
      const user = q.get('user_scope')
      // Slack reads "a b" as one (unknown) scope.
      if (!user || /\s/.test(user) || q.has('scope')) {
        ctx.status = 400
        ctx.body = 'invalid_scope'
        return
      }
      q.delete('user_scope')
      q.set('scope', user.split(',').join(' '))
    }
    // Servers that issue a refresh token for offline_access alone (oidc-provider also wants prompt=consent).
    if (offlineWithoutPrompt && (q.get('scope') ?? '').split(' ').includes('offline_access') && !(q.get('prompt') ?? '').split(' ').includes('consent')) {
      q.set('prompt', [q.get('prompt'), 'consent'].filter(Boolean).join(' '))
    }
    ctx.querystring = q.toString()
    return next()
  }
}

async function readForm(ctx: KoaContext): Promise<URLSearchParams> {
  const chunks: Buffer[] = []
  for await (const c of ctx.req) chunks.push(c as Buffer)
  const raw = Buffer.concat(chunks).toString()
  // oidc-provider reads an already-read body from req.body.
  ;(ctx.req as unknown as { body: string }).body = raw
  return new URLSearchParams(raw)
}

function basicOf(ctx: KoaContext): { id: string; secret: string } | null {
  const h = String(ctx.headers.authorization ?? '')
  if (!h.startsWith('Basic ')) return null
  const d = Buffer.from(h.slice(6), 'base64').toString()
  const i = d.indexOf(':')
  return i < 0 ? null : { id: decodeURIComponent(d.slice(0, i)), secret: decodeURIComponent(d.slice(i + 1)) }
}

/** POST /token and /token/revocation: the Python MCP SDK's rules, then oidc-provider. */
export function pythonSdkRules(provider: Provider): Middleware {
  return async (ctx, next) => {
    const endpoint = ctx.path === '/token' ? 'token' : ctx.path === '/token/revocation' ? 'revocation' : null
    if (ctx.method !== 'POST' || !endpoint) return next()
    const form = await readForm(ctx)
    // Token endpoint: 401 invalid_client; revocation: 401 unauthorized_client (handlers/token.py, handlers/revoke.py).
    const refuse = (why: string) => json(ctx, 401, { error: endpoint === 'token' ? 'invalid_client' : 'unauthorized_client', error_description: why })
    const id = form.get('client_id')
    if (!id) return refuse('Missing client_id')
    const client = await provider.Client.find(id)
    if (!client) return refuse('Invalid client_id')
    const basic = basicOf(ctx)
    if (client.clientAuthMethod === 'client_secret_basic') {
      if (!basic) return refuse('Missing or invalid Basic authentication in Authorization header')
      if (basic.id !== id) return refuse('Client ID mismatch in Basic auth')
    } else if (client.clientAuthMethod === 'client_secret_post' && !form.get('client_secret')) {
      return refuse('Client secret is required')
    }
    // RevocationRequest's `client_secret: str | None` has no default: the field must be present.
    if (endpoint === 'revocation' && !form.has('client_secret')) return json(ctx, 400, { error: 'invalid_request', error_description: 'client_secret: Field required' })
    if (basic && form.has('client_secret')) {
      // Accepted here; oidc-provider (one method per request) gets the Basic header only.
      form.delete('client_secret')
      ;(ctx.req as unknown as { body: string }).body = form.toString()
    }
    return next()
  }
}

/** POST /token/revocation answered 200 without looking. */
export const lenientRevocation: Middleware = async (ctx, next) => {
  if (ctx.method !== 'POST' || ctx.path !== '/token/revocation') return next()
  ctx.status = 200
  ctx.body = ''
}

const SLACK_ERRORS: Record<string, string> = { invalid_grant: 'invalid_code', invalid_client: 'invalid_client_id' }

/** POST /token answers, reshaped as GitHub or Slack answer. */
export function tokenAnswerQuirks(quirks: Set<Quirk>): Middleware {
  return async (ctx, next) => {
    await next()
    if (ctx.method !== 'POST' || ctx.path !== '/token' || !ctx.body || typeof ctx.body !== 'object') return
    const b = ctx.body as Record<string, unknown>
    if (quirks.has('github')) {
      if (typeof b.scope === 'string') b.scope = b.scope.split(' ').join(',')
      if (ctx.status >= 400 && b.error) ctx.status = 200
      if (!String(ctx.headers.accept ?? '').includes('application/json')) {
        ctx.body = new URLSearchParams(Object.entries(b).map(([k, v]) => [k, String(v)])).toString()
        ctx.type = 'application/x-www-form-urlencoded'
      }
    } else if (quirks.has('slack')) {
      if (ctx.status >= 400 || b.error) {
        ctx.status = 200
        ctx.body = { ok: false, error: SLACK_ERRORS[String(b.error)] ?? String(b.error) }
        return
      }
      const { access_token, refresh_token, expires_in, scope } = b
      ctx.body = {
        ok: true, app_id: 'A0EMULATED', team: { id: 'T0EMULATED' },
        authed_user: { id: 'U0EMULATED', scope: String(scope ?? '').split(' ').join(','), access_token, token_type: 'user', ...(refresh_token ? { refresh_token } : {}), ...(expires_in ? { expires_in } : {}) },
      }
    }
  }
}

/** Records how each token and revocation request authenticated the client. */
export function recordClientAuth(seen: ClientAuthSeen[]): Middleware {
  return async (ctx, next) => {
    const endpoint = ctx.path === '/token' ? 'token' : ctx.path === '/token/revocation' ? 'revocation' : null
    if (ctx.method !== 'POST' || !endpoint) return next()
    await next()
    // Parsed by oidc-provider, or read by a quirk that answered first.
    const raw = (ctx.req as unknown as { body?: string }).body
    const body: Record<string, unknown> = ctx.oidc?.body ?? (typeof raw === 'string' ? Object.fromEntries(new URLSearchParams(raw)) : {})
    seen.push({
      endpoint,
      basic: String(ctx.headers.authorization ?? '').startsWith('Basic '),
      client_id_in_body: typeof body.client_id === 'string',
      secret_in_body: typeof body.client_secret === 'string',
      status: ctx.status,
    })
  }
}
