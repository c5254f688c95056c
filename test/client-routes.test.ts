/**
 * The client has a method for every route of the OpenAPI document (which a
 * test keeps equal to firebase.json's routes), except those that are not the
 * app's to call; a new route without a client method fails here. Each method
 * is then called once against the local gateway, and must reach its route.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { buildDocument } from '../shared/openapi/document.js'
import { Gateway } from '../client/src/index.js'
import { startGateway } from './support/gateway.js'

const test = suite('client routes')

/** operationId → the Gateway method that calls it. */
export const METHODS: Record<string, keyof Gateway> = {
  get_mcps: 'listMcps',
  post_mcps: 'createMcp',
  get_mcps_id: 'getMcp',
  patch_mcps_id: 'updateMcp',
  delete_mcps_id: 'deleteMcp',
  post_mcps_id_upgrade: 'upgradeMcp',
  post_mcps_id_check: 'checkMcp',
  get_stdio_catalog: 'stdioCatalog',
  get_mcps_id_tools: 'listTools',
  get_mcps_id_tools_changes: 'toolChanges',
  post_mcps_id_tools_approve: 'approveTools',
  get_mcps_id_resources: 'listResources',
  get_mcps_id_resources_templates: 'listResourceTemplates',
  get_mcps_id_resources_read: 'readResource',
  get_mcps_id_prompts: 'listPrompts',
  post_mcps_id_prompts_prompt_get: 'getPrompt',
  post_mcps_id_complete: 'complete',
  post_mcps_id_tools_tool_execute: 'execute',
  post_executions_id_input: 'answer',
  get_executions_id: 'getExecution',
  delete_executions_id: 'cancelExecution',
  post_mcps_id_oauth_start: 'oauthStart',
  post_mcps_id_oauth_complete: 'oauthComplete',
  delete_mcps_id_oauth: 'disconnect',
  get_registry_servers: 'registryServers',
  get_registry_servers_name: 'registryServer',
  get_registry_servers_namespace_name: 'registryServer',
  post_registry_proposals: 'createProposal',
  get_registry_proposals: 'listProposals',
  post_registry_refresh: 'refreshRegistry',
  post_tokens: 'createToken',
  get_tokens: 'listTokens',
  delete_tokens_id: 'deleteToken',
  get_audit: 'audit',
  get_mcps_id_usage: 'usage',
  get_health: 'health',
  get_openapi_json: 'openapi',
  get_oauth_client_metadata_json: 'clientMetadata',
}

/** Routes an app does not call through this client, and why. */
const NOT_THE_APPS = [
  // MCP itself (streamable HTTP): for MCP clients such as the SDK's, with a personal access token.
  /_mcp$/,
  /^(get|post|delete)_pool_/, // the gateway's own stdio pool, for its service accounts
  /^get_well_known_/, // RFC 9728 metadata, read by MCP clients
  /^get_oauth_callback$/, // where the provider sends the popup; it talks to connect() by postMessage
  /^get_docs/, // the rendered reference, a page for people
]

test("every operation of the OpenAPI document has a client method, or is not the app's to call", () => {
  const doc = buildDocument() as { paths: Record<string, Record<string, { operationId?: string }>> }
  const ops = Object.values(doc.paths).flatMap((p) =>
    Object.values(p)
      .map((o) => o.operationId)
      .filter((x): x is string => typeof x === 'string'),
  )
  assert.ok(ops.length > 40, String(ops.length))
  const uncovered = ops.filter((op) => !(op in METHODS) && !NOT_THE_APPS.some((re) => re.test(op)))
  assert.equal(uncovered, [], 'routes without a client method')
  const gone = Object.keys(METHODS).filter((op) => !ops.includes(op))
  assert.equal(gone, [], 'client methods for operations the document no longer has')
  for (const [op, m] of Object.entries(METHODS)) assert.is(typeof Gateway.prototype[m], 'function', `${op} → ${String(m)}`)
})

