/**
 * infra/ for saved stdio homes: a private bucket with uniform access, a
 * lifecycle rule and no soft-delete, reachable by the pool's service account
 * alone; the sealing key a secret only the pool reads, as a secret env var;
 * the pool's env wired; the pool may use Firestore (its leases).
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { leaves, mod, modules } from './fixtures/terraform.js'

const test = suite('infra homes')
const one = (r: any) => (Array.isArray(r) ? r[0] : r)

test('the homes bucket: uniform bucket-level access, public access prevented, not versioned, no soft delete, deleted after the retention', async () => {
  const m = await mod('infra')
  const b = m.resource.google_storage_bucket.homes
  assert.ok(b, 'google_storage_bucket.homes')
  assert.is(b.uniform_bucket_level_access, true)
  assert.is(b.public_access_prevention, 'enforced')
  assert.is(b.force_destroy, false)
  assert.is(one(b.versioning).enabled, false)
  assert.is(one(b.soft_delete_policy).retention_duration_seconds, 0)
  const rule = one(b.lifecycle_rule)
  assert.is(one(rule.condition).age, '${var.stdio.homes.retention_days}')
  assert.is(one(rule.action).type, 'Delete')
  assert.is(b.count, '${local.homes_enabled ? 1 : 0}')
})

test('only the pool\'s service account is granted on the bucket and the key, and no project-wide storage role exists', async () => {
  const m = await mod('infra')
  const pool = 'serviceAccount:${google_service_account.fn[local.pool_name].email}'
  const bi = m.resource.google_storage_bucket_iam_member
  assert.equal(Object.keys(bi), ['homes_pool'])
  assert.is(bi.homes_pool.member, pool)
  assert.is(bi.homes_pool.role, 'roles/storage.objectUser')
  assert.is(bi.homes_pool.bucket, '${google_storage_bucket.homes[0].name}')
  const si = m.resource.google_secret_manager_secret_iam_member.pool_home_key
  assert.is(si.member, pool)
  assert.is(si.role, 'roles/secretmanager.secretAccessor')
  for (const [dir, mm] of await modules())
    for (const [type, byName] of Object.entries<any>(mm.resource))
      if (/^google_project_iam_member$/.test(type))
        for (const [name, r] of Object.entries<any>(byName)) assert.not.match(String(r.role ?? ''), /^roles\/storage\./, `${dir}: ${name}`)
})

test('the pool gets POOL_HOMES, the bucket and its key (as a secret env var, never a plain one); no other function does', async () => {
  const m = await mod('infra')
  const env = m.locals.pool_server_env
  assert.is(env.POOL_HOMES, '${local.homes_enabled ? "gcs" : "off"}')
  assert.is(env.POOL_HOMES_BUCKET, '${local.homes_enabled ? local.homes_bucket_name : null}')
  assert.ok('POOL_HOME_SAVE_MS' in env && 'POOL_LEASE_TTL_MS' in env)
  for (const l of ['common_env', 'stdio_env', 'pool_client_env']) assert.not.ok(Object.keys(m.locals[l]).some((k) => k.startsWith('POOL_HOME')), l)
  assert.not.ok('POOL_HOME_KEY' in env, 'never plain')
  assert.match(m.locals.secret_env, /name == local\.pool_name && local\.homes_enabled \? \{ POOL_HOME_KEY = \{ secret = local\.homes_key_id/)
  const secret = m.resource.google_secret_manager_secret.pool_home_key
  assert.is(secret.secret_id, '${local.homes_key_id}')
  assert.not.ok([...leaves(secret)].some(([p]) => /secret_data/.test(p)), 'the value never enters Terraform state')
  assert.not.ok(m.resource.google_secret_manager_secret_version?.pool_home_key, 'no version from Terraform')
  assert.is(m.locals.access['stdio-pool'].firestore, 'roles/datastore.user')
})

test('TTL policies on the pool\'s heartbeats and deletion tombstones (both carry expires_at); none on leases (their generation must not reset)', async () => {
  const ttl = (await mod('infra')).locals.ttl_collections as string[]
  assert.ok(ttl.includes('stdio_instances'))
  assert.ok(ttl.includes('stdio_home_deletes'))
  assert.not.ok(ttl.includes('stdio_leases'))
})

test.run()
