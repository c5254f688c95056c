/**
 * client/src/generated/api.ts from the gateway's own OpenAPI document
 * (shared/openapi), with openapi-typescript. It needs TypeScript 5's JS API,
 * which the root's TypeScript 7 does not have, so both are client/'s dev
 * dependencies (`npm ci --prefix client`). `--check` writes nothing and exits 1
 * when the committed file is not what the document generates (CI, and
 * test/client-types.test.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildDocument } from '../shared/openapi/document.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
export const GENERATED = `${root}client/src/generated/api.ts`
const TOOL = `${root}client/node_modules/openapi-typescript/dist/index.mjs`

/** null when client/'s dev dependencies are installed; else what to run. */
export const missingTool = (): string | null => (existsSync(TOOL) ? null : 'npm ci --prefix client')

const HEADER =
  "// Generated from the gateway's OpenAPI document (shared/openapi) by scripts/gen-client-types.ts: do not edit.\n// Regenerate: npm run -s build && node dist/scripts/gen-client-types.js\n\n"

/** The file's text as the current document generates it. */
export async function generate(): Promise<string> {
  const { default: openapiTS, astToString } = await import(pathToFileURL(TOOL).href)
  // A copy: openapi-typescript changes the document it is given, and the document's parts are shared module constants.
  const ast = await openapiTS(JSON.parse(JSON.stringify(buildDocument())), { alphabetize: true, emptyObjectsUnknown: true, defaultNonNullable: false })
  return HEADER + astToString(ast)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await generate()
  if (process.argv.includes('--check')) {
    const committed = existsSync(GENERATED) ? readFileSync(GENERATED, 'utf8') : ''
    if (committed !== text) {
      console.error(`${GENERATED} is not what the OpenAPI document generates: run node dist/scripts/gen-client-types.js and commit it`)
      process.exit(1)
    }
  } else {
    writeFileSync(GENERATED, text)
    console.log(`wrote ${GENERATED} (${text.length} bytes)`)
  }
}
