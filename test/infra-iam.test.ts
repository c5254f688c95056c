/**
 * infra/ identities and secrets: one service account per function, least
 * privilege, no primitive roles, Secret Manager only under the gateway's prefix,
 * secrets only as secret environment variables, and a pool that only the
 * functions calling it may invoke.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { FUNCTIONS } from '../functions/names.js'
import { leaves, mod, modules } from './fixtures/terraform.js'
import { parseConfig } from '../shared/config.js'

const test = suite('infra iam')
const names = Object.keys(FUNCTIONS).sort()
const IAM = /_iam_(member|binding|policy)$/
const SECRETISH = /(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|(^|_)KEY$)/i

test('one service account per function, each function running as its own', async () => {
  const m = await mod('infra')
  const sa = m.resource.google_service_account.fn
  assert.is(sa.for_each, '${local.functions}')
  assert.is(sa.account_id, '${var.name_prefix}-${each.key}')
  assert.is(m.module.functions.service_account_email, '${google_service_account.fn[each.key].email}')
  // Service account ids: 6-30 characters with the longest prefix the variable allows.
  for (const n of names) assert.ok(`abcdefghijkl-${n}`.length <= 30, n)
})

test('no service account holds a primitive role (owner, editor, viewer)', async () => {
  let roles = 0
  for (const [dir, m] of await modules()) {
    for (const [path, v] of leaves(m)) if (typeof v === 'string') assert.not.match(v, /roles\/(owner|editor|viewer)\b/, `${dir}: ${path}`)
    assert.not.match(m.text, /roles\/(owner|editor|viewer)\b/, dir)
    for (const [type, byName] of Object.entries(m.resource)) if (IAM.test(type)) roles += Object.keys(byName).length
  }
  assert.ok(roles >= 5)
})

test('least privilege: Firestore for all (health reads only; the pool for its leases), the vault for what uses it', async () => {
  const a = (await mod('infra')).locals.access
  // Which functions touch the vault, from the code: registry (config secrets), listing and
  // execute (config secrets, token refresh), oauth-start and oauth-callback (tokens, clients).
  const vault = Object.fromEntries(names.map((n) => [n, a[n].vault]))
  assert.equal(vault, { execute: 'full', health: 'list', listing: 'full', mcp: 'full', 'oauth-callback': 'full', 'oauth-start': 'full', registry: 'full', 'stdio-pool': 'none' })
  const fs = Object.fromEntries(names.map((n) => [n, a[n].firestore]))
  assert.equal(fs, {
    execute: 'roles/datastore.user', health: 'roles/datastore.viewer', listing: 'roles/datastore.user', 'oauth-callback': 'roles/datastore.user',
    'oauth-start': 'roles/datastore.user', registry: 'roles/datastore.user', 'stdio-pool': 'roles/datastore.user', mcp: 'roles/datastore.user',
  })
  // That the code uses the store and the vault only within these grants is checked by running it (representative.test.ts).
})

test('Secret Manager: custom roles, bound only under the prefix condition; nobody gets project-wide secret access', async () => {
  const m = await mod('infra')
  for (const [dir, mm] of await modules())
    for (const [type, byName] of Object.entries(mm.resource))
      if (/^google_project_iam_/.test(type))
        for (const [name, r] of Object.entries<any>(byName)) assert.not.match(String(r.role ?? ''), /^roles\/secretmanager\./, `${dir}: ${type}.${name}`)
  assert.is(m.locals.secret_name_prefix, 'projects/${data.google_project.this.number}/secrets/${local.secret_prefix}')
  assert.is(m.locals.secret_condition, 'resource.name.startsWith("${local.secret_name_prefix}")')
  const vault = m.resource.google_project_iam_member.vault
  assert.is(vault.for_each, '${local.vault_grants}')
  assert.is(vault.condition[0].expression, '${each.value.condition}')
  // The role that reads, writes and deletes is bound with the prefix condition alone; the
  // create and list roles (authorized on the project) hold nothing else.
  const grants: string = m.locals.vault_grants
  assert.match(grants, /secret_vault\.name, condition = local\.secret_condition \}/)
  const roles = m.resource.google_project_iam_custom_role
  assert.equal(roles.secret_create.permissions, ['secretmanager.secrets.create'])
  assert.equal(roles.secret_list.permissions, ['secretmanager.secrets.list'])
  for (const p of roles.secret_vault.permissions) assert.match(p, /^secretmanager\.(secrets\.(get|delete)|versions\.(add|access|destroy|get|list))$/)
  assert.match(m.locals.secret_project_condition, /^\$\{local\.secret_condition\} \|\| resource\.type == "cloudresourcemanager\.googleapis\.com\/Project"$/)
  // The prefix can't be empty (that would match every secret), and the code's default is the same.
  assert.match(m.variable.storage.validation.map((v: any) => v.condition).join(' '), /\{1,55\}/)
  assert.match(m.variable.storage.type, /secret_prefix\s*=\s*optional\(string, "mcpgw-"\)/)
  assert.is(parseConfig({}).secretPrefix, 'mcpgw-')
  // Operator secrets: per secret, never at project level.
  assert.is(m.resource.google_secret_manager_secret_iam_member.secret_env.role, 'roles/secretmanager.secretAccessor')
})

test('secrets are only ever secret environment variables', async () => {
  const m = await mod('infra')
  const fn = await mod('infra/modules/http-function')
  const s = fn.resource.google_cloudfunctions2_function.this.service_config[0]
  assert.is(s.environment_variables, '${var.env}')
  const sev = s.dynamic.secret_environment_variables[0]
  assert.is(sev.for_each, '${var.secret_env}')
  assert.is(sev.content[0].secret, '${secret_environment_variables.value.secret}')
  // Plain env rejects secret-looking names, in the module and at the root.
  for (const v of [fn.variable.env, m.variable.env]) assert.match(v.validation[0].condition, /SECRET\|PASSWORD\|PASSWD\|TOKEN\|CREDENTIAL\|PRIVATE/)
  for (const l of ['common_env', 'stdio_env', 'pool_client_env', 'pool_server_env'])
    for (const k of Object.keys(m.locals[l])) assert.ok(k === 'SECRET_PREFIX' || !SECRETISH.test(k), `${l}.${k} looks like a secret`)
  assert.is(m.module.functions.secret_env, '${local.secret_env[each.key]}')
  // No secret value ever passes through Terraform (state holds everything it sees).
  for (const [dir, mm] of await modules()) {
    assert.not.ok(mm.resource.google_secret_manager_secret_version, `${dir}: a secret version in Terraform`)
    for (const [path] of leaves(mm)) assert.not.match(path, /(^|\.)(secret_data|payload)$/, `${dir}: ${path}`)
  }
  // Operator secrets live outside the vault's prefix, where the functions could delete them.
  const pre = m.resource.google_secret_manager_secret_iam_member.secret_env.lifecycle[0].precondition[0].condition
  assert.is(pre, '${!startswith(each.value.secret_id, local.secret_prefix)}')
})

test('every secret Terraform creates is replicated one way: automatically, or user-managed in var.secret_replica_locations', async () => {
  const m = await mod('infra')
  assert.equal(m.locals.secret_replication, {
    auto: '${length(var.secret_replica_locations) == 0 ? [1] : []}',
    user_managed: '${length(var.secret_replica_locations) == 0 ? [] : [var.secret_replica_locations]}',
  })
  const secrets = Object.entries<any>(m.resource.google_secret_manager_secret)
  assert.equal(secrets.map(([name]) => name).sort(), ['pool_home_key', 'secret_env'])
  for (const [name, s] of secrets) {
    const d = s.replication[0].dynamic
    assert.is(d.auto[0].for_each, '${local.secret_replication.auto}', name)
    assert.is(d.user_managed[0].for_each, '${local.secret_replication.user_managed}', name)
    const r = d.user_managed[0].content[0].dynamic.replicas[0]
    assert.equal([r.for_each, r.content[0].location], ['${user_managed.value}', '${replicas.value}'], name)
  }
})

test('the stdio pool is not publicly invokable: only the functions that call it', async () => {
  const m = await mod('infra')
  const fn = await mod('infra/modules/http-function')
  const access = m.locals.access
  assert.is(access['stdio-pool'].public, false)
  for (const n of names) if (n !== 'stdio-pool') assert.is(access[n].public, true, n)
  assert.equal(names.filter((n) => access[n].calls_pool), ['execute', 'listing', 'mcp'])
  assert.is(m.module.functions.public, '${local.access[each.key].public}')
  assert.is(m.module.functions.invoker_members, '${{ for k, m in local.pool_invokers : k => m if !local.access[each.key].public }}')
  assert.is(m.locals.pool_invokers, '${{ for k, a in local.access : k => "serviceAccount:${google_service_account.fn[k].email}" if a.calls_pool }}')
  assert.match(m.locals.pool_server_env.POOL_INVOKERS, /google_service_account\.fn\[k\]\.email if a\.calls_pool/)
  // The module grants public_members only when public, and invoker_members can't be public.
  const inv = fn.resource.google_cloud_run_v2_service_iam_member.invoker
  assert.match(inv.for_each, /^\$\{merge\(\s*\{ for m in var\.public_members : m => m if var\.public \},\s*\{ for k, m in var\.invoker_members : k => m if !var\.public \},?\s*\)\}$/)
  assert.is(inv.role, 'roles/run.invoker')
  assert.is(fn.variable.public.default, false)
  assert.match(fn.variable.invoker_members.validation[0].condition, /"allUsers", "allAuthenticatedUsers"/)
  // allUsers appears nowhere but as the public members' default.
  for (const [dir, mm] of await modules())
    for (const [path, v] of leaves(mm))
      if (typeof v === 'string' && /allUsers|allAuthenticatedUsers/.test(v) && !/\.(description|error_message)$/.test(path))
        assert.ok(/^variable\.public_members\.default/.test(path) || /invoker_members\.validation/.test(path), `${dir}: ${path}`)
  // The pool itself refuses anything but a service token (defence in depth): pool-http.test.ts and pool-auth.test.ts.
})

test.run()
