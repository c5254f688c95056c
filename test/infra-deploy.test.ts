/**
 * infra/ as a first apply and a second one meet it: the providers carry a quota
 * project, every resource waits for its API, builds wait for their grants, the
 * settings docs/deploy.md names reach the module, and nothing in the
 * configuration changes by itself between two applies.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from '@cdktf/hcl2json'
import { leaves, mod, modules, root, sourceDir, type Module } from './fixtures/terraform.js'

const test = suite('infra deploy')
const EXAMPLES = ['infra/examples/minimal', 'infra/examples/hardened']
const guide = readFileSync(join(root, 'docs/deploy.md'), 'utf8')

// ---- a dependency graph of one module: resources, data sources, module calls and locals ----------

type Graph = Map<string, Set<string>>

/** Every node a block refers to: references inside expressions and depends_on alike. */
function refs(m: Module, v: unknown): Set<string> {
  const s = JSON.stringify(v)
  const out = new Set<string>()
  for (const [, t, n] of s.matchAll(/(?<![\w.-])([a-z][a-z0-9_]*)\.([a-z_][a-z0-9_-]*)/g))
    if (m.resource[t!]?.[n!]) out.add(`${t}.${n}`)
  for (const [, t, n] of s.matchAll(/\bdata\.([a-z0-9_]+)\.([a-z0-9_-]+)/g)) out.add(`data.${t}.${n}`)
  for (const [, n] of s.matchAll(/\bmodule\.([a-z0-9_-]+)/g)) out.add(`module.${n}`)
  for (const [, n] of s.matchAll(/\blocal\.([a-z0-9_]+)/g)) out.add(`local.${n}`)
  return out
}

function graph(m: Module): Graph {
  const g: Graph = new Map()
  for (const [t, byName] of Object.entries(m.resource)) for (const [n, b] of Object.entries(byName)) g.set(`${t}.${n}`, refs(m, b))
  for (const [t, byName] of Object.entries(m.data)) for (const [n, b] of Object.entries(byName)) g.set(`data.${t}.${n}`, refs(m, b))
  for (const [n, b] of Object.entries(m.module)) g.set(`module.${n}`, refs(m, b))
  for (const [n, v] of Object.entries(m.locals)) g.set(`local.${n}`, refs(m, v))
  return g
}

/** Whether `to` must exist before `from` (one is reachable from the other). */
function reaches(g: Graph, from: string, to: string): boolean {
  const seen = new Set<string>()
  const stack = [...(g.get(from) ?? [])]
  while (stack.length) {
    const n = stack.pop()!
    if (n === to) return true
    if (seen.has(n)) continue
    seen.add(n)
    stack.push(...(g.get(n) ?? []))
  }
  return false
}

// The API each resource type is served by; a type that is missing here fails the test below, so
// a new kind of resource must say which API it needs.
const API: [RegExp, string | null][] = [
  [/^google_project_service$/, null],
  [/^google_service_account$/, 'iam'],
  [/^google_project_iam_custom_role$/, 'iam'],
  [/^google_project_iam_member$/, 'cloudresourcemanager'],
  [/^google_storage_/, 'storage'],
  [/^google_firestore_/, 'firestore'],
  [/^google_firebase_project$/, 'firebase'],
  [/^google_firebase_web_app/, 'firebase'],
  [/^google_firebase_hosting_/, 'firebasehosting'],
  [/^google_secret_manager_/, 'secretmanager'],
  [/^google_logging_/, 'logging'],
  [/^google_monitoring_/, 'monitoring'],
  [/^google_cloudfunctions2_/, 'cloudfunctions'],
  [/^google_cloud_run_v2_/, 'run'],
  [/^google_redis_/, 'redis'],
  [/^google_cloud_scheduler_/, 'cloudscheduler'],
  [/^(terraform_data|time_sleep)$/, null],
]
const apiOf = (type: string) => {
  const hit = API.find(([re]) => re.test(type))
  assert.ok(hit, `${type}: which API serves it? (add it to API in this test)`)
  return hit![1]
}

