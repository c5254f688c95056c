/**
 * Build step: bundles the functions (our code, jose, ipaddr.js) into
 * dist/bundle/, one chunk per lazily loaded module, so a cold instance reads a
 * handful of files instead of dozens. Heavy clients stay external and are
 * still imported only when used. This is what deploys (package.json "main").
 */
import { build, type Plugin } from 'esbuild'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dist = fileURLToPath(new URL('../', import.meta.url))
// The client SDK's Node shims import its ajv validator at load; the gateway passes its own
// validator to every Client, so the bundle takes shared/mcp/sdk-shims.ts instead (docs/performance.md).
const sdkShims: Plugin = {
  name: 'sdk-shims',
  setup: (b) => b.onResolve({ filter: /^@modelcontextprotocol\/client\/_shims$/ }, () => ({ path: `${dist}shared/mcp/sdk-shims.js` })),
}
rmSync(`${dist}bundle`, { recursive: true, force: true })
const built = await build({
  // The schema compiler's worker is its own entry: shared/mcp/schema-compile.ts starts it from beside its chunk.
  entryPoints: [
    { in: `${dist}functions/index.js`, out: 'index' },
    { in: `${dist}shared/mcp/schema-worker-entry.js`, out: 'schema-worker-entry' },
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
  // The MCP client SDK (with zod and its SSE parsers) and undici are bundled: a chunk each, one file to
  // read instead of dozens (undici: about a hundred) to resolve, tree-shaken and minified (docs/performance.md).
  minify: true,
  // undici is bundled too (CommonJS: its requires of node: builtins need a real require in ESM output).
  banner: { js: "import { createRequire as __gwRequire } from 'node:module'; const require = __gwRequire(import.meta.url);" },
  external: ['@google-cloud/*', 'express', 'ajv', 'ajv/*', 'ajv-formats', 'ioredis'],
  plugins: [sdkShims],
  metafile: true,
})
// What went into which chunk, beside the bundle (not deployed): test/bundle.test.ts reads it.
writeFileSync(`${dist}bundle-meta.json`, JSON.stringify(built.metafile))
// shared/validate.ts loads the precompiled validators relative to its own file.
mkdirSync(`${dist}bundle/generated`, { recursive: true })
copyFileSync(`${dist}shared/generated/validators.cjs`, `${dist}bundle/generated/validators.cjs`)

// The typed client (client/): one ESM file for browsers and Node, eventsource-parser inside (no runtime
// dependencies), its declarations beside it (`tsc -p client`). Local mode and Hosting serve a copy at /client/gateway.js.
const root = fileURLToPath(new URL('../../', import.meta.url))
await build({
  entryPoints: [`${root}client/src/index.ts`],
  outfile: `${root}client/dist/gateway.js`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'inline',
})
mkdirSync(`${root}public/client`, { recursive: true })
copyFileSync(`${root}client/dist/gateway.js`, `${root}public/client/gateway.js`)
