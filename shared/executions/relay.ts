/**
 * Interactive calls ride on warm upstream connections, kept apart per caller,
 * config and declared capabilities. What a server sends on a call's own
 * response stream (a 2025 server's `elicitation/create` or
 * `sampling/createMessage` on the open call, log messages) reaches the leg
 * that call belongs to through async context, as shared/agent/relay.ts does
 * for agents; what comes on the session's own stream goes to the connection's
 * only call, if it has one; anything else is refused.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ConnectOptions, Declared } from '../mcp/sessions.js'

export type AskMethod = 'elicitation/create' | 'sampling/createMessage'

/** The leg an upstream request or notification belongs to. */
export interface LegRoute {
  ask(method: AskMethod, params: Record<string, unknown> | undefined): Promise<Record<string, unknown>>
  log?(l: { level: string; logger: string | null; data: unknown }): void
}

export const legRoute = new AsyncLocalStorage<LegRoute>()

/** The legs each connection is serving now. */
const serving = new WeakMap<object, Set<LegRoute>>()

/**
 * Runs `fn` (a leg's calls on `client`) with `route` as where the server's
 * requests and logs go: those on the call's own response stream find it
 * through async context; a server that sends them on its session's GET
 * stream instead is answered only while this is the connection's one call.
 */
export async function onConnection<T>(client: object, route: LegRoute, fn: () => Promise<T>): Promise<T> {
  let set = serving.get(client)
  if (!set) serving.set(client, (set = new Set()))
  set.add(route)
  try {
    return await legRoute.run(route, fn)
  } finally {
    set.delete(route)
  }
}

function legOf(client: object): LegRoute | undefined {
  const here = legRoute.getStore()
  if (here) return here
  const set = serving.get(client)
  return set?.size === 1 ? [...set][0] : undefined
}

type Client = NonNullable<ConnectOptions['client']>
const clients = new Map<string, Client>()

/** The connection spec for calls that declared `declared` (one per capability set, so warm connections are shared per set). */
export function interactiveClient(declared: Declared): Client {
  const caps: Declared = {
    ...(declared.elicitation ? { elicitation: { ...(declared.elicitation.form || !declared.elicitation.url ? { form: {} } : {}), ...(declared.elicitation.url ? { url: {} } : {}) } } : {}),
    ...(declared.sampling ? { sampling: {} } : {}),
  }
  const key = `x:${caps.elicitation?.form ? 'f' : ''}${caps.elicitation?.url ? 'u' : ''}${caps.sampling ? 's' : ''}`
  let c = clients.get(key)
  if (!c) {
    c = {
      key,
      capabilities: caps as Record<string, unknown>,
      manual: true,
      setup(client) {
        const ask = (method: AskMethod) => async (req: { params?: Record<string, unknown> }) => {
          const leg = legOf(client)
          if (!leg) throw new Error(`${method} outside a call the gateway can put to its user`)
          return (await leg.ask(method, req.params)) as never
        }
        if (caps.elicitation) client.setRequestHandler('elicitation/create', ask('elicitation/create'))
        if (caps.sampling) client.setRequestHandler('sampling/createMessage', ask('sampling/createMessage'))
        client.setNotificationHandler('notifications/message', (n) => legOf(client)?.log?.({ level: n.params.level, logger: n.params.logger ?? null, data: n.params.data }))
      },
    }
    clients.set(key, c)
  }
  return c
}
