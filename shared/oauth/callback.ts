/**
 * GET /oauth/callback: consume the state exactly once, check the response
 * (RFC 9207 issuer), redeem the code with the PKCE verifier and the resource
 * indicator, and keep the tokens pending until the user who started the flow
 * confirms them (./complete.ts): whoever completed the provider leg, only the
 * initiator's app gets the completion id. Every failure becomes a short code
 * on the page; nothing is exchanged unless the state was ours, fresh and unused.
 */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import { audit } from '../audit.js'
import { MCPS, type McpConfig } from '../registry/model.js'
import { readSecrets } from '../registry/read.js'
import { STATES, type StateRec } from './model.js'
import { confirmRegistration, dropRegistration, tokenClient } from './client.js'
import { oauthFetch, storedEndpoint } from './fetch.js'
import { savePending } from './pending.js'
import type { Outcome } from './page.js'
import { presetOf } from './presets.js'
import { TokenError, tokenRequest } from './token-request.js'
import { loadSdk } from '../mcp/sdk.js'

// What start() hands out; `__x__` ids are reserved by the store (Firestore), so never ours.
const STATE_SHAPE = /^(?!__.*__$)[A-Za-z0-9_-]{43}$/

export async function callback(d: Deps, q: URLSearchParams): Promise<Outcome> {
  const t0 = performance.now()
  const state = q.get('state')
  const fail = (error: string, s?: StateRec): Outcome => ({ mcp_id: s?.mcp_id ?? null, status: 'error', error, completion: null, app_origin: s?.app_origin ?? d.config.appOrigins[0] ?? null, return_to: s?.return_to ?? null })
  if (!state || !STATE_SHAPE.test(state) || q.getAll('state').length !== 1) return fail('invalid_state')
  // Consumed atomically: a replay, or a second tab, finds nothing.
  const s = await (await d.store()).take<StateRec>(STATES, state)
  if (!s || s.expires_at <= d.clock.now()) return fail('invalid_state')
  const outcome = async (o: Outcome) => {
    audit(d, { actor: s.sub, org: s.org ?? null, action: 'oauth.connect', mcp_id: s.mcp_id, outcome: o.status === 'error' ? 'error' : 'ok', ...(o.error ? { code: o.error } : {}), duration_ms: Math.round(performance.now() - t0) })
    return o
  }
  const error = q.get('error')
  if (error) return outcome(fail(error === 'access_denied' ? 'access_denied' : 'authorization_failed', s))
  const code = q.get('code')
  if (!code || code.length > 4096) return outcome(fail('invalid_request', s))
  const { validateAuthorizationResponseIssuer } = await loadSdk()
  const iss = q.get('iss') ?? undefined
  try {
    // RFC 9207 §2.4: a response from a different issuer (mix-up attack) is dropped before any exchange.
    validateAuthorizationResponseIssuer({ iss, expectedIssuer: s.as.issuer ?? undefined, issParameterSupported: s.as.iss_parameter_supported })
  } catch {
    return outcome(fail('issuer_mismatch', s))
  }
  const mcp = await (await d.store()).get<McpConfig>(MCPS, s.mcp_id)
  if (mcp?.data.auth_type !== 'oauth') return outcome(fail('invalid_state', s))
  let completion: string
  try {
    const client = await tokenClient(d, s.client, mcp.data, await readSecrets(d, mcp.data), s.mcp_id, s.as)
    const preset = presetOf(s.as.preset)
    const params = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: s.redirect_uri })
    if (!preset || preset.pkce) params.set('code_verifier', s.verifier)
    // RFC 8707 §2.2 (presets: never, see ./presets.ts).
    if (!preset) params.set('resource', s.resource)
    const tokens = await tokenRequest(oauthFetch(d), storedEndpoint(d, s.as.token_endpoint, 'token endpoint'), params, client, preset)
    if ((tokens.token_type ?? '').toLowerCase() !== 'bearer') return outcome(fail('unsupported_token_type', s))
    completion = await savePending(d, s, mcp.data, tokens)
    await confirmRegistration(d, s.client).catch((e) => log('WARNING', 'registration not marked confirmed', { error: String(e?.message ?? e) }))
  } catch (e: any) {
    const reason = e instanceof TokenError || e instanceof AppError ? e.code : typeof e?.code === 'string' ? e.code : 'network'
    log('WARNING', 'authorization code exchange failed', { reason, mcp_id: s.mcp_id })
    // The provider forgot the gateway's client, or the gateway replaced it since the start: the next start registers anew.
    if (e instanceof TokenError && e.code === 'invalid_client') {
      await dropRegistration(d, s.client, 'invalid_client').catch(() => {})
      return outcome(fail('invalid_client', s))
    }
    if (e instanceof AppError && e.code === 'authorization_required') return outcome(fail('invalid_client', s))
    return outcome(fail('token_error', s))
  }
  return outcome({ mcp_id: s.mcp_id, status: 'pending_confirmation', error: null, completion, app_origin: s.app_origin, return_to: s.return_to })
}
