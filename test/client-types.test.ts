/**
 * The client's types are generated from the gateway's OpenAPI document
 * (scripts/gen-client-types.ts, openapi-typescript): the committed
 * client/src/generated/api.ts must be exactly what the current document
 * generates, so a route or schema change without regenerating fails here.
 * Needs client/'s own dev dependencies (`npm ci --prefix client`, .ci/run).
 */
import { readFileSync } from 'node:fs'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { generate, GENERATED, missingTool } from '../scripts/gen-client-types.js'
import { missing, needs } from './support/components.js'

const gap = missingTool()
const test = needs(suite('client types'), gap ? missing('client/node_modules (openapi-typescript, typescript 5)', gap) : null)

test('client/src/generated/api.ts is what the OpenAPI document generates (regenerate: node dist/scripts/gen-client-types.js)', async () => {
  const want = await generate()
  const have = readFileSync(GENERATED, 'utf8')
  if (have !== want) {
    const a = have.split('\n')
    const b = want.split('\n')
    const i = a.findIndex((l, n) => l !== b[n])
    assert.unreachable(`generated/api.ts is stale from line ${i + 1}: committed ${JSON.stringify(a[i])}, generated ${JSON.stringify(b[i])}`)
  }
  // The operations the client's own types name are there.
  for (const op of ['post_mcps', 'patch_mcps_id', 'post_mcps_id_tools_tool_execute', 'get_audit']) assert.ok(want.includes(`    ${op}: {`), op)
})

test.run()
