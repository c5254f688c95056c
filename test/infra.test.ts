/**
 * infra/ without a terraform binary: every .tf file parses (@cdktf/hcl2json),
 * and the configuration has the shape the code needs: the layout of
 * terraform-google-modules, declared and typed variables, one deployment per
 * registered function, Firestore TTLs and indexes, Hosting, monitoring, outputs.
 * Where the code has to agree with infra/, the code's behaviour is checked,
 * never its source text: what the code writes and logs against infra's
 * indexes and log metrics is in representative.test.ts, the adapter's queries
 * in store-firestore.test.ts. IAM and secrets are in infra-iam.test.ts.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { parse } from '@cdktf/hcl2json'
import { FUNCTIONS } from '../functions/names.js'
import { TTL_FIELD } from '../shared/adapters/store-firestore.js'
import { startGateway } from './support/gateway.js'
import { envRead } from './support/env.js'
import { leaves, mod, modules, parseFile, root, sourceDir, tfFiles, type Module } from './fixtures/terraform.js'

const test = suite('infra')
const names = Object.keys(FUNCTIONS).sort()
const firebase = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8'))
const META = new Set(['source', 'for_each', 'count', 'depends_on', 'providers', 'version'])
const MODULE_DIRS = ['infra', 'infra/modules/http-function', 'infra/examples/minimal', 'infra/examples/hardened']

test('every .tf file parses', async () => {
  const files = tfFiles()
  assert.ok(files.length >= 20, `only ${files.length} .tf files`)
  for (const f of files) await parseFile(f)
})

test('laid out like terraform-google-modules: main, variables, outputs, versions in every module and example', async () => {
  assert.equal([...(await modules()).keys()].sort(), [...MODULE_DIRS].sort())
  for (const dir of MODULE_DIRS)
    for (const f of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']) assert.ok(existsSync(join(root, dir, f)), `${dir}/${f}`)
})

test('google and google-beta are pinned to a major version, with a minimum terraform version', async () => {
  for (const dir of MODULE_DIRS) {
    const t = (await mod(dir)).terraform
    assert.ok(t.some((b) => b.required_version), `${dir}: required_version`)
    const p = Object.assign({}, ...t.flatMap((b) => b.required_providers ?? []))
    const want = dir === 'infra/modules/http-function' ? ['google'] : ['google', 'google-beta']
    for (const name of want) {
      assert.ok(p[name], `${dir}: ${name} is required`)
      assert.match(p[name].version, /^~> \d+\.\d+$/, `${dir}: ${name} is pinned`)
    }
  }
})

const used = (m: Module) => new Set([...m.text.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((x) => x[1]))

test('every variable used is declared, with a type and a description, and every declared one is used', async () => {
  for (const [dir, m] of await modules()) {
    for (const v of used(m)) assert.ok(m.variable[v!], `${dir}: var.${v} is used but not declared`)
    for (const [name, v] of Object.entries(m.variable)) {
      assert.ok(v.type, `${dir}: variable ${name} has no type`)
      assert.ok(typeof v.description === 'string' && v.description.length > 10, `${dir}: variable ${name} has no description`)
      assert.ok(used(m).has(name), `${dir}: variable ${name} is never used`)
    }
    for (const [name, o] of Object.entries(m.output)) assert.ok(o.description, `${dir}: output ${name} has no description`)
  }
})

test('module calls pass only declared variables, and every required one', async () => {
  let calls = 0
  for (const [dir, m] of await modules())
    for (const [name, call] of Object.entries(m.module)) {
      const callee = await mod(sourceDir(m, call.source))
      const passed = Object.keys(call).filter((k) => !META.has(k))
      for (const k of passed) assert.ok(callee.variable[k], `${dir}: module ${name} passes undeclared ${k}`)
      for (const [k, v] of Object.entries(callee.variable)) if (!('default' in v)) assert.ok(passed.includes(k), `${dir}: module ${name} lacks ${k}`)
      calls++
    }
  assert.is(calls, 3)
})

test('the examples call the root module, and their tfvars examples set declared variables', async () => {
  for (const ex of ['minimal', 'hardened']) {
    const m = await mod(`infra/examples/${ex}`)
    assert.is(sourceDir(m, m.module.gateway.source), 'infra')
    const tfvars = await parse('terraform.tfvars', readFileSync(join(m.dir, 'terraform.tfvars.example'), 'utf8'))
    for (const k of Object.keys(tfvars)) assert.ok(m.variable[k], `${ex}: tfvars sets undeclared ${k}`)
    for (const [k, v] of Object.entries(m.variable)) if (!('default' in v)) assert.ok(k in tfvars, `${ex}: tfvars lacks required ${k}`)
  }
})

test('one function map, keyed like the code and firebase.json: every registered function has a deployment', async () => {
  const m = await mod('infra')
  const rewrites = [...new Set<string>(firebase.hosting.rewrites.map((r: any) => r.function.functionId))].sort()
  assert.equal(Object.keys(m.locals.function_defaults).sort(), names)
  assert.equal(Object.keys(m.locals.access).sort(), names)
  assert.equal(rewrites, names)
  // The names in variable validations are the same list.
  for (const v of ['functions', 'secret_env']) {
    const listed = [...m.variable[v].validation.map((x: any) => x.condition).join(' ').matchAll(/contains\(\[([^\]]+)\]/g)].flatMap((x) => JSON.parse(`[${x[1]}]`))
    assert.equal([...new Set(listed)].sort(), names, `variable ${v}`)
  }
  const call = m.module.functions
  assert.is(call.source, './modules/http-function')
  assert.is(call.for_each, '${local.functions}')
  assert.is(call.name, '${each.key}')
  assert.match(m.locals.functions, /for name, d in local\.function_defaults/)
  for (const [name, f] of Object.entries<any>(m.locals.function_defaults))
    for (const k of ['memory', 'cpu', 'timeout_seconds', 'min_instances', 'max_instances', 'concurrency']) assert.ok(f[k] !== undefined, `${name}.${k}`)
})

test('every function deploys from the one source archive, on nodejs22, with FUNCTION_TIMEOUT_SEC = its timeout', async () => {
  const m = await mod('infra')
  const fn = await mod('infra/modules/http-function')
  assert.is(m.locals.runtime, 'nodejs22')
  assert.is(m.module.functions.runtime, '${local.runtime}')
  assert.is(fn.variable.runtime.default, 'nodejs22')
  for (const [, mm] of await modules())
    for (const [path, v] of leaves(mm)) if (/(^|\.)runtime$/.test(path) && typeof v === 'string' && !v.startsWith('${')) assert.is(v, 'nodejs22', path)
  const f = fn.resource.google_cloudfunctions2_function.this
  assert.is(f.build_config[0].runtime, '${var.runtime}')
  assert.equal(f.build_config[0].source[0].storage_source[0], { bucket: '${var.source_archive.bucket}', object: '${var.source_archive.object}', generation: '${var.source_archive.generation}' })
  assert.equal(Object.keys(m.resource.google_storage_bucket_object), ['source'])
  assert.equal(m.module.functions.source_archive, { bucket: '${google_storage_bucket.source.name}', object: '${google_storage_bucket_object.source.name}', generation: '${google_storage_bucket_object.source.generation}' })
  assert.match(m.locals.env, /FUNCTION_TIMEOUT_SEC = tostring\(f\.timeout_seconds\)/)
  // The registry bounds a config's timeout_ms by its own FUNCTION_TIMEOUT_SEC: it must allow any execute can honour.
  const d = m.locals.function_defaults
  const gw = await startGateway({ env: { FUNCTION_TIMEOUT_SEC: String(d.registry.timeout_seconds) } })
  try {
    const token = await gw.token('ops')
    const post = (timeout_ms: number) => gw.req('POST', '/mcps', { token, body: { name: 't', type: 'http', endpoint: 'https://mcp.example.com/mcp', config: { timeout_ms } } })
    const r = await post(d.execute.timeout_seconds * 1000 - 1000)
    assert.is(r.status, 201, `the registry (timeout ${d.registry.timeout_seconds} s) refuses a timeout execute (${d.execute.timeout_seconds} s) honours: ${r.text}`)
    assert.is((await post(d.registry.timeout_seconds * 1000)).status, 400, 'timeouts past the function timeout are refused')
  } finally {
    await gw.close()
  }
  const s = f.service_config[0]
  for (const [k, v] of Object.entries({ available_memory: 'memory', available_cpu: 'cpu', timeout_seconds: 'timeout_seconds', min_instance_count: 'min_instances', max_instance_count: 'max_instances', max_instance_request_concurrency: 'concurrency' }))
    assert.is(s[k], `\${var.settings.${v}}`, k)
})

test('the stdio pool keeps at least one instance with CPU always allocated', async () => {
  const m = await mod('infra')
  const fn = await mod('infra/modules/http-function')
  const pool = m.locals.function_defaults['stdio-pool']
  assert.ok(pool.min_instances >= 1)
  assert.is(pool.cpu_always_allocated, true)
  assert.ok(Number(pool.cpu) >= 1, 'CPU always allocated needs a whole CPU')
  // execute too: interactive executions go on after their response (docs/decisions.md).
  for (const [name, f] of Object.entries<any>(m.locals.function_defaults)) if (name !== 'stdio-pool' && name !== 'execute') assert.is(f.cpu_always_allocated, false, name)
  assert.is(m.locals.function_defaults.execute.cpu_always_allocated, true)
  assert.ok(Number(m.locals.function_defaults.execute.cpu) >= 1, 'CPU always allocated needs a whole CPU')
  assert.match(m.variable.functions.validation.map((v: any) => v.condition).join(' '), /stdio-pool"\]\.min_instances, null\), 1\) >= 1/)
  const fix = fn.resource.terraform_data.cpu_always_allocated
  assert.is(fix.count, '${var.settings.cpu_always_allocated ? 1 : 0}')
  assert.match(fix.provisioner['local-exec'][0].command, /gcloud run services update .* --no-cpu-throttling/)
})

test('execute and listing scale to zero unless warm_instances keeps some warm, with the cost and when it pays in its description', async () => {
  const m = await mod('infra')
  const v = m.variable.warm_instances
  assert.match(v.type, /execute\s*=\s*optional\(number,\s*0\)/)
  assert.match(v.type, /listing\s*=\s*optional\(number,\s*0\)/)
  assert.equal(v.default, {})
  assert.match(v.description, /US\$\d+ a month/, 'the cost of an idle warm instance')
  assert.match(v.description, /pays when/i, 'when it pays for itself')
  assert.match(v.validation.map((x: any) => x.condition).join(' '), /n >= 0 && floor\(n\) == n/)
  const d = m.locals.function_defaults
  assert.is(d.execute.min_instances, '${var.warm_instances.execute}')
  assert.is(d.listing.min_instances, '${var.warm_instances.listing}')
  // The other request-serving functions scale to zero; the per-function override still wins over all of it.
  for (const n of ['health', 'registry', 'oauth-start', 'oauth-callback']) assert.is(d[n].min_instances, 0, n)
  assert.match(m.locals.functions, /merge\(d,/)
  const ex = await mod('infra/examples/minimal')
  assert.is(ex.module.gateway.warm_instances, '${var.warm_instances}')
})

test('env: every variable the code reads in production is wired, and none that it does not read', async () => {
  const m = await mod('infra')
  const read = envRead()
  const localOnly = ['DATA_DIR', 'LOCAL_VAULT_KEY', 'EGRESS_ALLOW_LOOPBACK', 'STORE', 'VAULT', 'PORT', 'GCLOUD_PROJECT', 'FIREBASE_PROJECT', 'TMPDIR']
  const platform = ['LOG_EXECUTION_ID', 'FUNCTION_TIMEOUT_SEC']
  // Set from Secret Manager as secret env vars by infra/ itself (operators' own go through var.secret_env).
  const secretEnv = [...String(m.locals.secret_env).matchAll(/\{ ([A-Z][A-Z0-9_]*) = \{ secret = /g)].map((x) => x[1]!)
  const set = new Set(
    ['common_env', 'stdio_env', 'pool_client_env', 'pool_server_env', 'rate_limit_env', 'redis_env', 'discovery_env'].flatMap((l) => Object.keys(m.locals[l])).concat('FUNCTION_TIMEOUT_SEC', ...secretEnv),
  )
  for (const k of read) assert.ok(set.has(k) || localOnly.includes(k), `${k} is read by shared/config.ts but not set by infra/`)
  for (const k of set) assert.ok(read.has(k) || platform.includes(k), `infra/ sets ${k}, which the code does not read`)
  assert.is(m.locals.common_env.GATEWAY_MODE, 'production')
  assert.is(m.locals.pool_client_env.POOL_AUDIENCE, '${local.pool_url}')
  assert.is(m.locals.pool_server_env.POOL_AUDIENCE, '${local.pool_url}')
  assert.match(m.locals.pool_url, /^https:\/\/\$\{local\.pool_name\}-\$\{data\.google_project\.this\.number\}\.\$\{var\.region\}\.run\.app$/)
  assert.match(m.locals.stdio_catalog, /\/workspace\//)
})

test('Firestore: the native (default) database and TTL policies on exp, oauth_states and oauth_leases included', async () => {
  const m = await mod('infra')
  const db = m.resource.google_firestore_database.this
  assert.is(db.type, 'FIRESTORE_NATIVE')
  assert.is(db.name, '(default)')
  for (const c of ['oauth_states', 'oauth_leases', 'audit', 'mcp_state', 'mcp_health', 'executions', 'execution_parts']) assert.ok(m.locals.ttl_collections.includes(c), c)
  const ttl = m.resource.google_firestore_field.ttl
  assert.is(ttl.for_each, '${toset(local.ttl_collections)}')
  // The field the Firestore adapter writes as a Timestamp (store-firestore.test.ts checks it does).
  assert.is(ttl.field, TTL_FIELD)
  assert.is(ttl.collection, '${local.collection_prefix}${each.key}')
  assert.ok(ttl.ttl_config, 'ttl_config')
})

test('Firestore: every collection docs/storage-schema.md says has a TTL policy on exp has one in infra (tokens included)', async () => {
  const ttl = (await mod('infra')).locals.ttl_collections as string[]
  const doc = readFileSync(join(root, 'docs/storage-schema.md'), 'utf8')
  const said = [...doc.matchAll(/^## `([a-z_]+)\/[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)].filter(([, , body]) => /TTL (policy )?on `exp`/.test(body!)).map(([, name]) => name!)
  assert.ok(said.includes('tokens') && said.includes('oauth_states'), said.join(', '))
  for (const c of said) assert.ok(ttl.includes(c), `${c}: the docs promise a TTL policy that infra/firestore.tf does not create`)
})

test('Firestore indexes: the composite ones wired through one map (which ones: test/indexes.test.ts)', async () => {
  const m = await mod('infra')
  assert.ok(Object.keys(m.locals.composite_indexes).length > 0)
  assert.is(m.resource.google_firestore_index.composite.for_each, '${local.composite_indexes}')
})

test('the required APIs are enabled', async () => {
  const m = await mod('infra')
  const apis = m.locals.apis as string
  for (const a of ['cloudfunctions', 'run', 'cloudbuild', 'artifactregistry', 'firestore', 'secretmanager', 'firebasehosting', 'logging', 'monitoring', 'iam'])
    assert.ok(apis.includes(`"${a}.googleapis.com"`), a)
})

test('Hosting: a site whose release is firebase.json, each rewrite to its function in the same region', async () => {
  const m = await mod('infra')
  assert.ok(m.resource.google_firebase_hosting_site.this)
  assert.match(m.locals.firebase_json, /firebase\.json/)
  const rw = m.resource.google_firebase_hosting_version.this.config[0].dynamic.rewrites[0]
  assert.is(rw.for_each, '${local.rewrites}')
  assert.match(rw.content[0].run[0].service_id, /module\.functions\[rewrites\.value\.function\.functionId\]/)
  const pre = m.resource.google_firebase_hosting_version.this.lifecycle[0].precondition.map((p: any) => p.condition).join(' ')
  assert.match(pre, /r\.function\.region, ""\) == var\.region/)
  assert.ok(m.resource.google_firebase_hosting_release.this)
})

test('monitoring: log-based metrics match what the code logs; an error-rate alert; a dashboard', async () => {
  const m = await mod('infra')
  const metrics = m.locals.log_metrics
  assert.equal(Object.keys(metrics).sort(), ['oauth_flows', 'oauth_refresh_failures', 'rate_limit_blocks', 'rate_limit_unchecked', 'request_failures', 'tool_blocks', 'tool_executions'])
  // That each filter matches the log lines the code really writes is checked in representative.test.ts.
  assert.is(metrics.request_failures.labels.code, 'EXTRACT(jsonPayload.code)')
  assert.is(m.resource.google_logging_metric.this.for_each, '${{ for k, v in local.log_metrics : k => v if local.monitor }}')
  const alert = m.resource.google_monitoring_alert_policy.error_rate.conditions[0].condition_threshold[0]
  assert.match(alert.filter, /response_code_class="5xx"/)
  assert.ok(alert.denominator_filter)
  assert.ok(m.resource.google_monitoring_dashboard.this)
})

test('outputs: API base, OAuth callback and client metadata URLs (routed by firebase.json), and the streaming URL', async () => {
  const m = await mod('infra')
  assert.match(m.output.api_base_url.value, /\/api\/v1$/)
  const route = (path: string) => firebase.hosting.rewrites.find((r: any) => new RegExp(r.regex).test(path))?.function.functionId
  for (const [out, fn] of [['oauth_callback_url', 'oauth-callback'], ['client_metadata_url', 'oauth-callback']]) {
    const path = /\}(\/api\/v1\/.*)$/.exec(m.output[out!].value)![1]!
    assert.is(route(path), fn, out)
  }
  assert.match(m.output.execute_stream_url.value, /module\.functions\["execute"\]\.uri/)
  for (const ex of ['minimal', 'hardened'])
    for (const o of ['api_base_url', 'oauth_callback_url', 'client_metadata_url', 'execute_stream_url'])
      assert.ok((await mod(`infra/examples/${ex}`)).output[o], `${ex}: ${o}`)
})

test('the source staging script stages, where infra/ zips it, the bundle, the catalogs and every package a catalog entry runs', async () => {
  // Needs the build (npm test builds first).
  await promisify(execFile)(process.execPath, [join(root, 'infra/scripts/stage-source.mjs')], { cwd: root, timeout: 120_000 })
  const m = await mod('infra')
  assert.ok(String(m.locals.source_dir).includes('/../dist/deploy/source'), m.locals.source_dir)
  const out = join(root, 'dist/deploy/source')
  const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))
  const lock = JSON.parse(readFileSync(join(out, 'package-lock.json'), 'utf8'))
  const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  assert.ok(existsSync(join(out, pkg.main)), `${pkg.main} is staged`)
  // The deploy build runs npm ci, then gcp-build: it fills the compile cache where the functions run (test/compile-cache.test.ts).
  assert.equal(pkg.scripts, { 'gcp-build': 'node dist/bundle/fill-compile-cache.js' })
  assert.ok(existsSync(join(out, 'dist/bundle/fill-compile-cache.js')), 'the gcp-build script is staged')
  assert.not.ok(existsSync(join(out, '.compile-cache')), 'no cache made here: Node keys it by absolute path, so it would miss where the functions run')
  assert.equal(m.data.archive_file.source.excludes, ['.compile-cache/**'], 'nor zipped, if something filled one locally')
  assert.is(pkg.devDependencies, undefined)
  // The reference page at /api/v1/docs reads Swagger UI from the deployment's node_modules; its vendor's install analytics stay off.
  assert.ok(pkg.dependencies['swagger-ui-dist'], 'swagger-ui-dist is staged')
  assert.equal(pkg.scarfSettings, { enabled: false })
  const catalog = JSON.parse(readFileSync(join(out, 'catalog/example.json'), 'utf8'))
  const packages = catalog.servers.filter((s: any) => s.command === 'node').map((s: any) => s.package)
  assert.ok(packages.length > 0)
  for (const dep of [...Object.keys(ours.dependencies), ...packages]) {
    assert.ok(pkg.dependencies[dep], `${dep} is not a staged dependency`)
    assert.ok(lock.packages[`node_modules/${dep}`], `${dep} is not in the staged lock`)
  }
})

test.run()
