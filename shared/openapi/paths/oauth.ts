/** The `oauth-start` and `oauth-callback` functions: connecting a config with OAuth, per user. */
import type { Builder } from '../build.js'
import { completeBody, startBody } from '../../oauth/schema.js'

const id = { id: 'The config\'s id.' }

export function oauthPaths(b: Builder): void {
  b.add('/api/v1/mcps/{id}/oauth/start', 'POST', {
    tag: 'oauth', summary: 'Start connecting the caller', path: id, body: { schema: startBody, required: false },
    description: 'Open `authorization_url` in a popup (or the whole tab, with `return_to`). Only the caller can complete.',
    ok: { 200: { description: 'Where to send the user.', schema: 'OAuthStart' } },
    codes: ['not_found', 'egress_denied', 'rate_limited', 'upstream_error', 'upstream_response_too_large', 'unavailable', 'upstream_timeout'],
  })
  b.add('/api/v1/mcps/{id}/oauth/complete', 'POST', {
    tag: 'oauth', summary: 'Confirm the callback\'s tokens as the caller\'s connection', path: id, body: { schema: completeBody },
    ok: { 200: { description: 'The config, `connection.state: "connected"`.', schema: 'Mcp', headers: ['ETag'] } },
    codes: ['not_found', 'authorization_required', 'rate_limited'],
  })
  b.add('/api/v1/mcps/{id}/oauth', 'DELETE', {
    tag: 'oauth', summary: 'Disconnect the caller (revoking at the provider)', path: id,
    ok: {
      200: { description: 'Disconnected here, but the provider did not confirm the revocation.', schema: 'NotRevoked' },
      204: { description: 'Disconnected and revoked (or nothing to revoke).' },
    },
    codes: ['not_found', 'rate_limited'],
  })
  b.add('/api/v1/oauth/callback', 'GET', {
    tag: 'oauth', summary: 'Where the provider sends the user', auth: 'none',
    description: 'The state is the credential, consumed once. Always a small HTML page that posts the outcome to the app origin (`window.opener`) or goes to `return_to`.',
    params: ['code', 'state', 'iss', 'error', 'error_description'],
    ok: { 200: { description: 'The page (strict CSP, `X-Frame-Options: DENY`).', schema: { type: 'string' }, type: 'text/html', headers: ['Content-Security-Policy', 'Cache-Control'] } },
    codes: [],
  })
  b.add('/api/v1/oauth/client-metadata.json', 'GET', {
    tag: 'oauth', summary: 'The gateway\'s OAuth Client ID Metadata Document', auth: 'none',
    ok: { 200: { description: 'Its `client_id` is its own URL.', schema: 'ClientMetadata', headers: ['Cache-Control'] } }, codes: ['unavailable'],
  })
}