const ENABLE = 'google_project_service.apis'

// ---- 1. a quota project for Firebase ---------------------------------------------------------------

test('the providers send the project as quota project; APIs are enabled through an alias without it', async () => {
  const gw = await mod('infra')
  const req = Object.assign({}, ...gw.terraform.flatMap((b) => b.required_providers ?? []))
  assert.equal(req.google.configuration_aliases, ['${google.apis}'])
  assert.is(gw.resource.google_project_service.apis.provider, '${google.apis}')
  // Read at plan time, before the APIs are enabled.
  assert.is(gw.data.google_project.this.provider, '${google.apis}')
  for (const [t, byName] of Object.entries(gw.resource))
    for (const [n, b] of Object.entries<any>(byName)) if (t !== 'google_project_service') assert.is.not(b.provider, '${google.apis}', `${t}.${n}`)
  assert.ok(String(gw.locals.apis).includes('"serviceusage.googleapis.com"'), 'Service Usage is enabled too')

  for (const dir of EXAMPLES) {
    const m = await mod(dir)
    for (const name of ['google', 'google-beta']) {
      const def = (m.provider[name] ?? []).filter((b) => !b.alias)
      assert.is(def.length, 1, `${dir}: one default ${name} provider`)
      assert.is(def[0]!.user_project_override, true, `${dir}: ${name} user_project_override`)
      assert.is(def[0]!.billing_project, '${var.project_id}', `${dir}: ${name} billing_project`)
    }
    const apis = (m.provider.google ?? []).find((b) => b.alias === 'apis')
    assert.ok(apis, `${dir}: provider google.apis`)
    assert.not.ok(apis.user_project_override, `${dir}: google.apis must not override the quota project`)
    assert.is(apis.project, '${var.project_id}')
    // A providers map replaces inheritance, so it lists every provider the module requires.
    const passed = { google: '${google}', 'google-beta': '${google-beta}', 'google.apis': '${google.apis}', archive: '${archive}', time: '${time}' }
    assert.equal(m.module.gateway.providers, passed, dir)
    assert.equal(Object.keys(req).sort(), Object.keys(passed).filter((k) => !k.includes('.')).sort())
  }
  // The first step of the guide enables the two APIs every later call relies on.
  assert.match(guide, /gcloud services enable serviceusage\.googleapis\.com cloudresourcemanager\.googleapis\.com --project=/)
  assert.match(guide, /user_project_override/)
})

// ---- 2. no trigger on a value that changes during apply ---------------------------------------------

test('the gcloud step is replaced with its function (replace_triggered_by), never keyed on update_time', async () => {
  for (const [dir, m] of await modules()) for (const [path, v] of leaves(m)) if (typeof v === 'string') assert.not.match(v, /\bupdate_time\b/, `${dir}: ${path}`)
  const fn = await mod('infra/modules/http-function')
  const steps = Object.entries<any>(fn.resource.terraform_data ?? {})
  assert.ok(steps.length >= 2)
  for (const [name, d] of steps) {
    assert.ok(JSON.stringify(d.provisioner).includes('google_cloudfunctions2_function.this.name'), name)
    assert.ok(d.lifecycle?.[0]?.replace_triggered_by?.includes('${google_cloudfunctions2_function.this}'), `${name}: replace_triggered_by`)
    // Only values known at plan time may key the replacement.
    assert.not.match(JSON.stringify(d.triggers_replace ?? null), /google_cloudfunctions2_function/, name)
  }
})

// ---- 3. every setting the guide names is a variable of both examples, passed to the module ---------

