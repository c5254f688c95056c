/**
 * infra/ for rate limits: the policies reach the functions that read them,
 * an optional Memorystore instance holds the buckets for every execute
 * instance over Direct VPC egress (google provider >= 7.21), REDIS_URL carries
 * no secret, and blocks are a log-based metric that matches what the code logs.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { mod, modules, root } from './fixtures/terraform.js'
import { parsePolicy } from '../shared/ratelimit/policy.js'

const test = suite('infra rate limits')
const src = (f: string) => readFileSync(join(root, f), 'utf8')

test('variable rate_limit: the three policies, fail, and an optional Memorystore instance, off by default', async () => {
  const m = await mod('infra')
  const v = m.variable.rate_limit
  const type = String(v.type)
  for (const a of ['user', 'user_mcp', 'org', 'fail', 'redis', 'enabled', 'tier', 'memory_size_gb', 'network', 'subnetwork', 'deletion_protection'])
    assert.match(type, new RegExp(`\\b${a}\\s*=`), a)
  assert.match(type, /enabled\s*=\s*optional\(bool, false\)/)
  assert.equal(v.default, {})
  assert.is(v.nullable, false)
  const conds = v.validation.map((x: any) => x.condition).join('\n')
  assert.match(conds, /"open", "closed"/)
  assert.match(conds, /"BASIC", "STANDARD_HA"/)
  assert.match(conds, /!var\.rate_limit\.redis\.enabled \|\| anytrue/, 'no instance that counts nothing')
})

test('the Terraform check of a policy accepts what the gateway accepts, and refuses what it refuses', async () => {
  const m = await mod('infra')
  const re = new RegExp(/regex\(\\?"([^"\\]+)\\?"/.exec(m.variable.rate_limit.validation[0].condition)![1]!)
  const samples = ['600/m', '600/m,burst=50', '1/s', '999999/h', '10/h,burst=1', '0/m', '600', '600/d', '600/m,burst=0', '6/m,brust=5', ' 5/m', '1/h,burst=999999', '1000000/s', '01/s']
  for (const s of samples) {
    const code = parsePolicy(s)
    // Terraform's check is the API's strict form (no spaces), and one digit shorter than the code's bound.
    const strict = code.ok && /^[^\s]+$/.test(s) && !/(^|[/=])0/.test(s) && code.policy.count < 1_000_000 && code.policy.burst < 1_000_000
    assert.is(re.test(s), strict, s)
  }
})

test('the policies reach registry and execute; REDIS_URL only the functions that take tokens, as a plain value with no secret', async () => {
  const m = await mod('infra')
  assert.equal(m.locals.rate_limit_readers, ['registry', 'execute'])
  assert.equal(m.locals.rate_limit_takers, ['execute', 'mcp'])
  assert.equal(Object.keys(m.locals.rate_limit_env).sort(), ['RATE_LIMIT_FAIL', 'RATE_LIMIT_ORG', 'RATE_LIMIT_USER', 'RATE_LIMIT_USER_MCP'])
  assert.match(m.locals.env, /local\.rate_limit_env : ek => ev if ev != null && contains\(local\.rate_limit_readers, name\)/)
  assert.match(m.locals.env, /local\.redis_env : ek => ev if ev != null && contains\(local\.rate_limit_takers, name\)/)
  assert.match(m.locals.redis_env.REDIS_URL, /^\$\{local\.redis \? "redis:\/\/\$\{google_redis_instance\.ratelimit\[0\]\.host\}:\$\{google_redis_instance\.ratelimit\[0\]\.port\}" : null\}$/)
  // A plain REDIS_URL is only right while the instance has no AUTH string to put in it.
  const r = m.resource.google_redis_instance.ratelimit
  assert.is(r.auth_enabled, false)
  assert.is(r.transit_encryption_mode, 'DISABLED')
  assert.not.match(JSON.stringify(m.variable.secret_env), /REDIS/)
})

test('Memorystore: created only when enabled, in the region, on the authorized network, after its API', async () => {
  const m = await mod('infra')
  const r = m.resource.google_redis_instance.ratelimit
  assert.is(r.count, '${local.redis ? 1 : 0}')
  assert.is(m.locals.redis, '${var.rate_limit.redis.enabled}')
  assert.is(r.region, '${var.region}')
  assert.is(r.connect_mode, 'DIRECT_PEERING')
  assert.is(r.authorized_network, '${local.redis_network}')
  assert.match(m.locals.redis_network, /projects\/\$\{var\.project_id\}\/global\/networks\/\$\{var\.rate_limit\.redis\.network\}/)
  assert.equal(r.depends_on, ['${google_project_service.apis}'])
  assert.match(String(m.locals.apis), /var\.rate_limit\.redis\.enabled \? \["redis\.googleapis\.com"\] : \[\]/)
  // Instance ids: ^[a-z][a-z0-9-]{0,39}[a-z0-9]$, with the longest prefix name_prefix allows.
  assert.is(r.name, '${var.name_prefix}-ratelimit')
  assert.match('abcdefghijkl-ratelimit', /^[a-z][a-z0-9-]{0,39}[a-z0-9]$/)
  assert.is(r.deletion_protection, '${var.rate_limit.redis.deletion_protection}')
})

test('Direct VPC egress for execute only, private ranges only, through the function module', async () => {
  const m = await mod('infra')
  assert.is(m.module.functions.vpc, '${local.vpc[each.key]}')
  assert.match(m.locals.vpc, /local\.redis && contains\(local\.rate_limit_takers, name\) \?/)
  assert.match(m.locals.vpc, /egress\s*= "VPC_EGRESS_PRIVATE_RANGES_ONLY"/)
  const fn = await mod('infra/modules/http-function')
  const sc = fn.resource.google_cloudfunctions2_function.this.service_config[0]
  assert.is(sc.direct_vpc_egress, '${var.vpc == null ? null : var.vpc.egress}')
  const dyn = sc.dynamic.direct_vpc_network_interface[0]
  assert.is(dyn.for_each, '${var.vpc == null ? [] : [var.vpc]}')
  assert.equal(dyn.content[0], { network: '${direct_vpc_network_interface.value.network}', subnetwork: '${direct_vpc_network_interface.value.subnetwork}' })
  assert.not.ok(sc.vpc_connector, 'no Serverless VPC Access connector (it cannot be combined with Direct VPC egress)')
  assert.match(String(fn.variable.vpc.type), /egress\s*= optional\(string, "VPC_EGRESS_PRIVATE_RANGES_ONLY"\)/)
})

test('google provider >= 7.21 wherever the function module is used (Direct VPC egress on cloudfunctions2)', async () => {
  for (const [dir, m] of await modules()) {
    const google = Object.assign({}, ...m.terraform.flatMap((b) => b.required_providers ?? [])).google
    if (!google) continue
    assert.is(google.version, '~> 7.21', dir)
  }
})

test('log-based metrics for blocks and unchecked calls match what the code logs; the dashboard charts blocks', async () => {
  const m = await mod('infra')
  const { rate_limit_blocks: b, rate_limit_unchecked: u } = m.locals.log_metrics
  assert.match(b.filter, /jsonPayload\.audit\.code=\\?"rate_limited\\?"/)
  assert.equal(b.labels, { policy: 'EXTRACT(jsonPayload.audit.rate_limit.policy)' })
  assert.match(src('shared/ratelimit/limit.ts'), /outcome: 'denied', code: 'rate_limited', rate_limit: \{ policy: worst\.name \}/)
  assert.match(u.filter, /jsonPayload\.rate_limit\.store=\\?"unreachable\\?"/)
  assert.equal(u.labels, { fail: 'EXTRACT(jsonPayload.rate_limit.fail)' })
  assert.match(src('shared/ratelimit/limit.ts'), /logWithRequest\('WARNING', 'rate limiter store unreachable', \{ rate_limit: \{ store: 'unreachable', fail \} \}\)/)
  assert.equal(m.locals.log_charts.limits, { title: 'Rate-limit blocks by policy', metric: 'rate_limit_blocks', by: 'policy' })
  assert.ok(m.locals.dashboard_layout.some((t: any) => t.widget === 'limits'))
})

test('both examples declare rate_limit and pass it to the module', async () => {
  for (const dir of ['infra/examples/minimal', 'infra/examples/hardened']) {
    const m = await mod(dir)
    assert.ok(m.variable.rate_limit, dir)
    assert.is(m.module.gateway.rate_limit, '${var.rate_limit}', dir)
  }
})

test.run()
