/**
 * Response schemas of the API, written once (docs/api.md describes them in
 * words). Request schemas are not here: they are the objects the gateway
 * validates with, imported from shared/*\/schema.ts by ./build.ts.
 */
const str = { type: 'string' } as const
const nstr = { type: ['string', 'null'] } as const
const time = { type: 'string', format: 'date-time' } as const
const ntime = { type: ['string', 'null'], format: 'date-time' } as const
const int = { type: 'integer' } as const
const obj = { type: 'object' } as const
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const nullable = (name: string) => ({ anyOf: [ref(name), { type: 'null' }] })
const page = (item: string) => ({ type: 'object', required: ['items', 'next_cursor'], properties: { items: { type: 'array', items: ref(item) }, next_cursor: nstr } })
const strings = { type: 'array', items: str } as const

const approval = {
  fingerprint: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
  approval: { enum: ['approved', 'pending', 'blocked'] },
  approval_reason: { enum: [null, 'new', 'changed', 'renamed', 'not_yet_approved', 'critical_findings'] },
  findings: { type: 'array', items: ref('Finding') },
}
const warnings = { type: 'array', items: ref('Warning') }

export const SCHEMAS: Record<string, object> = {
  Problem: {
    description: 'RFC 9457 problem details. `code` is stable (README, "Errors"); members beyond these depend on the code.',
    type: 'object',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: str,
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: str,
      code: str,
      instance: str,
      errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: str, message: str } } },
      upstream: { type: 'object', description: 'Why an upstream failed: `reason`, or the server\'s JSON-RPC `code` and `message`.', properties: { reason: str, code: int, message: str, http_status: int, exit_code: { type: ['integer', 'null'] }, signal: nstr, stderr: strings } },
      retry_after: { type: 'integer', minimum: 0 },
      start_url: str,
      reason: str,
      required_scopes: strings,
      quota: { type: 'object', properties: { name: str, limit: int } },
      violated_policies: strings,
      status_now: str,
      execution_id: str,
      tool: str,
      prompt: str,
      diff: { type: ['object', 'null'] },
      conflicts: obj,
    },
  },
  Finding: {
    type: 'object', required: ['severity', 'rule'],
    properties: { severity: { enum: ['critical', 'high', 'medium'] }, rule: str, field: str, span: { type: 'object', properties: { start: int, end: int, text: str } } },
  },
  Warning: { type: 'object', required: ['code'], properties: { code: str, method: str, message: str } },
  Health: {
    description: 'A finding about the server: the last check, or a call that could not reach it.',
    type: 'object', required: ['ok', 'checked_at', 'source', 'error'],
    properties: { ok: { type: 'boolean' }, checked_at: time, source: { enum: ['check', 'call'] }, error: { anyOf: [{ type: 'object', required: ['code'], properties: { code: str, reason: nstr } }, { type: 'null' }] } },
  },
  Connection: {
    type: 'object', required: ['state', 'connected'],
    properties: {
      state: { enum: ['connected', 'refreshing', 'error', 'expired', 'revoked', 'needs_auth', 'not_connected'] },
      connected: { type: 'boolean' }, scopes: strings, expires_at: ntime, last_refreshed_at: ntime, last_error: nstr,
    },
  },
  ToolPolicy: { type: 'object', required: ['mode'], properties: { mode: { enum: ['pin', 'open'] }, allow: strings, deny: strings } },
  Mcp: {
    description: 'A config as its caller sees it. Secrets are never shown: only `has_token`, `secret_header_names`, `env_names`, `has_client_secret`.',
    type: 'object',
    required: ['id', 'name', 'type', 'endpoint', 'auth_type', 'scope', 'org_id', 'status', 'config', 'health', 'created_by', 'created_at', 'updated_at'],
    properties: {
      id: str, name: str,
      type: { enum: ['http', 'sse', 'stdio'] },
      endpoint: nstr,
      auth_type: { enum: ['none', 'bearer', 'oauth'] },
      scope: { enum: ['user', 'org'] },
      org_id: nstr,
      status: { enum: ['ready', 'needs_auth', 'error'] },
      config: {
        type: 'object', required: ['headers', 'has_token', 'secret_header_names', 'tool_policy'],
        properties: {
          timeout_ms: int, rate_limit: str,
          headers: { type: 'object', additionalProperties: str },
          has_token: { type: 'boolean' }, secret_header_names: strings,
          oauth: { type: 'object', properties: { has_client_secret: { type: 'boolean' }, client_id: str, token_endpoint_auth_method: str, provider: str, scopes: strings } },
          catalog_id: str, params: obj, env_names: strings,
          tool_policy: ref('ToolPolicy'),
        },
      },
      connection: ref('Connection'),
      health: nullable('Health'),
      registry: {
        type: 'object', required: ['name', 'version'],
        properties: {
          name: str, version: str, source: str, remote: int, values: obj, secret_names: strings,
          latest_version: nstr, status: nstr, update_available: { type: 'boolean' }, deprecated: { type: 'boolean' }, deleted: { type: 'boolean' },
        },
      },
      created_by: str, created_at: time, updated_at: time,
    },
  },
  McpPage: page('Mcp'),
  CatalogEntry: {
    type: 'object', required: ['id', 'params', 'env'],
    properties: {
      id: str, description: nstr,
      params: { type: 'object', additionalProperties: { type: 'object', required: ['schema', 'kind', 'required'], properties: { schema: obj, kind: { enum: ['value', 'path'] }, required: { type: 'boolean' }, description: nstr } } },
      env: { type: 'object', additionalProperties: { type: 'object', required: ['secret', 'kind', 'required'], properties: { secret: { type: 'boolean' }, kind: { enum: ['value', 'path'] }, required: { type: 'boolean' }, description: nstr } } },
    },
  },
  Catalog: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ref('CatalogEntry') } } },
  Tool: {
    type: 'object', required: ['name', 'input_schema', 'validation', 'fingerprint', 'approval'],
    properties: {
      name: str, title: nstr, description: nstr, input_schema: obj, output_schema: { type: ['object', 'null'] }, annotations: { type: ['object', 'null'] },
      validation: { enum: ['gateway', 'skipped'] }, validation_reason: nstr, ...approval,
    },
  },
  Tools: { type: 'object', required: ['tools'], properties: { tools: { type: 'array', items: ref('Tool') }, fingerprint: str, warnings } },
  Resource: {
    type: 'object', required: ['uri'],
    properties: { uri: str, name: nstr, title: nstr, description: nstr, mime_type: nstr, size: { type: ['integer', 'null'] }, ...approval },
  },
  Resources: { type: 'object', required: ['resources'], properties: { resources: { type: 'array', items: ref('Resource') }, warnings } },
  ResourceTemplates: {
    type: 'object', required: ['resource_templates'],
    properties: {
      resource_templates: { type: 'array', items: { type: 'object', required: ['uri_template'], properties: { uri_template: str, name: nstr, title: nstr, description: nstr, mime_type: nstr } } },
      warnings,
    },
  },
  ResourceContents: {
    type: 'object', required: ['contents'],
    properties: { contents: { type: 'array', items: { type: 'object', required: ['uri'], properties: { uri: str, mime_type: nstr, text: str, blob: str } } }, status: { const: 'completed' }, execution_id: str },
  },
  Prompt: {
    type: 'object', required: ['name'],
    properties: {
      name: str, title: nstr, description: nstr,
      arguments: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: str, description: nstr, required: { type: ['boolean', 'null'] } } } },
      ...approval,
    },
  },
  Prompts: { type: 'object', required: ['prompts'], properties: { prompts: { type: 'array', items: ref('Prompt') }, warnings } },
  PromptResult: { type: 'object', required: ['messages'], properties: { description: nstr, messages: { type: 'array', items: obj }, status: { const: 'completed' }, execution_id: str } },
  Completion: {
    type: 'object', required: ['completion'],
    properties: { completion: { type: 'object', required: ['values'], properties: { values: { type: 'array', maxItems: 100, items: str }, total: { type: ['integer', 'null'] }, has_more: { type: ['boolean', 'null'] } } }, warnings },
  },
  Changes: {
    type: 'object', required: ['mode', 'tools', 'prompts', 'resources', 'removed'],
    properties: {
      mode: { enum: ['pin', 'open'] }, fingerprint: str,
      tools: { type: 'array', items: ref('Change') }, prompts: { type: 'array', items: ref('Change') }, resources: { type: 'array', items: ref('Change') },
      removed: { type: 'object', properties: { tools: { type: 'array', items: obj }, prompts: { type: 'array', items: obj }, resources: { type: 'array', items: obj } } },
    },
  },
  Change: {
    type: 'object', required: ['change', 'approval'],
    properties: { name: str, uri: str, change: str, approval: str, approval_reason: nstr, fingerprint: str, approved_fingerprint: nstr, renamed_from: nstr, findings: { type: 'array', items: ref('Finding') }, diff: { type: ['object', 'null'] }, definition: obj },
  },
  Approved: {
    type: 'object',
    properties: Object.fromEntries(['tools', 'prompts', 'resources'].map((k) => [k, { type: 'array', items: { type: 'object', required: ['fingerprint', 'approval'], properties: { name: str, uri: str, fingerprint: str, approval: { const: 'approved' } } } }])),
  },
  Check: {
    type: 'object', required: ['ok', 'latency_ms', 'checked_at', 'error'],
    properties: {
      ok: { type: 'boolean' }, latency_ms: int, checked_at: time, protocol_version: nstr,
      server: { type: ['object', 'null'], properties: { name: str, version: nstr, title: nstr } },
      instructions: nstr, capabilities: { type: ['object', 'null'] },
      error: { anyOf: [{ type: 'object', required: ['code', 'detail'], properties: { code: str, reason: nstr, detail: str, upstream: obj, start_url: str } }, { type: 'null' }] },
    },
  },
  ToolResult: {
    description: 'A completed tool call (`execution_id` when it ran as an execution).',
    type: 'object', required: ['content', 'is_error', 'status'],
    properties: { content: { type: 'array', items: obj }, structured_content: { type: ['object', 'null'] }, is_error: { type: 'boolean' }, status: { const: 'completed' }, execution_id: str },
  },
  InputRequest: {
    type: 'object', required: ['kind'],
    properties: {
      kind: { enum: ['elicitation', 'sampling'] }, mode: { enum: ['form', 'url'] }, message: str, requested_schema: obj, url: str, url_host: str, params: obj,
    },
  },
  InputRequired: {
    description: 'The call stopped to ask its user: answer with POST /executions/{id}/input before `expires_at`.',
    type: 'object', required: ['status', 'execution_id', 'input_requests', 'expires_at'],
    properties: { status: { const: 'input_required' }, execution_id: str, input_requests: { type: 'object', additionalProperties: ref('InputRequest') }, expires_at: time },
  },
  Execution: {
    type: 'object', required: ['id', 'status', 'progress', 'input_requests', 'result', 'error', 'expires_at'],
    properties: {
      id: str,
      status: { enum: ['working', 'input_required', 'completed', 'failed', 'cancelled'] },
      progress: { anyOf: [ref('Progress'), { type: 'null' }] },
      input_requests: { type: ['object', 'null'], additionalProperties: ref('InputRequest') },
      result: { type: ['object', 'null'], description: 'The completed body: a ToolResult, PromptResult or ResourceContents.' },
      error: { anyOf: [ref('Problem'), { type: 'null' }] },
      expires_at: time,
    },
  },
  Progress: { type: 'object', required: ['progress'], properties: { progress: { type: 'number' }, total: { type: ['number', 'null'] }, message: nstr } },
  LogEvent: { type: 'object', required: ['level'], properties: { level: str, logger: nstr, data: {} } },
  OAuthStart: { type: 'object', required: ['authorization_url', 'expires_at'], properties: { authorization_url: { type: 'string', format: 'uri' }, expires_at: time } },
  NotRevoked: {
    description: 'Disconnected here, but the provider did not confirm the revocation.',
    type: 'object', required: ['revoked', 'reason', 'detail'],
    properties: { revoked: { const: false }, reason: { enum: ['revocation_refused', 'revocation_unsupported', 'revocation_failed', 'egress_denied'] }, provider_status: int, detail: str },
  },
  ClientMetadata: {
    type: 'object', required: ['client_id', 'redirect_uris'],
    properties: { client_id: str, client_name: str, client_uri: str, redirect_uris: strings, grant_types: strings, response_types: strings, token_endpoint_auth_method: str },
  },
  ResourceMetadata: {
    description: 'RFC 9728 protected resource metadata.',
    type: 'object', required: ['resource', 'authorization_servers', 'bearer_methods_supported'],
    properties: { resource: str, authorization_servers: strings, bearer_methods_supported: strings, resource_name: str, resource_documentation: str },
  },
  JsonRpc: {
    description: 'A JSON-RPC 2.0 message or batch (MCP streamable HTTP).',
    type: ['object', 'array'],
  },
  Token: {
    type: 'object', required: ['id', 'name', 'scopes', 'owner_id', 'created_at', 'expires_at'],
    properties: { id: str, name: str, scopes: strings, owner_id: str, org_id: nstr, created_at: time, expires_at: time, last_used_at: ntime },
  },
  NewToken: { allOf: [ref('Token'), { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: '^mgw_' } } }] },
  TokenPage: page('Token'),
  RegistryServer: {
    type: 'object', required: ['name', 'version'],
    properties: {
      name: str, title: nstr, description: nstr, version: str, status: nstr, published_at: ntime, updated_at: ntime, source: str,
      icons: { type: 'array', items: obj }, repository: { type: ['object', 'null'] }, website_url: nstr,
      remotes: { type: 'array', items: { type: 'object', required: ['index', 'type', 'registrable'], properties: { index: int, type: str, url: str, registrable: { type: 'boolean' }, reason: nstr, variables: strings, headers: { type: 'array', items: obj }, form: obj } } },
      packages: { type: 'array', items: { type: 'object', properties: { index: int, registry_type: str, identifier: str, version: nstr, transport: nstr, catalog_ids: strings, forms: { type: 'array', items: obj } } } },
      versions: { type: 'array', items: { type: 'object', required: ['version'], properties: { version: str, status: nstr, is_latest: { type: 'boolean' }, published_at: ntime } } },
    },
  },
  RegistryPage: page('RegistryServer'),
  Refreshed: { type: 'object', required: ['sources'], properties: { sources: { type: 'array', items: { type: 'object', required: ['source'], properties: { source: str, pages: int, stored: int, skipped: int, complete: { type: 'boolean' } } } } } },
  Proposal: {
    type: 'object', required: ['id', 'name', 'version', 'package', 'created_at'],
    properties: { id: str, org: nstr, by: str, name: str, version: str, source: str, package: obj, note: nstr, created_at: time },
  },
  ProposalPage: page('Proposal'),
  GatewayHealth: {
    type: 'object', required: ['status', 'version', 'store', 'vault', 'config'],
    properties: {
      status: { enum: ['ok', 'degraded'] }, version: str,
      store: { type: 'object', required: ['adapter', 'ok'], properties: { adapter: str, ok: { type: 'boolean' }, latency_ms: int, error: str } },
      vault: { type: 'object', required: ['adapter', 'ok'], properties: { adapter: str, ok: { type: 'boolean' }, latency_ms: int, error: str } },
      config: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' }, mode: str, cors: { enum: ['on', 'off'] }, stdio: { enum: ['on', 'off'] } } },
    },
  },
  PoolHealth: { type: 'object', required: ['status', 'configured'], properties: { status: { const: 'ok' }, configured: { type: 'boolean' }, entries: int } },
  AuditRecord: {
    description: 'One audit record, as stored: never arguments or results.',
    type: 'object', required: ['id', 'at', 'actor', 'org', 'action', 'mcp_id', 'outcome', 'duration_ms'],
    properties: {
      id: str, at: time, actor: str, org: nstr,
      action: { enum: ['mcp.create', 'mcp.update', 'mcp.delete', 'tool.execute', 'tool.blocked', 'tool.approve', 'oauth.connect', 'oauth.complete', 'oauth.disconnect', 'execution.input', 'stdio.home_save', 'token.create', 'token.revoke'] },
      mcp_id: str, outcome: { enum: ['ok', 'error', 'denied', 'cancelled'] }, code: str, duration_ms: { type: 'number' },
      tool: str, token_id: str, kind: { enum: ['tool', 'prompt', 'resource'] }, argument_names: strings,
      rate_limit: { type: 'object', properties: { policy: str } }, names: strings, execution_id: str, round: int,
      input: { enum: ['asked', 'answered', 'declined', 'cancelled', 'timed_out'] }, input_kinds: strings, bytes: int, cap: int,
    },
  },
  AuditPage: page('AuditRecord'),
  Usage: {
    type: 'object', required: ['mcp_id', 'window', 'since', 'until', 'scope', 'calls', 'errors', 'latency_ms'],
    properties: {
      mcp_id: str, window: { enum: ['1h', '24h', '7d'] }, since: time, until: time, scope: { enum: ['user', 'org'] },
      calls: { type: 'integer', minimum: 0 }, errors: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
      latency_ms: { type: 'object', required: ['p50', 'p95'], properties: { p50: { type: ['number', 'null'] }, p95: { type: ['number', 'null'] } } },
    },
  },
}
