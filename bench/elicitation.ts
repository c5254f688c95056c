/**
 * Item 9: one elicitation round trip through the gateway (execute →
 * input_required → input → completed) vs the same round trip by a direct SDK
 * client that answers in its handler (warm session), against servers that
 * ask (test/servers/asking.ts): 2025 (the question on the open call) and
 * 2026-07-28 (`input_required`, retried).
 *
 * The plain execute overhead its goal compares with is measured in the same
 * loop (item 1's pair: gateway execute vs a warm direct client, against the
 * plain test server of the same era), all four interleaved in a shuffled
 * order (so no call always follows the same other one): the machine's
 * speed drifts by tens of percent over a run, and a ratio of figures taken
 * minutes apart measured the drift as much as the gateway.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { interleave, type Summary } from './stats.js'
import { warmClient, type Era } from './direct.js'
import { api, ECHO } from './api.js'

export interface ElicitationResult {
  server: string
  era: Era
  gateway: Summary
  direct: Summary
  /** gateway p50 − direct p50: what the gateway adds to one round. */
  added_p50_ms: number
  /** A plain execute (item 1's pair) interleaved with the rounds: gateway, and the warm direct client. */
  plain_gateway?: Summary
  plain_direct?: Summary
  /** plain_gateway p50 − plain_direct p50: the plain execute overhead of this same loop. */
  plain_overhead_ms?: number
}

const TIMEOUT_MS = 15_000
const ANSWER = { action: 'accept', content: { name: 'Bench', age: 1 } }
const FORM = { elicitation: { form: {} } }

/** `plainUrl`: the plain test server of the same era (item 1's), for the overhead measured alongside. */
export async function elicitation(base: string, token: string, server: string, era: Era, url: string, plainUrl: string, o: { rounds: number; warmup: number }): Promise<ElicitationResult> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const post = async (path: string, body: unknown) => {
    const r = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) })
    return { status: r.status, json: (await r.json()) as Record<string, any> }
  }
  const a = api(base, token)
  const id = await a.register(`ask-${era}`, url, { config: { tool_policy: { mode: 'open' } } })
  const plainId = await a.register(`ask-plain-${era}`, plainUrl)
  const warm = await warmClient(plainUrl, era)

  const gateway = async () => {
    const q = await post(`/mcps/${id}/tools/ask_form/execute`, { arguments: {}, capabilities: FORM })
    if (q.json.status !== 'input_required') return false
    const key = Object.keys(q.json.input_requests)[0]!
    const done = await post(`/executions/${q.json.execution_id}/input`, { responses: { [key]: ANSWER } })
    return done.status === 200 && done.json.status === 'completed'
  }

  const transport = new StreamableHTTPClientTransport(new URL(url))
  const client = new Client({ name: 'bench-direct', version: '0' }, { capabilities: FORM, ...(era === 'modern' ? { versionNegotiation: { mode: 'auto' as const } } : {}) })
  client.setRequestHandler('elicitation/create', async () => ANSWER as never)
  await client.connect(transport, { timeout: TIMEOUT_MS })
  try {
    const direct = async () => {
      const r = await client.callTool({ name: 'ask_form', arguments: {} }, { timeout: TIMEOUT_MS })
      return r.isError !== true
    }
    const s = await interleave({ gateway, direct, plain_gateway: () => a.execute(plainId, 'echo', ECHO), plain_direct: () => warm.call() }, { ...o, shuffle: true })
    return {
      server, era, gateway: s.gateway, direct: s.direct, added_p50_ms: s.gateway.p50 - s.direct.p50,
      plain_gateway: s.plain_gateway, plain_direct: s.plain_direct, plain_overhead_ms: s.plain_gateway.p50 - s.plain_direct.p50,
    }
  } finally {
    await warm.close()
    if (transport.sessionId) await transport.terminateSession().catch(() => {})
    await client.close().catch(() => {})
  }
}
