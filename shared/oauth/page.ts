/**
 * The page the provider redirects the popup to. It tells the opener how the
 * provider leg went with postMessage, to the configured app origin only, and
 * closes; without an opener it goes back to `return_to`. On success it hands
 * over the completion id the initiator's app confirms with (POST
 * /mcps/{id}/oauth/complete). Strict CSP: the one inline script is allowed by
 * its hash, and its data rides in a JSON block.
 */
import { createHash } from 'node:crypto'

export interface Outcome {
  mcp_id: string | null
  status: 'pending_confirmation' | 'error'
  error: string | null
  /** Single-use id for POST /mcps/{id}/oauth/complete; only with `pending_confirmation`. */
  completion: string | null
  app_origin: string | null
  return_to: string | null
}

const SCRIPT = `(function(){var d=JSON.parse(document.getElementById('d').textContent);var m={type:'oauth_callback',mcp_id:d.mcp_id,status:d.status};if(d.completion)m.completion=d.completion;else m.error=d.error;if(window.opener&&d.app_origin){window.opener.postMessage(m,d.app_origin);window.close();return}if(d.return_to){var u=new URL(d.return_to);u.searchParams.set('oauth_status',d.status);if(d.mcp_id)u.searchParams.set('mcp_id',d.mcp_id);if(d.error)u.searchParams.set('oauth_error',d.error);if(d.completion)u.searchParams.set('completion',d.completion);location.replace(u.href)}})();`
const HASH = createHash('sha256').update(SCRIPT).digest('base64')

export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': `default-src 'none'; script-src 'sha256-${HASH}'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'unsafe-none',
}

// JSON inside a <script> block: escape '<' so no value can close it.
const json = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')

export function page(o: Outcome): string {
  const text = o.status === 'pending_confirmation' ? 'Signed in. Finish connecting in the app; you can close this window.' : `Connection failed (${o.error ?? 'error'}). You can close this window.`
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>MCP connection</title></head><body><p>${text.replace(/[<>&"]/g, '')}</p><script type="application/json" id="d">${json(o)}</script><script>${SCRIPT}</script></body></html>`
}
