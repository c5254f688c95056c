/**
 * Both asking test servers (test/servers/asking.ts: a 2025 v1-SDK server and a
 * 2026-07-28 v2-SDK server whose tools ask for input), started and registered
 * for one user with an open tool policy: the setup the executions suites share.
 */
import * as assert from 'uvu/assert'
import { startAskingLegacy, startAskingModern, type AskingHandle } from '../servers/asking.js'
import type { Gateway } from './gateway.js'

export type Era = 'legacy' | 'modern'
export interface AskingPair {
  legacy: AskingHandle
  modern: AskingHandle
  /** The config id registered for each era. */
  ids: Record<Era, string>
  stop(): Promise<void>
}

export async function registerAsking(gw: Gateway, token: string): Promise<AskingPair> {
  const servers = { legacy: await startAskingLegacy(), modern: await startAskingModern() }
  const ids: Record<Era, string> = { legacy: '', modern: '' }
  for (const era of ['legacy', 'modern'] as const) {
    const r = await gw.req('POST', '/mcps', { token, body: { name: `asking ${era}`, type: 'http', endpoint: servers[era].url, config: { tool_policy: { mode: 'open' } } } })
    assert.is(r.status, 201, r.text)
    ids[era] = r.json.id
  }
  return { ...servers, ids, stop: async () => void (await Promise.all([servers.legacy.stop(), servers.modern.stop()])) }
}