/** One call of each method, with throwaway arguments: the answer does not matter here, only the request line. */
const CALLS: Record<string, (gw: Gateway) => unknown> = {
  get_mcps: (gw) => first(gw.listMcps()),
  post_mcps: (gw) => gw.createMcp({ name: 'x', type: 'http', endpoint: 'https://example.com/mcp' }),
  get_mcps_id: (gw) => gw.getMcp('m1'),
  patch_mcps_id: (gw) => gw.updateMcp('m1', { name: 'y' }),
  delete_mcps_id: (gw) => gw.deleteMcp('m1'),
  post_mcps_id_upgrade: (gw) => gw.upgradeMcp('m1'),
  post_mcps_id_check: (gw) => gw.checkMcp('m1'),
  get_stdio_catalog: (gw) => gw.stdioCatalog(),
  get_mcps_id_tools: (gw) => gw.listTools('m1'),
  get_mcps_id_tools_changes: (gw) => gw.toolChanges('m1'),
  post_mcps_id_tools_approve: (gw) => gw.approveTools('m1', { tools: { echo: 'sha256:0' } }),
  get_mcps_id_resources: (gw) => gw.listResources('m1'),
  get_mcps_id_resources_templates: (gw) => gw.listResourceTemplates('m1'),
  get_mcps_id_resources_read: (gw) => gw.readResource('m1', 'demo://a'),
  get_mcps_id_prompts: (gw) => gw.listPrompts('m1'),
  post_mcps_id_prompts_prompt_get: (gw) => gw.getPrompt('m1', 'p'),
  post_mcps_id_complete: (gw) => gw.complete('m1', { ref: { type: 'ref/prompt', name: 'p' }, argument: { name: 'a', value: '' } }),
  post_mcps_id_tools_tool_execute: (gw) => gw.execute('m1', 'echo'),
  post_executions_id_input: (gw) => gw.answer('e1', {}),
  get_executions_id: (gw) => gw.getExecution('e1'),
  delete_executions_id: (gw) => gw.cancelExecution('e1'),
  post_mcps_id_oauth_start: (gw) => gw.oauthStart('m1'),
  post_mcps_id_oauth_complete: (gw) => gw.oauthComplete('m1', 'c'),
  delete_mcps_id_oauth: (gw) => gw.disconnect('m1'),
  get_registry_servers: (gw) => first(gw.registryServers()),
  get_registry_servers_name: (gw) => gw.registryServer('weather'),
  get_registry_servers_namespace_name: (gw) => gw.registryServer('io.github.user/weather'),
  post_registry_proposals: (gw) => gw.createProposal({ name: 'io.github.user/weather', version: '1.0.0' }),
  get_registry_proposals: (gw) => gw.listProposals(),
  post_registry_refresh: (gw) => gw.refreshRegistry(),
  post_tokens: (gw) => gw.createToken({ name: 't' }),
  get_tokens: (gw) => first(gw.listTokens()),
  delete_tokens_id: (gw) => gw.deleteToken('t1'),
  get_audit: (gw) => first(gw.audit()),
  get_mcps_id_usage: (gw) => gw.usage('m1'),
  get_health: (gw) => gw.health(),
  get_openapi_json: (gw) => gw.openapi(),
  get_oauth_client_metadata_json: (gw) => gw.clientMetadata(),
}

async function first<T>(it: AsyncIterable<T>): Promise<void> {
  for await (const _ of it) return
}

test("each method sends its route's method and path to the gateway", async () => {
  const local = await startGateway()
  try {
    const doc = buildDocument() as { paths: Record<string, Record<string, { operationId?: string }>> }
    const route = new Map<string, { method: string; path: RegExp }>()
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, o] of Object.entries(ops)) if (o.operationId) route.set(o.operationId, { method: m.toUpperCase(), path: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`) })
    }
    let seen: { method: string; path: string }[] = []
    const gw = new Gateway({
      baseUrl: local.url,
      token: await local.token('alice'),
      fetch: (input, init) => {
        seen.push({ method: init?.method ?? 'GET', path: new URL(String(input)).pathname })
        return fetch(input, init)
      },
    })
    assert.equal(Object.keys(CALLS).sort(), Object.keys(METHODS).sort())
    for (const [op, call] of Object.entries(CALLS)) {
      seen = []
      await Promise.resolve(call(gw)).catch(() => {})
      const r = route.get(op)!
      assert.is(seen.length, 1, `${op}: ${JSON.stringify(seen)}`)
      assert.is(seen[0]!.method, r.method, op)
      assert.match(seen[0]!.path, r.path, op)
    }
  } finally {
    await local.close()
  }
})

test.run()
