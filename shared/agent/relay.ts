/**
 * How an upstream server reaches the agent: its notifications (log
 * messages, progress, list changes, resource updates) and its requests
 * (elicitation, sampling, roots) go to the downstream request being served,
 * found through async context, else to the agent's 2025 session.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import type { ConnectOptions } from '../mcp/sessions.js'

export interface Message { method: string; params?: Record<string, unknown> }

export interface Downstream {
  notify(n: Message): Promise<void>
  /** Puts a server's request to the agent; absent when it cannot be asked (no 2025 session). */
  request?(r: Message): Promise<unknown>
}

/** The downstream request an upstream call is made for. */
export const relay = new AsyncLocalStorage<Downstream>()

const NOTIFICATIONS = [
  'notifications/message', 'notifications/resources/updated', 'notifications/resources/list_changed',
  'notifications/prompts/list_changed', 'notifications/tools/list_changed', 'notifications/elicitation/complete',
] as const
/** A capability the agent declared, and the request it lets the server make of it. */
const REQUESTS = { elicitation: 'elicitation/create', sampling: 'sampling/createMessage', roots: 'roots/list' } as const

/** The upstream client key of a 2025 session's own connections. */
export const sessionKey = (id: string) => `s:${id}`

/**
 * The upstream client for an agent: it declares the agent's own elicitation,
 * sampling and roots capabilities, so the server asks what the agent can
 * answer. `session`: a 2025 session's own connection (one upstream session
 * per downstream one); without it, connections are shared per capability set.
 */
export function clientFor(caps: Record<string, unknown>, session?: { id: string; downstream: Downstream }): NonNullable<ConnectOptions['client']> {
  const declared: Record<string, unknown> = {}
  for (const k of Object.keys(REQUESTS)) if (caps[k] && typeof caps[k] === 'object') declared[k] = caps[k]
  const key = session ? sessionKey(session.id) : `c:${createHash('sha256').update(JSON.stringify(declared)).digest('base64url').slice(0, 16)}`
  return {
    key,
    capabilities: declared,
    setup(client, forgetTools) {
      const to = () => relay.getStore() ?? session?.downstream
      for (const m of NOTIFICATIONS) {
        client.setNotificationHandler(m as 'notifications/message', (n: unknown) => {
          if (m === 'notifications/tools/list_changed') forgetTools()
          void to()?.notify(n as Message).catch(() => {})
        })
      }
      for (const [cap, m] of Object.entries(REQUESTS)) {
        if (!declared[cap]) continue
        client.setRequestHandler(m as 'elicitation/create', async (r: unknown) => {
          const down = to()
          if (!down?.request) throw new Error(`The agent cannot be asked (${m}) outside a 2025 session's request.`)
          return (await down.request(r as Message)) as never
        })
      }
    },
  }
}
