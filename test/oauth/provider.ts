/**
 * A real OAuth 2.1 authorization server for tests: `oidc-provider` 9.x on
 * node:http (127.0.0.1, port 0), issuer `http://127.0.0.1:PORT`.
 *
 * What it is configured to do, because the MCP authorization spec needs it:
 * - open dynamic client registration (RFC 7591) at `/reg`, no initial access token;
 * - PKCE required for every client, S256 only;
 * - resource indicators (RFC 8707): a token requested for `resource=<MCP url>`
 *   is a JWT (RFC 9068, `typ: at+jwt`) with `aud` = that URL and scopes out of
 *   `mcp:read mcp:write`;
 * - refresh tokens for any client allowed the `refresh_token` grant (no
 *   `offline_access` needed), rotated on every use; replaying a used one
 *   revokes the whole grant (the new refresh token dies too);
 * - revocation (RFC 7009) at `/token/revocation`;
 * - RFC 9207: `iss` rides along in every authorization response (oidc-provider
 *   adds it by default when the response carries no id_token and is not JARM).
 *
 * Consent is automatic: a middleware on `/interaction/:uid` logs in
 * `accountId` and grants exactly what was asked (or, with `deny`, answers
 * `access_denied`). Drive the browser leg with `followAuthorization` from
 * ./user-agent.ts.
 *
 * Options make it another server: restarted at the same issuer with its keys
 * and an empty store (`port`, `signingKey`), accepting only some client
 * authentication methods (`clientAuthMethods`), issuing refresh tokens by
 * another rule (`refreshTokens`), or with another server's behaviour in front
 * (`quirks`, ./provider-quirks.ts). It records how each token and revocation
 * request authenticated (`clientAuth`) and every authorization request.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import Provider, { type Client, type KoaContext } from 'oidc-provider'
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js'
import { authorizationQuirks, lenientRevocation, pythonSdkRules, recordClientAuth, tokenAnswerQuirks, type ClientAuthSeen, type Quirk } from './provider-quirks.js'

export type { ClientAuthSeen, Quirk } from './provider-quirks.js'

export interface ProviderOptions {
  /** The account every interaction logs in; it becomes the tokens' `sub`. Default `user-1`. */
  accountId?: string
  /** Refuse every authorization with `error=access_denied`. Switchable later with `setDeny`. */
  deny?: boolean
  /** Lifetime of JWT access tokens for resource servers. Default 3600; switchable with `setAccessTokenTtl`. */
  accessTokenTtlSec?: number
  /** Lifetime of refresh tokens. Default 14 days. */
  refreshTokenTtlSec?: number
  /** Resource used when an authorization request names none (otherwise the token is opaque, without `aud`). */
  defaultResource?: string
  /** Listen on this port: a restarted provider keeps its issuer. */
  port?: number
  /** The signing key (a restarted provider keeps its keys, as a real one would; clients and grants are gone). */
  signingKey?: JWK
  /** Client authentication methods it accepts and lists in its metadata. Default none, client_secret_basic, client_secret_post. */
  clientAuthMethods?: string[]
  /**
   * When it issues a refresh token: `grant` (any client allowed the grant; the default), `offline_access`
   * (only when the scope has offline_access, no prompt=consent needed), `google` (only after an authorization
   * request with access_type=offline and prompt=consent).
   */
  refreshTokens?: 'grant' | 'offline_access' | 'google'
  /** Other servers' behaviour, emulated in front of oidc-provider (./provider-quirks.ts). */
  quirks?: Quirk[]
  /** Require PKCE of every client (the default), or accept authorization requests without it. */
  pkceRequired?: boolean
  /** Where dynamic registration is served. Default `/reg`. */
  registrationPath?: string
  /** Keep the clients, grants and tokens of an earlier provider (a restart that loses nothing). Default: start empty. */
  keepStateOf?: ProviderHandle
}

export type GrantCounts = { authorization_code: number; refresh_token: number }

