/** JSON Schemas of the OAuth request bodies. */
export const startBody = {
  $id: 'oauth.start-body',
  type: 'object',
  additionalProperties: false,
  properties: {
    return_to: { type: 'string', minLength: 1, maxLength: 2048 },
    // A step-up: the `required_scopes` of a 409 (RFC 6749 §3.3 scope-tokens), requested on top of the discovered scope.
    scopes: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,200}$' } },
  },
} as const

export const completeBody = {
  $id: 'oauth.complete-body',
  type: 'object',
  additionalProperties: false,
  required: ['completion'],
  // 256 bits, base64url without padding, as the callback page hands it out.
  properties: { completion: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
} as const
