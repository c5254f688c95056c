/**
 * JSON Schemas for discovery: what the gateway accepts from a registry (a
 * bounded subset of the published server.json schema, so a hostile registry
 * cannot store oversized or unusable entries) and the API's own bodies and
 * queries. docs/api.md ("Discovery") mirrors them.
 */

const str = (max: number) => ({ type: 'string', maxLength: max })
// The published schema's input object (server.json `Input`), with our bounds.
const input = {
  type: 'object',
  properties: {
    description: str(1000),
    isRequired: { type: 'boolean' },
    format: { enum: ['string', 'number', 'boolean', 'filepath'] },
    value: str(4096),
    isSecret: { type: 'boolean' },
    default: str(4096),
    placeholder: str(1000),
    choices: { type: 'array', maxItems: 100, items: str(1000) },
  },
}
const variables = { type: 'object', maxProperties: 32, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }, additionalProperties: input }
const keyValue = { allOf: [input, { type: 'object', required: ['name'], properties: { name: str(200), variables } }] }
const remote = {
  type: 'object',
  required: ['type', 'url'],
  properties: {
    type: str(40),
    url: str(2048),
    headers: { type: 'array', maxItems: 32, items: keyValue },
    variables,
  },
}
const pkg = {
  type: 'object',
  required: ['registryType', 'identifier'],
  properties: {
    registryType: str(40),
    registryBaseUrl: str(2048),
    identifier: str(1000),
    version: str(255),
    fileSha256: str(64),
    runtimeHint: str(40),
    transport: { type: 'object', required: ['type'], properties: { type: str(40), url: str(2048) } },
    runtimeArguments: { type: 'array', maxItems: 64 },
    packageArguments: { type: 'array', maxItems: 64 },
    environmentVariables: { type: 'array', maxItems: 64, items: keyValue },
  },
}

/** One server.json as a registry serves it. */
export const entrySchema = {
  $id: 'discovery.entry',
  type: 'object',
  required: ['name', 'description', 'version'],
  properties: {
    $schema: str(200),
    name: { type: 'string', minLength: 3, maxLength: 200, pattern: '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$' },
    description: { type: 'string', minLength: 1, maxLength: 100 },
    title: { type: 'string', minLength: 1, maxLength: 100 },
    version: { type: 'string', minLength: 1, maxLength: 255 },
    websiteUrl: str(2048),
    repository: { type: 'object', properties: { url: str(2048), source: str(100), id: str(200), subfolder: str(500) } },
    icons: { type: 'array', maxItems: 8, items: { type: 'object', required: ['src'], properties: { src: str(255), mimeType: str(40), sizes: { type: 'array', maxItems: 16, items: str(20) }, theme: str(10) } } },
    remotes: { type: 'array', maxItems: 16, items: remote },
    packages: { type: 'array', maxItems: 16, items: pkg },
  },
} as const

/** GET /registry/servers */
export const searchQuerySchema = {
  $id: 'discovery.search-query',
  type: 'object',
  additionalProperties: false,
  properties: {
    search: { type: 'string', maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]*$' },
    limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$', description: 'a whole number from 1 to 100' },
    cursor: { type: 'string', maxLength: 2048, pattern: '^[A-Za-z0-9_-]+$', description: 'the next_cursor of the page before, unchanged' },
  },
} as const

const values = {
  type: 'object',
  maxProperties: 64,
  propertyNames: { maxLength: 200 },
  additionalProperties: { anyOf: [{ type: 'string', maxLength: 8192 }, { type: 'number' }, { type: 'boolean' }] },
}

/** POST /mcps with `from_registry` instead of type and endpoint. */
export const fromRegistrySchema = {
  $id: 'discovery.create',
  type: 'object',
  additionalProperties: false,
  required: ['from_registry'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]+$' },
    scope: { enum: ['user', 'org'], default: 'user' },
    // `oauth`: the remote wants OAuth (discovered from the server as for any config); a bearer Authorization value sets `bearer` itself.
    auth_type: { enum: ['none', 'oauth'] },
    from_registry: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 3, maxLength: 200, pattern: '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$' },
        version: { type: 'string', minLength: 1, maxLength: 255 },
        remote: { type: 'integer', minimum: 0, maximum: 15, default: 0 },
        values,
      },
    },
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeout_ms: { type: 'integer', minimum: 100, maximum: 3_600_000, description: 'a whole number of milliseconds from 100 to 3600000' },
        tool_policy: { type: 'object' },
        rate_limit: { type: 'string', maxLength: 40 },
      },
    },
  },
} as const

/** POST /mcps/{id}/upgrade */
export const upgradeSchema = {
  $id: 'discovery.upgrade',
  type: 'object',
  additionalProperties: false,
  properties: { values },
} as const

/** POST /registry/proposals */
export const proposalSchema = {
  $id: 'discovery.proposal',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version'],
  properties: {
    name: { type: 'string', minLength: 3, maxLength: 200, pattern: '^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$' },
    version: { type: 'string', minLength: 1, maxLength: 255 },
    package: { type: 'integer', minimum: 0, maximum: 15, default: 0 },
    note: { type: 'string', maxLength: 1000, pattern: '^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f]*$' },
  },
} as const
