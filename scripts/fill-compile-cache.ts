/**
 * Fills Node's module compile cache for the deployed source (`.compile-cache/` at its
 * root; see shared/compile-cache.ts). The staged package.json runs it as `gcp-build`,
 * so the deploy build runs it after installing the dependencies, from the directory and
 * with the Node version the function runs with: Node keys the cache by both.
 *
 * It loads (compiles) every chunk of the bundle and the packages the functions load
 * lazily. A module that throws while it is evaluated here (no configuration at build
 * time) has been compiled all the same. On Node 20 it says so and does nothing.
 *
 *   node dist/bundle/fill-compile-cache.js
 */
import { mkdirSync, readdirSync } from 'node:fs'
import * as nodeModule from 'node:module'
import { fileURLToPath } from 'node:url'
import { compileCacheDir, enableFn } from '../shared/compile-cache.js'

/** Packages a function imports on first use (shared/deps.ts, the adapters, the egress agent, validators). */
const LAZY_PACKAGES = ['@google-cloud/firestore', '@google-cloud/secret-manager', '@google-cloud/storage', 'undici', 'ajv', 'ajv-formats', 'ioredis', 're2js', 'canonicalize']

const say = (m: string) => process.stdout.write(`fill-compile-cache: ${m}\n`)
const enable = enableFn()
if (!enable) {
  say(`Node ${process.version} has no module compile cache; nothing to do`)
  process.exit(0)
}
const dir = compileCacheDir()
mkdirSync(dir, { recursive: true })
const r = enable(dir)
if (r.status !== 1) {
  say(`not enabled (${r.message ?? `status ${r.status}`}); nothing to do`)
  process.exit(0)
}
const here = fileURLToPath(new URL('./', import.meta.url))
const self = fileURLToPath(import.meta.url)
// The schema worker runs in a worker thread; importing it here would only compile it, which is all we want.
const chunks = readdirSync(here).filter((f) => f.endsWith('.js') && here + f !== self)
let failed = 0
for (const f of chunks) await import(here + f).catch(() => failed++)
for (const p of LAZY_PACKAGES) await import(p).catch(() => failed++)
;(nodeModule as { flushCompileCache?: () => void }).flushCompileCache?.()
say(`${chunks.length} chunks and ${LAZY_PACKAGES.length} packages compiled into ${dir} (${failed} threw while evaluated; compiled all the same)`)
process.exit(0)
