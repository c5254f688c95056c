/**
 * BENCH ONLY, NEVER SHIPPED: builds the "bound" variant of the deploy bundle for issue #19's
 * fifth round (docs/performance.md): scripts/bundle.ts's gateway build with the MCP client SDK
 * (shared/mcp/client-sdk.ts) swapped for bench/bound-client.ts, plain JSON-RPC over the same
 * egress-guarded fetch. Staged beside the real one with its own compile cache, so the bench can
 * run it as a `--baseline`:
 *
 *   npm run -s build && node infra/scripts/stage-source.mjs && $NODE22 dist/bench/bound-build.js
 *   $NODE22 dist/bench/run.js --only coldstart --baseline dist/bound/dist/bundle/index.js
 *
 * Its rows are then labelled "(baseline)"; it answers only the bench's cold listing and execute.
 */
import { build, type Plugin } from 'esbuild'
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const dist = fileURLToPath(new URL('../', import.meta.url))
const out = `${dist}bound/`
const swap = (filter: RegExp, path: string): Plugin => ({ name: path, setup: (b) => b.onResolve({ filter }, () => ({ path })) })
rmSync(out, { recursive: true, force: true })
await build({
  entryPoints: [
    { in: `${dist}functions/index.js`, out: 'index' },
    { in: `${dist}shared/mcp/schema-worker-entry.js`, out: 'schema-worker-entry' },
    { in: `${dist}scripts/fill-compile-cache.js`, out: 'fill-compile-cache' },
  ],
  outdir: `${out}dist/bundle`,
  bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning', minify: true,
  banner: { js: "import { createRequire as __gwRequire } from 'node:module'; const require = __gwRequire(import.meta.url);" },
  external: ['@google-cloud/*', 'express', 'ajv', 'ajv/*', 'ajv-formats', 'ioredis'],
  plugins: [
    swap(/^@modelcontextprotocol\/client\/_shims$/, `${dist}shared/mcp/sdk-shims.js`),
    swap(/\/client-sdk\.js$/, `${dist}bench/bound-client.js`),
  ],
})
mkdirSync(`${out}dist/bundle/generated`, { recursive: true })
copyFileSync(`${dist}shared/generated/validators.cjs`, `${out}dist/bundle/generated/validators.cjs`)
// The staged tree's other files (catalogs, package.json), as stage-source.mjs left them.
const staged = `${dist}deploy/source/`
if (existsSync(`${staged}catalog`)) cpSync(`${staged}catalog`, `${out}catalog`, { recursive: true })
if (existsSync(`${staged}package.json`)) copyFileSync(`${staged}package.json`, `${out}package.json`)
// Its own compile cache, filled as the deploy build fills one (a no-op on Node 20).
process.stdout.write(execFileSync(process.execPath, ['dist/bundle/fill-compile-cache.js'], { cwd: out, encoding: 'utf8', timeout: 120_000 }))
