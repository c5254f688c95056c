/**
 * Every function, by its one name (file, registration, Terraform key and
 * firebase.json rewrite target). Modules load on first call, so importing this
 * list costs nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>

export const FUNCTIONS: Record<string, () => Promise<{ handler: Handler }>> = {
  health: () => import('./health.js'),
  registry: () => import('./registry.js'),
  listing: () => import('./listing.js'),
  execute: () => import('./execute.js'),
  'oauth-start': () => import('./oauth-start.js'),
  'oauth-callback': () => import('./oauth-callback.js'),
  'stdio-pool': () => import('./stdio-pool.js'),
  mcp: () => import('./mcp.js'),
}

/**
 * Runs `fn` with no domain active. The Functions Framework runs each request in a
 * `domain`, whose async hook marks every promise created in it and enters and
 * leaves the domain around each of their callbacks; loading a function's modules
 * on its first request creates thousands of promises (docs/performance.md). Work
 * started here, and what it chains, runs outside the domain; the handler itself
 * still runs in the request's domain.
 */
function outsideDomain<T>(fn: () => T): T {
  const p = process as { domain?: unknown }
  const active = p.domain
  if (!active) return fn()
  p.domain = null
  try {
    return fn()
  } finally {
    p.domain = active
  }
}

/** A handler that imports its module on the first request. */
export function lazy(name: string): Handler {
  const module = FUNCTIONS[name]
  if (!module) throw new Error(`no function named ${name}`)
  let h: Promise<Handler> | undefined
  const load = () => {
    // Caller verification is needed by every function but health: load it alongside.
    if (name !== 'health') void import('../shared/auth/caller.js').catch(() => {})
    // An execute goes upstream: the MCP client loads while the caller is verified and the config read.
    if (name === 'execute') void import('../shared/mcp/sdk.js').then((m) => m.loadSdk()).catch(() => {})
    return module().then((m) => m.handler)
  }
  return async (req, res) => (await (h ??= outsideDomain(load)))(req, res)
}

/** Every function's handler by name, each loading its module on first call (local mode serves them all on one port). */
export const handlers = (): Record<string, Handler> => Object.fromEntries(Object.keys(FUNCTIONS).map((n) => [n, lazy(n)]))