export interface ProviderHandle {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  issuer: string
  port: number
  jwksUrl: string
  authorizationEndpoint: string
  tokenEndpoint: string
  registrationEndpoint: string
  revocationEndpoint: string
  /** Token endpoint requests by `grant_type`, failed ones included (live object). */
  grants: GrantCounts
  /** The failed subset of `grants` (status >= 400), e.g. a replayed refresh token. */
  grantErrors: GrantCounts
  /** Successful dynamic client registrations. */
  readonly registrations: number
  /** Successful revocation requests (200). */
  readonly revocations: number
  /** The signing key, to restart a provider with the same keys. */
  signingKey: JWK
  /** Its storage (clients, grants, tokens), for `keepStateOf`. */
  adapter: unknown
  /** Changes the resource tokens are for when a request names none. */
  setDefaultResource(url: string | undefined): void
  /** How each token and revocation request authenticated the client (live array). */
  clientAuth: ClientAuthSeen[]
  /** The query of every authorization request as the client sent it (live array). */
  authorizationRequests: URLSearchParams[]
  /** The underlying oidc-provider instance, for anything not wrapped here. */
  provider: Provider
  setAccessTokenTtl(sec: number): void
  setDeny(deny: boolean): void
  /** The account the next sign-ins log in (a user signing in with a different provider account); sessions already signed in keep theirs. */
  setAccount(accountId: string): void
  /**
   * While set, every POST to the token endpoint is answered with this status
   * and a plain-text body (an outage in front of the server); the request never
   * reaches oidc-provider and is not counted in `grants`. `null` restores it.
   */
  setTokenEndpointFault(status: number | null): void
  /** Token requests answered by the fault above. */
  readonly faultedTokenRequests: number
  /** Zeroes every counter; clients, grants and tokens stay. */
  reset(): void
  stop(): Promise<void>
}

/** `ProviderHandle` under the name the brief uses. */
export type { ProviderHandle as Provider }

const RESOURCE_SCOPES = ['mcp:read', 'mcp:write']
/** Every scope a client may register or request (DCR rejects a `scope` naming anything else). */
const SCOPES = ['openid', 'offline_access', ...RESOURCE_SCOPES]

