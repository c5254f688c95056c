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
}

/** A handler that imports its module on the first request. */
export function lazy(name: string): Handler {
  let h: Promise<Handler> | undefined
  return async (req, res) => (await (h ??= FUNCTIONS[name]().then((m) => m.handler)))(req, res)
}