/** name => attributes the guide names under it, from hcl blocks, `name = ...` spans, `name.attr` spans and -var flags. */
async function guideSettings(gw: Module): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>()
  const add = (name: string, attr?: string) => {
    const s = out.get(name) ?? new Set<string>()
    if (attr) s.add(attr)
    out.set(name, s)
  }
  const addParsed = (json: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(json)) {
      add(k)
      if (v && typeof v === 'object' && !Array.isArray(v)) for (const a of Object.keys(v)) add(k, a)
    }
  }
  for (const [, body] of guide.matchAll(/```(?:hcl|terraform)\n([\s\S]*?)```/g)) addParsed(await parse('guide.tfvars', body!))
  for (const [, span] of guide.matchAll(/`([a-z_][a-z0-9_]* = [^`]+)`/g)) addParsed(await parse('guide.tfvars', span!))
  for (const [, name, attr] of guide.matchAll(/`([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)(?: = [^`]+)?`/g)) if (gw.variable[name!]) add(name!, attr)
  for (const [, name] of guide.matchAll(/-var[= ]['"]?([a-z_][a-z0-9_]*)=/g)) add(name!)
  return out
}

test('every setting docs/deploy.md names is a variable of both examples and reaches the module', async () => {
  const gw = await mod('infra')
  const settings = await guideSettings(gw)
  for (const must of ['firestore', 'hosting', 'enable_apis', 'functions', 'stdio', 'public_access']) assert.ok(settings.has(must), `the guide names ${must}`)
  for (const [name, attrs] of settings) {
    assert.ok(gw.variable[name], `docs/deploy.md names ${name}, which the module does not declare`)
    const type = String(gw.variable[name].type)
    if (/^\$\{object\(/.test(type)) for (const a of attrs) assert.match(type, new RegExp(`\\b${a}\\s*=`), `docs/deploy.md names ${name}.${a}, which ${name} does not have`)
    for (const dir of EXAMPLES) {
      const m = await mod(dir)
      assert.ok(m.variable[name], `${dir}: docs/deploy.md names ${name}, which the example does not declare (terraform would ignore it)`)
      assert.match(JSON.stringify(m.module.gateway[name] ?? ''), new RegExp(`\\bvar\\.${name}\\b`), `${dir}: ${name} is not passed to the module`)
    }
  }
})

// ---- 4. every resource waits for its API ------------------------------------------------------------

test('every resource of an API the module enables is created after that API is enabled', async () => {
  const gw = await mod('infra')
  const g = graph(gw)
  const enabled = String(gw.locals.apis)
  let checked = 0
  const need = (node: string, type: string) => {
    const api = apiOf(type)
    if (!api) return
    assert.ok(enabled.includes(`"${api}.googleapis.com"`), `${node}: ${api} is not in local.apis`)
    assert.ok(reaches(g, node, ENABLE), `${node} does not wait for ${ENABLE} (${api})`)
    checked++
  }
  for (const [t, byName] of Object.entries(gw.resource)) for (const n of Object.keys(byName)) need(`${t}.${n}`, t)
  for (const [n, call] of Object.entries(gw.module)) {
    const callee = await mod(sourceDir(gw, call.source))
    for (const t of Object.keys(callee.resource)) need(`module.${n}`, t)
  }
  assert.ok(checked >= 25, `only ${checked} checked`)
  // Data sources are read at plan time, before any API is enabled: only through the alias, or
  // (e.g. the console's web app config) one that takes an argument from a resource that waits for
  // the APIs, which Terraform cannot read before that resource exists.
  for (const [t, byName] of Object.entries(gw.data))
    for (const [n, d] of Object.entries<any>(byName))
      if (t.startsWith('google_') && d.provider !== '${google.apis}') assert.ok(reaches(g, `data.${t}.${n}`, ENABLE), `data.${t}.${n}: neither google.apis nor after ${ENABLE}`)

  // What an example adds waits too: it takes the project from an output that waits for the APIs.
  for (const dir of EXAMPLES) {
    const m = await mod(dir)
    for (const [t, byName] of Object.entries(m.resource))
      for (const [n, b] of Object.entries(byName)) {
        if (!apiOf(t)) continue
        const outs = [...JSON.stringify(b).matchAll(/module\.gateway\.([a-z0-9_]+)/g)].map((x) => x[1])
        assert.ok(outs.some((o) => (gw.output[o!]?.depends_on ?? []).includes(`\${${ENABLE}}`)), `${dir}: ${t}.${n} does not wait for the module's APIs`)
      }
  }
})

// ---- 5. a public front that domain-restricted sharing allows ------------------------------------------

test('public access: allUsers by IAM, or Cloud Run\'s invoker check off (domain-restricted sharing); documented', async () => {
  const gw = await mod('infra')
  const fn = await mod('infra/modules/http-function')
  const v = gw.variable.public_access
  assert.is(v.type, '${string}')
  assert.is(v.default, 'iam')
  assert.match(v.validation[0].condition, /"iam", "no_iam_check"/)
  const call = gw.module.functions
  // With the check off, no IAM member is granted to the public functions (that is what the org policy refuses).
  assert.match(call.public_members, /var\.public_access == "no_iam_check" \? \[\] : var\.public_members/)
  assert.match(call.invoker_iam_check, /local\.access\[each\.key\]\.public/)
  assert.match(call.invoker_iam_check, /var\.public_access/)
  const step = fn.resource.terraform_data.invoker_iam_check
  assert.is(step.count, '${var.invoker_iam_check ? 0 : 1}')
  assert.match(step.provisioner['local-exec'][0].command, /gcloud run services update .* --no-invoker-iam-check/)
  // Only a public function may go without the check.
  assert.is(step.lifecycle[0].precondition[0].condition, '${var.public}')
  assert.match(guide, /domain-restricted sharing/i)
  assert.match(guide, /iam\.allowedPolicyMemberDomains/)
})

// ---- 6. builds wait for their build account's grant ----------------------------------------------------

test('the build account holds roles/run.builder, and builds start after the grant has propagated', async () => {
  const gw = await mod('infra')
  const g = graph(gw)
  const build = gw.resource.google_project_iam_member.build
  assert.match(build.for_each, /"roles\/run\.builder"/)
  assert.not.match(JSON.stringify(gw.resource), /cloudbuild\.builds\.builder/)
  const waits = Object.entries<any>(gw.resource.time_sleep ?? {})
  assert.is(waits.length, 1)
  const [name, wait] = waits[0]!
  assert.match(wait.create_duration, /^\d+s$/)
  assert.ok(reaches(g, `time_sleep.${name}`, 'google_project_iam_member.build'), 'the wait follows the build grant')
  assert.ok(reaches(g, `time_sleep.${name}`, 'google_secret_manager_secret_iam_member.secret_env'), 'the wait follows the secret grants')
  assert.ok(reaches(g, `time_sleep.${name}`, ENABLE), 'the wait follows the APIs (their service agents)')
  assert.ok(gw.module.functions.depends_on.includes(`\${time_sleep.${name}}`), 'the functions wait for it')
  // A new grant waits again; an unchanged one does not.
  assert.match(JSON.stringify(wait.triggers), /google_project_iam_member\.build/)
})

// ---- 7. a second apply changes nothing ----------------------------------------------------------------

test('dashboard: no tile position is 0 (the API drops zeros, which would show a change on every plan), and tiles do not overlap', async () => {
  const gw = await mod('infra')
  const layout: any[] = gw.locals.dashboard_layout
  const widgets = new Set([...Object.keys(gw.locals.log_charts), ...Object.keys(gw.locals.run_charts)])
  assert.is(layout.length, widgets.size)
  const cells = new Set<string>()
  for (const t of layout) {
    assert.ok(widgets.has(t.widget), t.widget)
    widgets.delete(t.widget)
    for (const k of ['xPos', 'yPos']) if (k in t) assert.ok(Number.isInteger(t[k]) && t[k] > 0, `${t.widget}.${k} = ${t[k]}: omit zero positions`)
    const x = t.xPos ?? 0
    const y = t.yPos ?? 0
    assert.ok(x + t.width <= gw.locals.dashboard_columns, `${t.widget} fits`)
    for (let i = x; i < x + t.width; i++)
      for (let j = y; j < y + t.height; j++) {
        assert.not.ok(cells.has(`${i},${j}`), `${t.widget} overlaps another tile`)
        cells.add(`${i},${j}`)
      }
  }
  assert.match(gw.locals.dashboard_tiles, /local\.dashboard_layout/)
  assert.match(gw.resource.google_monitoring_dashboard.this.dashboard_json, /local\.dashboard_tiles/)
})

test('source archive: an upgrade keeps the previous archive as history, which only the bucket lifecycle removes', async () => {
  const gw = await mod('infra')
  const fn = await mod('infra/modules/http-function')
  const bucket = gw.resource.google_storage_bucket.source
  const object = gw.resource.google_storage_bucket_object.source
  // One object name for every build: a new build is a new generation of it, and the previous
  // generation stays (noncurrent) instead of being deleted with a replaced object.
  assert.not.match(object.name, /\$\{/)
  assert.is(bucket.versioning[0].enabled, true)
  assert.ok(bucket.lifecycle_rule.length >= 1)
  for (const r of bucket.lifecycle_rule) {
    const c = r.condition[0]
    assert.ok(c.days_since_noncurrent_time > 0 || c.num_newer_versions > 0, 'the lifecycle only removes noncurrent generations')
    assert.not.ok('age' in c, 'an age condition would delete the live archive too')
  }
  // Each function builds from the generation Terraform uploaded.
  assert.is(gw.module.functions.source_archive.generation, '${google_storage_bucket_object.source.generation}')
  assert.is(fn.resource.google_cloudfunctions2_function.this.build_config[0].source[0].storage_source[0].generation, '${var.source_archive.generation}')
})

// ---- 8. the Hosting site ------------------------------------------------------------------------------

test('Hosting: site_id is given (the default site may carry a suffix), and firebase deploy names the project', async () => {
  const gw = await mod('infra')
  const v = gw.variable.hosting
  assert.ok(v.validation.some((x: any) => /site_id != null/.test(x.condition) && /enabled/.test(x.condition)), 'site_id is required with hosting')
  assert.not.match(JSON.stringify(gw.resource.google_firebase_hosting_site.this.site_id), /project_id/)
  for (const dir of EXAMPLES) {
    const m = await mod(dir)
    assert.not.ok('default' in m.variable.hosting, `${dir}: hosting (its site_id) is required`)
    const tfvars = await parse('terraform.tfvars', readFileSync(join(m.dir, 'terraform.tfvars.example'), 'utf8'))
    assert.ok(tfvars.hosting?.site_id, `${dir}: the tfvars example sets hosting.site_id`)
  }
  assert.match(guide, /firebase hosting:sites:list --project/)
  const deploys = guide.split('\n').filter((l) => /firebase deploy/.test(l))
  assert.ok(deploys.length >= 1)
  for (const l of deploys) assert.match(l, /--project[= ]/, l)
})

// ---- the guide ------------------------------------------------------------------------------------------

test('the guide is a numbered path for a fresh project and for one with Firestore and Firebase, ending on a clean plan', () => {
  const steps = [...guide.matchAll(/^### (\d+)\. /gm)].map((x) => Number(x[1]))
  assert.ok(steps.length >= 6, `${steps.length} numbered steps`)
  assert.equal(steps, steps.map((_, i) => i + 1))
  assert.match(guide, /already has Firestore/i)
  assert.match(guide, /create_database = false/)
  assert.match(guide, /No changes\. Your infrastructure matches the configuration\./)
})

test.run()
