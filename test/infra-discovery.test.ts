/**
 * infra/ for discovery: the registry sources reach the registry function only
 * and come from the operator (no registry named in the module), the scheduled
 * refresh calls the route the code serves with a token for the audience and
 * invoker the function checks, and nothing is created without sources.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mod } from './fixtures/terraform.js'
import { loadRewrites, matchRewrite } from '../shared/local/routes.js'
import { join } from 'node:path'
import { root } from './fixtures/terraform.js'

const test = suite('infra discovery')

test('variable discovery: operator-set sources (none by default), a schedule and refresh_sec', async () => {
  const v = (await mod('infra')).variable.discovery
  const type = String(v.type)
  assert.match(type, /registry_sources\s*=\s*optional\(list\(string\), \[\]\)/)
  assert.match(type, /refresh_schedule\s*=\s*optional\(string, "\*\/30 \* \* \* \*"\)/)
  assert.match(type, /refresh_sec\s*=\s*optional\(number\)/)
  assert.equal(v.default, {})
  assert.is(v.nullable, false)
  const re = new RegExp(/regex\("((?:[^"\\]|\\.)+)"/.exec(v.validation[0].condition)![1]!.replace(/\\\\/g, '\\'))
  for (const ok of ['https://registry.example.com', 'https://registry.example.com/base']) assert.ok(re.test(ok), ok)
  for (const bad of ['http://registry.example.com', 'https://user@registry.example.com', 'https://r.example.com?x=1', 'https://r.example.com/#f']) assert.not.ok(re.test(bad), bad)
})

test('only the registry function gets the REGISTRY_* variables, and only with sources', async () => {
  const m = await mod('infra')
  const env = m.locals.discovery_env
  assert.equal(Object.keys(env).sort(), ['REGISTRY_MAX_BYTES', 'REGISTRY_REFRESH_AUDIENCE', 'REGISTRY_REFRESH_INVOKERS', 'REGISTRY_REFRESH_SEC', 'REGISTRY_SOURCES', 'REGISTRY_TIMEOUT_MS'])
  assert.match(env.REGISTRY_SOURCES, /local\.discovery \? join\(",", var\.discovery\.registry_sources\) : null/)
  assert.match(String(m.locals.env), /local\.discovery_env : ek => ev if ev != null && name == "registry"/)
  assert.match(m.locals.discovery, /length\(var\.discovery\.registry_sources\) > 0/)
})

test('the scheduler job calls POST /registry/refresh on the registry function with an OIDC token the function checks', async () => {
  const m = await mod('infra')
  const job = m.resource.google_cloud_scheduler_job.registry_refresh
  assert.is(job.count, '${local.discovery ? 1 : 0}')
  const target = job.http_target[0]
  assert.is(target.http_method, 'POST')
  assert.is(target.uri, '${local.registry_url}/api/v1/registry/refresh')
  const oidc = target.oidc_token[0]
  assert.is(oidc.audience, '${local.registry_url}')
  assert.is(oidc.service_account_email, '${google_service_account.registry_refresh[0].email}')
  // The function takes exactly that audience and that account.
  assert.is(m.locals.discovery_env.REGISTRY_REFRESH_AUDIENCE, '${local.discovery ? local.registry_url : null}')
  assert.is(m.locals.discovery_env.REGISTRY_REFRESH_INVOKERS, '${local.discovery ? google_service_account.registry_refresh[0].email : null}')
  assert.match(m.locals.registry_url, /^https:\/\/registry-\$\{data\.google_project\.this\.number\}\.\$\{var\.region\}\.run\.app$/)
  assert.is(m.resource.google_service_account.registry_refresh.count, '${local.discovery ? 1 : 0}')
  // The route is the registry function's (firebase.json routes it there too).
  assert.is(matchRewrite(loadRewrites(join(root, 'firebase.json')), '/api/v1/registry/refresh'), 'registry')
  // Cloud Scheduler's API is enabled with discovery.
  assert.match(String(m.locals.apis), /length\(var\.discovery\.registry_sources\) > 0 \? \["cloudscheduler\.googleapis\.com"\]/)
  assert.ok(job.depends_on.some((d: string) => /google_project_service\.apis/.test(d)))
})

test('the cached server.json and search texts are not indexed (nothing queries them)', async () => {
  const f = (await mod('infra')).resource.google_firestore_field.registry_unindexed
  assert.is(f.for_each, '${local.discovery ? toset(["d.server", "d.search"]) : toset([])}')
  assert.is(f.collection, '${local.collection_prefix}registry_entries')
  assert.equal(f.index_config, [{}])
})

test('the module names no registry: every registry source comes from the operator', async () => {
  const m = await mod('infra')
  // No registry's URL is written into the module: every literal host in it is Google's (APIs, token issuer, Cloud Run,
  // Hosting); the rest are built from variables.
  const hosts = [...m.text.matchAll(/https?:\/\/([A-Za-z0-9.-]+)/g)].map((h: RegExpMatchArray) => (h[1] ?? '').replace(/\.$/, ''))
  assert.ok(hosts.length > 0)
  assert.equal(hosts.filter((h: string) => !h.endsWith('-') && !/(^|\.)(googleapis\.com|google\.com|run\.app|web\.app)$/.test(h)), [])
})

test.run()
