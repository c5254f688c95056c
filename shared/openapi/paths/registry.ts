/** The `registry` function: configs, the stdio catalog, discovery, and (issue 17) audit and usage. */
import type { Builder } from '../build.js'
import type { Code } from '../../errors.js'
import { createSchema, listQuerySchema, patchSchema } from '../../registry/schema.js'
import { auditQuerySchema, usageQuerySchema } from '../../usage/schema.js'
import { fromRegistrySchema, proposalSchema, searchQuerySchema, upgradeSchema } from '../../discovery/schema.js'

const V = '/api/v1'
const id = { id: 'The config\'s id.' }
const mcp = (description: string, headers = ['ETag']) => ({ description, schema: 'Mcp', headers })
// A registry that is not configured, that the egress policy refuses, cannot be reached, or answers too much.
const REGISTRY: Code[] = ['egress_denied', 'unavailable', 'upstream_error', 'upstream_timeout', 'upstream_response_too_large']
// A write: the egress policy, the vault write quota, the store refusing a concurrent change.
const WRITE: Code[] = ['egress_denied', 'rate_limited', 'conflict', 'precondition_failed']

export function registryPaths(b: Builder): void {
  b.add(`${V}/mcps`, 'POST', {
    tag: 'configs', summary: 'Register an MCP server',
    description: 'A config for an http, sse or stdio server, or one filled from a registry entry (`from_registry`). 201 with `Location` and `ETag`.',
    body: { schema: [createSchema, fromRegistrySchema] },
    ok: { 201: mcp('The config.', ['ETag', 'Location']) },
    codes: ['forbidden', 'not_found', 'quota_exceeded', ...WRITE, ...REGISTRY],
  })
  b.add(`${V}/mcps`, 'GET', {
    tag: 'configs', summary: 'List the caller\'s and their org\'s configs', query: listQuerySchema,
    ok: { 200: { description: 'A page, ordered by id.', schema: 'McpPage' } }, codes: [],
  })
  b.add(`${V}/mcps/{id}`, 'GET', { tag: 'configs', summary: 'Read a config', path: id, ok: { 200: mcp('The config.') }, codes: ['not_found'] })
  b.add(`${V}/mcps/{id}`, 'PATCH', {
    tag: 'configs', summary: 'Change a config', path: id, params: ['If-Match'],
    description: '`config` is merged (docs/api.md). Owner, or an admin of the config\'s org.',
    body: { schema: patchSchema }, ok: { 200: mcp('The changed config.') },
    codes: ['forbidden', 'not_found', 'quota_exceeded', ...WRITE, 'unavailable'],
  })
  b.add(`${V}/mcps/{id}`, 'DELETE', {
    tag: 'configs', summary: 'Delete a config and its secrets', path: id, params: ['If-Match'],
    ok: { 204: { description: 'Deleted.' } }, codes: ['forbidden', 'not_found', 'precondition_failed', 'conflict'],
  })
  b.add(`${V}/mcps/{id}/upgrade`, 'POST', {
    tag: 'discovery', summary: 'Move a registry config to its entry\'s latest version', path: id,
    body: { schema: upgradeSchema, required: false }, ok: { 200: mcp('The config.') },
    codes: ['forbidden', 'not_found', ...WRITE, ...REGISTRY],
  })
  b.add(`${V}/stdio/catalog`, 'GET', {
    tag: 'configs', summary: 'What stdio servers may be registered', ok: { 200: { description: 'The operator\'s catalog, without commands or paths.', schema: 'Catalog' } }, codes: [],
  })
  b.add(`${V}/registry/servers`, 'GET', {
    tag: 'discovery', summary: 'Search the MCP registries', query: searchQuerySchema,
    ok: { 200: { description: 'The latest version of each server, ordered by name.', schema: 'RegistryPage' } }, codes: REGISTRY,
  })
  const detail = {
    tag: 'discovery', summary: 'One registry entry, with its forms',
    query: { $id: 'openapi.registry-detail-query', properties: { version: { type: 'string', maxLength: 255 } } },
    ok: { 200: { description: 'The entry, with `versions` and registration forms.', schema: 'RegistryServer' } },
    codes: ['not_found', 'invalid_request', ...REGISTRY] as Code[],
  }
  b.add(`${V}/registry/servers/{name}`, 'GET', { ...detail, path: { name: 'The server name with its slash percent-encoded (`io.github.user%2Fweather`).' } })
  b.add(`${V}/registry/servers/{namespace}/{name}`, 'GET', { ...detail, summary: `${detail.summary} (the name with its slash as is)`, path: { namespace: 'The name up to its slash (`io.github.user`).', name: 'The rest of the name.' } })
  b.add(`${V}/registry/refresh`, 'POST', {
    tag: 'discovery', summary: 'Refresh the registry cache (Cloud Scheduler)', auth: 'scheduler',
    ok: { 200: { description: 'One bounded incremental run per source.', schema: 'Refreshed' } }, codes: ['forbidden', 'unavailable'],
  })
  b.add(`${V}/registry/proposals`, 'POST', {
    tag: 'discovery', summary: 'Propose a stdio package for the catalog (org admins)', body: { schema: proposalSchema },
    ok: { 201: { description: 'The proposal.', schema: 'Proposal' } }, codes: ['forbidden', 'not_found', 'conflict', ...REGISTRY],
  })
  b.add(`${V}/registry/proposals`, 'GET', {
    tag: 'discovery', summary: 'The caller\'s org\'s proposals', ok: { 200: { description: 'At most 100.', schema: 'ProposalPage' } }, codes: ['forbidden'],
  })
  // Issue 17 §3 (docs/api.md, "Audit and usage").
  b.add(`${V}/audit`, 'GET', {
    tag: 'audit', summary: 'Audit records, newest first',
    description: 'The caller\'s own records; an org admin sees every record of the org. Never arguments or results.',
    query: auditQuerySchema,
    ok: { 200: { description: 'A page of records.', schema: 'AuditPage' } }, codes: [],
  })
  b.add(`${V}/mcps/{id}/usage`, 'GET', {
    tag: 'audit', summary: 'Calls, errors by code and latency of one config', path: id,
    description: 'The caller\'s own calls; an org admin\'s view of an org config covers the org.',
    query: usageQuerySchema,
    ok: { 200: { description: 'Usage over the window.', schema: 'Usage' } }, codes: ['not_found'],
  })
}
