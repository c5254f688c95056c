#!/usr/bin/env node
/**
 * Stages the one source archive every function deploys from, into
 * dist/deploy/source (Terraform zips and uploads it):
 *
 *   dist/bundle/          the esbuild output of `npm run build` (package.json "main")
 *   catalog/              the stdio catalogs
 *   package.json          runtime dependencies plus every package a catalog entry runs,
 *                         no devDependencies; one script, `gcp-build`, which the deploy build
 *                         runs after `npm ci`: it fills Node's module compile cache
 *                         (scripts/fill-compile-cache.ts) where, and with the Node, the
 *                         functions run. It is not filled here: Node keys the cache by each
 *                         file's absolute path and by its own version, so a cache made here
 *                         would be a (harmless) miss on every file.
 *   package-lock.json     the repository's lock, pruned to those dependencies
 *
 * Catalog packages are "baked in": installed with the deployment, never at request time.
 * Their versions come from the repository's package.json (any dependency section) or lock.
 *
 * Usage: npm run build && node infra/scripts/stage-source.mjs [--catalog catalog/x.json ...]
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const out = join(root, 'dist/deploy/source')
const fail = (m) => {
  console.error(`stage-source: ${m}`)
  process.exit(1)
}

if (!existsSync(join(root, 'dist/bundle/index.js'))) fail('dist/bundle/index.js is missing: run `npm run build` first')

const args = process.argv.slice(2)
const catalogs = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--catalog' && args[i + 1]) catalogs.push(args[++i])
  else fail(`unknown argument ${args[i]}`)
}
if (!catalogs.length && existsSync(join(root, 'catalog')))
  for (const f of readdirSync(join(root, 'catalog'))) if (f.endsWith('.json')) catalogs.push(`catalog/${f}`)

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
const declared = { ...pkg.devDependencies, ...pkg.optionalDependencies, ...pkg.dependencies }

const deps = { ...pkg.dependencies }
for (const c of catalogs) {
  const file = resolve(root, c)
  if (!file.startsWith(root)) fail(`${c} is outside the repository`)
  const cat = JSON.parse(readFileSync(file, 'utf8'))
  for (const s of cat.servers ?? []) {
    if (s.command !== 'node' || typeof s.package !== 'string') continue
    const version = declared[s.package] ?? lock.packages?.[`node_modules/${s.package}`]?.version
    if (!version) fail(`${c}: entry ${s.id} runs ${s.package}, which is not a dependency of the repository: npm i -D ${s.package}`)
    deps[s.package] ??= version
  }
}

// /api/v1/docs serves Swagger UI from node_modules of the deployment (shared/openapi/serve.ts).
if (!deps['swagger-ui-dist']) fail('swagger-ui-dist must be a runtime dependency: /api/v1/docs reads it from node_modules')

rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, 'dist'), { recursive: true })
cpSync(join(root, 'dist/bundle'), join(out, 'dist/bundle'), { recursive: true })
for (const c of catalogs) cpSync(resolve(root, c), join(out, c), { recursive: true })

const staged = {
  name: pkg.name,
  version: pkg.version,
  private: true,
  type: pkg.type,
  main: pkg.main,
  engines: { node: '>=22' },
  scripts: { 'gcp-build': 'node dist/bundle/fill-compile-cache.js' },
  dependencies: Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b))),
  // swagger-ui-dist (the /api/v1/docs page, read from node_modules) depends on @scarf/scarf, whose install script
  // reports the install to its vendor: not from our deploy builds.
  scarfSettings: { enabled: false },
}
writeFileSync(join(out, 'package.json'), JSON.stringify(staged, null, 2) + '\n')
cpSync(join(root, 'package-lock.json'), join(out, 'package-lock.json'))
// Prune the lock to the staged dependencies, keeping every resolved version (no install).
execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: out, stdio: 'inherit' })

console.log(`stage-source: ${out}`)
console.log(`  dependencies: ${Object.keys(deps).join(', ')}`)
console.log(`  catalogs: ${catalogs.join(', ') || '(none)'}`)
