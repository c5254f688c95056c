/** JSON Schemas of the OAuth request bodies. */
export const startBody = {
  $id: 'oauth.start-body',
  type: 'object',
  additionalProperties: false,
  properties: { return_to: { type: 'string', minLength: 1, maxLength: 2048 } },
} as const
