/**
 * Stands in for the client SDK's Node shims (`@modelcontextprotocol/client/_shims`)
 * in the bundle only (scripts/bundle.ts): the same `CORS_IS_POSSIBLE`, and a default
 * JSON Schema validator that is the gateway's own instead of the SDK's ajv one. The
 * SDK makes its default only for a Client built without `jsonSchemaValidator`, and the
 * gateway always passes `outputValidators` (sessions.ts); but its shims import ajv at
 * load, so a cold instance evaluated about a hundred ajv modules it never used.
 */
import type { jsonSchemaValidator } from '@modelcontextprotocol/client'
import { outputValidators } from './args.js'

/** Node has no CORS: a TypeError from fetch is always a network error. */
export const CORS_IS_POSSIBLE = false

export class DefaultJsonSchemaValidator implements jsonSchemaValidator {
  getValidator<T>(schema: object) {
    return outputValidators.getValidator<T>(schema)
  }
}
