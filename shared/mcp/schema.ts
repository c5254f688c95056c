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

/** MCP's logging levels, least severe first (RFC 5424 severities). */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export const executeBody = {
  $id: 'mcp.execute-body',
  type: 'object', additionalProperties: false,
  description: '{"arguments": {...}}, with the tool\'s arguments inside "arguments" (and, when streaming, an optional "log_level"; for an interactive call, "capabilities": {...})',
  properties: {
    arguments: { type: 'object' },
    capabilities,
    // The least severe log message a streamed call wants from the server.
    log_level: { enum: LOG_LEVELS },
  },
} as const

const name = { type: 'string', minLength: 1, maxLength: 1024 }
const uri = { type: 'string', minLength: 1, maxLength: 4096 }

export const completeBody = {
  $id: 'mcp.complete-body',
  type: 'object', additionalProperties: false, required: ['ref', 'argument'],
  properties: {
    // What is completed: a prompt's argument, or a resource template's variable.
    ref: {
      type: 'object', additionalProperties: false, required: ['type'],
      properties: { type: { enum: ['ref/prompt', 'ref/resource'] }, name, uri },
      if: { properties: { type: { const: 'ref/prompt' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
      then: { properties: { name }, required: ['name'] },
      else: { properties: { uri }, required: ['uri'] },
    },
    argument: { type: 'object', additionalProperties: false, required: ['name', 'value'], properties: { name, value: { type: 'string', maxLength: 65536 } } },
    // Values already chosen for the other arguments.
    context: {
      type: 'object', additionalProperties: false,
      properties: { arguments: { type: 'object', maxProperties: 100, additionalProperties: { type: 'string', maxLength: 65536 } } },
    },
  },
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
