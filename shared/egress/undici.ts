/**
 * The three parts of undici the egress fetch uses (`Agent`, `buildConnector`,
 * `request`), each from its own module. undici's index loads all of undici
 * (WHATWG fetch, WebSocket, mocks, caches, proxy agents): bundled, that was
 * about 80 ms of a cold instance's first upstream call; these parts take
 * about a third (docs/performance.md). test/egress-undici.test.ts checks they
 * are the same classes and behaviour as undici's own exports, so an undici
 * update that moves them fails there, not in production.
 */
import type { Agent as AgentT, Dispatcher, buildConnector as BuildConnector } from 'undici'
import AgentImpl from 'undici/lib/dispatcher/agent.js'
import connector from 'undici/lib/core/connect.js'
import apiRequest from 'undici/lib/api/api-request.js'

export type Agent = AgentT
export const Agent = AgentImpl as unknown as typeof AgentT
export const buildConnector = connector as unknown as typeof BuildConnector

type Options = Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Dispatcher }

/** undici's `request(url, options)`: the URL split into origin and path, as its index does. */
export function request(url: string | URL, opts: Options): Promise<Dispatcher.ResponseData> {
  const u = new URL(url)
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return Promise.reject(new TypeError(`invalid protocol ${u.protocol}`))
  const { dispatcher, ...rest } = opts
  return (apiRequest as (this: Dispatcher, o: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>).call(dispatcher, { ...rest, origin: u.origin, path: u.pathname + u.search })
}
