/** JSON Schemas of the listing and execute request bodies and queries (docs/api.md mirrors them). */

// What the caller can answer, shaped like MCP client capabilities; only these are declared upstream.
const capabilities = {
  type: 'object', additionalProperties: false,
  properties: {
    elicitation: {
      type: 'object', additionalProperties: false,
      properties: { form: { type: 'object', additionalProperties: false }, url: { type: 'object', additionalProperties: false } },
    },
    sampling: { type: 'object', additionalProperties: false },
  },
} as const

export const readQuery = {
  $id: 'mcp.read-query',
  type: 'object', additionalProperties: false, required: ['uri'],
  properties: {
    uri: { type: 'string', minLength: 1, maxLength: 4096 },
    capabilities: { type: 'string', pattern: '^(elicitation|elicitation\\.form|elicitation\\.url|sampling)(,(elicitation|elicitation\\.form|elicitation\\.url|sampling))*$', description: 'a comma-separated list of elicitation, elicitation.form, elicitation.url, sampling' },
  },
} as const

export const promptBody = {
  $id: 'mcp.prompt-body',
  type: 'object', additionalProperties: false,
  properties: {
    arguments: { type: 'object', maxProperties: 100, additionalProperties: { type: 'string', maxLength: 65536 } },
    capabilities,
  },
} as const

export const executeBody = {
  $id: 'mcp.execute-body',
  type: 'object', additionalProperties: false,
  description: '{"arguments": {...}}, with the tool\'s arguments inside "arguments" (and, for an interactive call, "capabilities": {...})',
  properties: { arguments: { type: 'object' }, capabilities },
} as const

/** `POST /executions/{id}/input`: one answer per outstanding input request (checked further in shared/executions/answers.ts). */
export const inputBody = {
  $id: 'mcp.input-body',
  type: 'object', additionalProperties: false, required: ['responses'],
  properties: {
    responses: { type: 'object', minProperties: 1, maxProperties: 50, propertyNames: { type: 'string', minLength: 1, maxLength: 256 }, additionalProperties: { type: 'object' } },
  },
} as const

// A definition's name (or a resource's URI) to the fingerprint that was reviewed.
const approvals = { type: 'object', maxProperties: 2000, propertyNames: { type: 'string', minLength: 1, maxLength: 4096 }, additionalProperties: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } }

export const approveBody = {
  $id: 'mcp.approve-body',
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { tools: approvals, prompts: approvals, resources: approvals, acknowledge_findings: { type: 'boolean' } },
} as const