export async function startProvider(opts: ProviderOptions = {}): Promise<ProviderHandle> {
  let accountId = opts.accountId ?? 'user-1'
  let deny = opts.deny ?? false
  let accessTokenTtl = opts.accessTokenTtlSec ?? 3600
  const grants: GrantCounts = { authorization_code: 0, refresh_token: 0 }
  const grantErrors: GrantCounts = { authorization_code: 0, refresh_token: 0 }
  let registrations = 0
  let revocations = 0
  let tokenFault: number | null = null
  let faulted = 0
  const quirks = new Set(opts.quirks ?? [])
  const clientAuth: ClientAuthSeen[] = []
  const authorizationRequests: URLSearchParams[] = []
  const methods = opts.clientAuthMethods ?? ['none', 'client_secret_basic', 'client_secret_post']
  const refreshRule = opts.refreshTokens ?? 'grant'
  /** google: grants whose authorization request asked for offline access with consent. */
  const offline = new Map<string, boolean>()

  // Listen first: the issuer must carry the port, and the provider needs the issuer.
  const http = createServer()
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(opts.port ?? 0, '127.0.0.1', () => { http.off('error', reject); resolve() })
  })
  const port = (http.address() as AddressInfo).port
  const issuer = `http://127.0.0.1:${port}`

  let defaultResource = opts.defaultResource
  // Per provider (oidc-provider's default is too, but not reachable for keepStateOf).
  const adapter = opts.keepStateOf?.adapter ?? createMemoryAdapter()
  const jwk = opts.signingKey ?? { ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)), alg: 'RS256', use: 'sig' }

  const provider = new Provider(issuer, {
    adapter,
    jwks: { keys: [jwk] },
    ...(opts.registrationPath ? { routes: { registration: opts.registrationPath } } : {}),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: SCOPES,
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: methods.find((m) => m !== 'none') ?? 'none',
      id_token_signed_response_alg: 'RS256',
    },
    clientAuthMethods: methods,
    pkce: { required: () => opts.pkceRequired ?? true },
    rotateRefreshToken: true,
    // google: its access_type parameter reaches the interaction.
    extraParams: ['access_type'],
    // By default refresh tokens without offline_access: MCP clients rarely ask for it.
    ...(refreshRule === 'grant' ? { issueRefreshToken: async (_ctx: unknown, client: Client) => client.grantTypeAllowed('refresh_token') } : {}),
    ...(refreshRule === 'google' ? { issueRefreshToken: async (_ctx: unknown, client: Client, code: { grantId?: string }) => client.grantTypeAllowed('refresh_token') && offline.get(code.grantId ?? '') === true } : {}),
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    ttl: {
      AccessToken: () => accessTokenTtl,
      RefreshToken: opts.refreshTokenTtlSec ?? 14 * 24 * 3600,
      // Set explicitly only to silence oidc-provider's "default ttl" notices.
      Interaction: 600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      revocation: {
        enabled: true,
        // The default's rule (a client revokes only its own tokens), minus its notice.
        allowedPolicy: async (_ctx: unknown, client: Client, token: { clientId: string }) => token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        // Several granted resources and none named at the token endpoint: fail, as the spec says.
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) =>
          oneOf ? (oneOf.length === 1 ? oneOf[0] : oneOf) : defaultResource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, resourceIndicator: string) => ({
          scope: RESOURCE_SCOPES.join(' '),
          accessTokenFormat: 'jwt',
          audience: resourceIndicator,
          accessTokenTTL: accessTokenTtl,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  })

  provider.on('registration_create.success', () => { registrations++ })
  provider.on('server_error', (_ctx: unknown, err: Error) => {
    process.stderr.write(`[test oauth provider] server_error: ${err?.stack ?? err}\n`)
  })

  // Koa composes middleware when the server starts: the fault switch and the quirks have to be installed now.
  provider.use(recordClientAuth(clientAuth))
  provider.use(authorizationQuirks(quirks, authorizationRequests, refreshRule === 'offline_access'))
  if (quirks.has('lenient-revocation')) provider.use(lenientRevocation)
  if (quirks.has('python-sdk')) provider.use(pythonSdkRules(provider))
  if (quirks.has('github') || quirks.has('slack')) provider.use(tokenAnswerQuirks(quirks))
  provider.use(async (ctx: KoaContext, next) => {
    if (tokenFault === null || ctx.method !== 'POST' || ctx.path !== '/token') return next()
    faulted++
    ctx.status = tokenFault
    ctx.body = 'Service Unavailable'
  })

  // Counts after the provider has answered: ctx.oidc carries the route and parsed params.
  provider.use(async (ctx: KoaContext, next) => {
    await next()
    const route = ctx.oidc?.route
    if (route === 'token') {
      const gt = ctx.oidc?.params?.grant_type
      if (gt === 'authorization_code' || gt === 'refresh_token') {
        grants[gt]++
        if (ctx.status >= 400) grantErrors[gt]++
      }
    } else if (route === 'revocation' && ctx.status === 200) {
      revocations++
    }
  })

  // Auto-consent: log in `accountId`, grant what was asked, go back to /auth/:uid.
  provider.use(async (ctx: KoaContext, next) => {
    if (ctx.method !== 'GET' || !/^\/interaction\/[^/]+$/.test(ctx.path)) return next()
    const details = await provider.interactionDetails(ctx.req, ctx.res)
    ctx.respond = false
    if (deny) {
      const result = { error: 'access_denied', error_description: 'the test provider denies consent' }
      return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false })
    }
    const account = details.session?.accountId ?? accountId
    const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined)
      ?? new provider.Grant({ accountId: account, clientId: details.params.client_id })
    const scopes = String(details.params.scope ?? '').split(' ').filter(Boolean)
    // oidc-provider counts every scope in `scopes` as an authorization-server scope
    // (op_scopes_missing), so mcp:* must be granted there as well as on the resource.
    const asScopes = scopes.filter((s) => SCOPES.includes(s))
    const rsScopes = scopes.filter((s) => RESOURCE_SCOPES.includes(s))
    if (asScopes.length) grant.addOIDCScope(asScopes.join(' '))
    const requested = details.params.resource ?? defaultResource
    const resources = requested === undefined ? [] : Array.isArray(requested) ? requested : [requested]
    for (const r of resources) if (rsScopes.length) grant.addResourceScope(r, rsScopes.join(' '))
    const grantId = await grant.save()
    if (refreshRule === 'google') {
      // Google: a refresh token only for a request with access_type=offline and prompt=consent.
      const p = details.params as { access_type?: string; prompt?: string }
      offline.set(grantId, p.access_type === 'offline' && String(p.prompt ?? '').split(' ').includes('consent'))
    }
    return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: account }, consent: { grantId } }, { mergeWithLastSubmission: true })
  })

  http.on('request', provider.callback())

  let stopped: Promise<void> | undefined
  return {
    issuer,
    port,
    jwksUrl: `${issuer}/jwks`,
    authorizationEndpoint: `${issuer}/auth`,
    tokenEndpoint: `${issuer}/token`,
    registrationEndpoint: `${issuer}${opts.registrationPath ?? '/reg'}`,
    revocationEndpoint: `${issuer}/token/revocation`,
    grants,
    grantErrors,
    get registrations() { return registrations },
    get revocations() { return revocations },
    signingKey: jwk,
    adapter,
    setDefaultResource(url) { defaultResource = url },
    clientAuth,
    authorizationRequests,
    provider,
    setAccessTokenTtl(sec) { accessTokenTtl = sec },
    setDeny(d) { deny = d },
    setAccount(a) { accountId = a },
    setTokenEndpointFault(status) { tokenFault = status },
    get faultedTokenRequests() { return faulted },
    reset() {
      grants.authorization_code = grants.refresh_token = 0
      grantErrors.authorization_code = grantErrors.refresh_token = 0
      registrations = revocations = faulted = 0
      clientAuth.length = 0
      authorizationRequests.length = 0
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
      return stopped
    },
  }
}
