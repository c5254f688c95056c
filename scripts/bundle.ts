/**
 * Build step: bundles the functions (our code, jose, ipaddr.js) into
 * dist/bundle/, one chunk per lazily loaded module, so a cold instance reads a
 * handful of files instead of dozens. Heavy clients stay external and are
 * still imported only when used. This is what deploys (package.json "main").
 */
import { build } from 'esbuild'
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dist = fileURLToPath(new URL('../', import.meta.url))
rmSync(`${dist}bundle`, { recursive: true, force: true })
await build({
  // The schema compiler's worker is its own entry: shared/mcp/schema-compile.ts starts it from beside its chunk.
  entryPoints: [
    { in: `${dist}functions/index.js`, out: 'index' },
    { in: `${dist}shared/mcp/schema-worker.js`, out: 'schema-worker' },
    // The deploy build's `gcp-build` step (infra/scripts/stage-source.mjs): fills Node's compile cache.
    { in: `${dist}scripts/fill-compile-cache.js`, out: 'fill-compile-cache' },
  ],
  outdir: `${dist}bundle`,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // The MCP client SDK is bundled (with zod and its SSE parsers): its chunk is one file to read instead of
  // dozens to resolve, tree-shaken to what shared/mcp/sdk.ts re-exports, and minified (docs/performance.md).
  minify: true,
  external: ['@google-cloud/*', 'undici', 'express', 'ajv', 'ajv/*', 'ajv-formats', 'ioredis'],
})
// shared/validate.ts loads the precompiled validators relative to its own file.
mkdirSync(`${dist}bundle/generated`, { recursive: true })
copyFileSync(`${dist}shared/generated/validators.cjs`, `${dist}bundle/generated/validators.cjs`)
