/** POST /mcps/{id}/oauth/start: discover, pick the client, and hand back an authorization URL. */
import { newToken } from '../ids.js'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { check } from '../validate.js'
import { load, readSecrets } from '../registry/read.js'
import { discover, metadataOf } from './discover.js'
import { callbackUrl, resolveClient } from './client.js'
import { oauthFetch } from './fetch.js'
import { STATES, STATE_TTL_MS, type StateRec } from './model.js'
import { startBody } from './schema.js'
import { sweepSoon } from './pending.js'
import { presetAuthParams, presetOf } from './presets.js'
import { loadSdk } from '../mcp/sdk.js'

const bad = (path: string, message: string) => new AppError('invalid_request', `${path} ${message}`, { errors: [{ path, message }] })

/** `return_to` must be on one of the configured app origins (no open redirects). */
function returnTo(d: Deps, raw: string | undefined): { url: string | null; origin: string | null } {
  if (raw === undefined) return { url: null, origin: d.config.appOrigins[0] ?? null }
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw bad('/return_to', 'is not a URL')
  }
  if (!d.config.appOrigins.includes(u.origin)) throw bad('/return_to', 'is not on a configured app origin')
  return { url: u.href, origin: u.origin }
}

export async function start(d: Deps, caller: Caller, id: string, body: unknown) {
  const b = check<{ return_to?: string; scopes?: string[] }>(startBody, body === undefined ? {} : body)
  const rec = await load(d, caller, id)
  sweepSoon(d)
  if (rec.data.auth_type !== 'oauth') throw new AppError('invalid_request', 'This MCP server does not use OAuth (auth_type is not oauth).')
  const back = returnTo(d, b.return_to)
  const fetch = oauthFetch(d)
  const found = await discover(d, rec.data, fetch)
  const preset = presetOf(found.as.preset)
  // MCP spec, scope challenge handling: after a 403 insufficient_scope, ask for the challenged scopes too.
  const scopes = [...new Set([...(found.scope?.split(' ') ?? []), ...(b.scopes ?? []), ...(preset?.scopes ?? [])])].filter(Boolean)
  const scope = scopes.join(' ') || null
  const client = await resolveClient(d, rec.data, await readSecrets(d, rec.data), found.metadata, found.as.issuer, scope, fetch, caller.sub)
  // 256 random bits (RFC 9700 §4.7.1 asks for at least 128), single use, bound server-side to this user and MCP.
  const state = newToken()
  const redirect = callbackUrl(d)
  const { startAuthorization } = await loadSdk()
  const { authorizationUrl, codeVerifier } = await startAuthorization(found.as.issuer ?? found.as.authorization_endpoint, {
    metadata: found.metadata ?? metadataOf(found.as),
    clientInformation: client.info,
    redirectUrl: redirect,
    state,
    resource: found.resource,
    ...(scope ? { scope } : {}),
  })
  if (preset) {
    // The provider's own dialect (./presets.ts): its scope parameter and separator, its extra parameters,
    // no resource indicator, and PKCE only where it is documented.
    for (const k of ['scope', 'resource', 'prompt']) authorizationUrl.searchParams.delete(k)
    if (!preset.pkce) for (const k of ['code_challenge', 'code_challenge_method']) authorizationUrl.searchParams.delete(k)
    for (const [k, v] of Object.entries(presetAuthParams(preset, rec.data.config.oauth ?? {}, scopes))) authorizationUrl.searchParams.set(k, v)
  }
  const expires_at = d.clock.now() + STATE_TTL_MS
  await (await d.store()).create<StateRec>(STATES, state, {
    sub: caller.sub,
    org: caller.org ?? null,
    mcp_id: rec.id,
    verifier: codeVerifier,
    as: found.as,
    client: client.ref,
    redirect_uri: redirect,
    resource: found.resource,
    scope,
    return_to: back.url,
    app_origin: back.origin,
    expires_at,
  })
  return { authorization_url: authorizationUrl.href, expires_at: new Date(expires_at).toISOString() }
}
