/**
 * Prints the OpenAPI document (what GET /api/v1/openapi.json serves), for
 * client generators: `npm run -s openapi > openapi.json`.
 */
import { openapiDocument } from '../shared/openapi/document.js'

process.stdout.write(`${JSON.stringify(openapiDocument().doc, null, 2)}\n`)
