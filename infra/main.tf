/**
 * The MCP gateway on Google Cloud: every function the code registers
 * (functions/names.ts) as a Cloud Functions 2nd gen deployment of one source
 * archive, with one service account each. IAM, Firestore, secrets, Hosting and
 * monitoring are in the files named after them.
 */

# Read at plan time, before the APIs are enabled: through the configuration without a quota project.
data "google_project" "this" {
  provider   = google.apis
  project_id = var.project_id
}

locals {
  runtime   = "nodejs22"
  pool_name = "stdio-pool"

  # One entry per function the code registers, under the same name (test/infra.test.ts checks
  # that this set, functions/names.ts and firebase.json's rewrites agree). var.functions overrides.
  # Concurrency above 1 needs a whole CPU. Hosting rewrites time out after 60 s whatever the
  # function's timeout, so long tool calls stream from execute's own URL. The registry checks a
  # config's timeout_ms against its own FUNCTION_TIMEOUT_SEC, so its timeout is execute's.
  # execute and listing scale to zero unless var.warm_instances keeps some warm (see its description).
  function_defaults = {
    "health"         = { memory = "256Mi", cpu = "1", timeout_seconds = 10, min_instances = 0, max_instances = 5, concurrency = 80, cpu_always_allocated = false }
    "registry"       = { memory = "512Mi", cpu = "1", timeout_seconds = 900, min_instances = 0, max_instances = 20, concurrency = 80, cpu_always_allocated = false }
    "listing"        = { memory = "1Gi", cpu = "1", timeout_seconds = 120, min_instances = var.warm_instances.listing, max_instances = 50, concurrency = 40, cpu_always_allocated = false }
    # CPU outside requests: an interactive execution goes on after its response (a 2025 server's call
    # held open while the user answers, an async call after its 202); throttled CPU would stall it.
    "execute"        = { memory = "1Gi", cpu = "1", timeout_seconds = 900, min_instances = var.warm_instances.execute, max_instances = 100, concurrency = 40, cpu_always_allocated = true }
    "oauth-start"    = { memory = "512Mi", cpu = "1", timeout_seconds = 60, min_instances = 0, max_instances = 10, concurrency = 80, cpu_always_allocated = false }
    "oauth-callback" = { memory = "512Mi", cpu = "1", timeout_seconds = 60, min_instances = 0, max_instances = 10, concurrency = 80, cpu_always_allocated = false }
    # The MCP endpoints for agents: tool calls as long as execute's, 2025 sessions kept in memory.
    "mcp" = { memory = "1Gi", cpu = "1", timeout_seconds = 900, min_instances = 0, max_instances = 100, concurrency = 40, cpu_always_allocated = false }
    # Keeps stdio processes warm between requests: at least one instance, CPU outside requests.
    "stdio-pool" = { memory = "4Gi", cpu = "2", timeout_seconds = 900, min_instances = 1, max_instances = 3, concurrency = 80, cpu_always_allocated = true }
  }

  functions = {
    for name, d in local.function_defaults : name => merge(d, {
      for k, v in try(var.functions[name], {}) : k => v if v != null
    })
  }

  # What each function may touch. firestore: a predefined role or "none"; vault: "full"
  # (create, read, write, delete secrets under the prefix), "list" (health's ping) or "none".
  # stdio: reads the stdio catalog; calls_pool: calls (and so may invoke) the stdio pool.
  access = {
    "health"         = { public = true, firestore = "roles/datastore.viewer", vault = "list", stdio = false, calls_pool = false }
    "registry"       = { public = true, firestore = "roles/datastore.user", vault = "full", stdio = true, calls_pool = false }
    "listing"        = { public = true, firestore = "roles/datastore.user", vault = "full", stdio = true, calls_pool = true }
    "execute"        = { public = true, firestore = "roles/datastore.user", vault = "full", stdio = true, calls_pool = true }
    "oauth-start"    = { public = true, firestore = "roles/datastore.user", vault = "full", stdio = false, calls_pool = false }
    "oauth-callback" = { public = true, firestore = "roles/datastore.user", vault = "full", stdio = false, calls_pool = false }
    "mcp"            = { public = true, firestore = "roles/datastore.user", vault = "full", stdio = true, calls_pool = true }
    "stdio-pool"     = { public = false, firestore = "roles/datastore.user", vault = "none", stdio = true, calls_pool = false }
  }

  source_dir        = coalesce(var.source_dir, "${path.module}/../dist/deploy/source")
  collection_prefix = var.storage.collection_prefix
  secret_prefix     = var.storage.secret_prefix
  # hosting.site_id is required with Hosting (variables.tf): a project's default site is not
  # always named after the project. Without Hosting, public_base_url should be set.
  public_base_url = trimsuffix(coalesce(var.public_base_url, var.hosting.custom_domain == null ? "https://${coalesce(var.hosting.site_id, var.project_id)}.web.app" : "https://${var.hosting.custom_domain}"), "/")

  # Cloud Run's deterministic URL: known before the pool exists, so callers and the pool agree
  # on it (and on the token audience) without a dependency cycle.
  pool_url = "https://${local.pool_name}-${data.google_project.this.number}.${var.region}.run.app"

  # The source root is /workspace in Cloud Functions.
  stdio_catalog = var.stdio.catalog == null ? null : "/workspace/${trimprefix(var.stdio.catalog, "/")}"

  common_env = {
    GATEWAY_MODE         = "production"
    GOOGLE_CLOUD_PROJECT = var.project_id
    # Cloud Functions sets it anyway; stating it avoids a perpetual diff.
    LOG_EXECUTION_ID   = "true"
    AUTH_ISSUER        = var.auth.issuer
    AUTH_AUDIENCE      = var.auth.audience
    AUTH_JWKS_URL      = var.auth.jwks_url
    AUTH_ORG_CLAIM     = var.auth.org_claim
    AUTH_ADMIN_CLAIM   = var.auth.admin_claim
    AUTH_ADMIN_VALUE   = var.auth.admin_value
    # The console (public/) is served from the public origin: its OAuth popups report back there.
    APP_ORIGINS        = join(",", distinct(concat(var.app_origins, [local.public_base_url])))
    PUBLIC_BASE_URL    = local.public_base_url
    EGRESS_ALLOWLIST   = join(",", var.egress_allowlist)
    MAX_BODY_BYTES     = var.limits.max_body_bytes == null ? null : tostring(var.limits.max_body_bytes)
    MAX_RESULT_BYTES   = var.limits.max_result_bytes == null ? null : tostring(var.limits.max_result_bytes)
    DEFAULT_TIMEOUT_MS = var.limits.default_timeout_ms == null ? null : tostring(var.limits.default_timeout_ms)
    EXECUTION_INPUT_TIMEOUT_MS = var.limits.input_timeout_ms == null ? null : tostring(var.limits.input_timeout_ms)
    EXECUTION_HEARTBEAT_MS     = var.limits.heartbeat_ms == null ? null : tostring(var.limits.heartbeat_ms)
    EXECUTION_YOUNG_WAITS_PER_USER = var.limits.young_waits_per_user == null ? null : tostring(var.limits.young_waits_per_user)
    # Sockets per upstream origin for requests (long-lived streams have their own), and 2025 agent sessions per user and endpoint.
    EGRESS_CONNECTIONS_PER_ORIGIN = var.limits.egress_connections_per_origin == null ? null : tostring(var.limits.egress_connections_per_origin)
    AGENT_SESSIONS_PER_USER       = var.limits.agent_sessions_per_user == null ? null : tostring(var.limits.agent_sessions_per_user)
    # Counted in Firestore, so they hold across instances; every function that writes configs or secrets reads them.
    QUOTA_CONFIGS_PER_USER        = var.quotas.configs_per_user == null ? null : tostring(var.quotas.configs_per_user)
    QUOTA_CONFIGS_PER_ORG         = var.quotas.configs_per_org == null ? null : tostring(var.quotas.configs_per_org)
    QUOTA_VAULT_WRITES_PER_MINUTE = var.quotas.vault_writes_per_minute == null ? null : tostring(var.quotas.vault_writes_per_minute)
    COLLECTION_PREFIX  = local.collection_prefix
    SECRET_PREFIX      = local.secret_prefix
  }

  stdio_env = {
    STDIO_CATALOG = local.stdio_catalog
    # Registration refuses path values inside the pool's homes: it must know where they are.
    POOL_DATA_DIR = var.stdio.data_dir
  }

  pool_client_env = {
    POOL_URL      = local.pool_url
    POOL_AUDIENCE = local.pool_url
  }

  pool_server_env = {
    POOL_URL           = local.pool_url
    POOL_AUDIENCE      = local.pool_url
    POOL_INVOKERS      = join(",", [for k, a in local.access : google_service_account.fn[k].email if a.calls_pool])
    POOL_DATA_DIR      = var.stdio.data_dir
    POOL_MAX_PROCESSES = tostring(var.stdio.max_processes)
    # Persistent homes (homes.tf): leases in Firestore, homes in the bucket, sealed with POOL_HOME_KEY.
    POOL_HOMES        = local.homes_enabled ? "gcs" : "off"
    POOL_HOMES_BUCKET = local.homes_enabled ? local.homes_bucket_name : null
    POOL_HOME_SAVE_MS = var.stdio.homes.save_ms == null ? null : tostring(var.stdio.homes.save_ms)
    POOL_LEASE_TTL_MS = var.stdio.homes.lease_ttl_ms == null ? null : tostring(var.stdio.homes.lease_ttl_ms)
    # How soon a holder sees another instance's hand-over request (one Firestore query per poll per instance).
    POOL_HANDOVER_POLL_MS = var.stdio.homes.handover_poll_ms == null ? null : tostring(var.stdio.homes.handover_poll_ms)
  }

  env = {
    for name, f in local.functions : name => {
      for k, v in merge(
        local.common_env,
        var.env,
        { FUNCTION_TIMEOUT_SEC = tostring(f.timeout_seconds) },
        { for ek, ev in local.stdio_env : ek => ev if local.access[name].stdio },
        { for ek, ev in local.pool_client_env : ek => ev if local.access[name].calls_pool },
        { for ek, ev in local.pool_server_env : ek => ev if name == local.pool_name },
        { for ek, ev in local.rate_limit_env : ek => ev if ev != null && contains(local.rate_limit_readers, name) },
        { for ek, ev in local.redis_env : ek => ev if ev != null && contains(local.rate_limit_takers, name) },
        { for ek, ev in local.discovery_env : ek => ev if ev != null && name == "registry" },
      ) : k => v if v != null && v != ""
    }
  }

  secret_env = {
    for name in keys(local.functions) : name => merge(
      { for k, s in var.secret_env : k => { secret = s.secret_id, version = s.version } if contains(s.functions, name) },
      name == local.pool_name && local.homes_enabled ? { POOL_HOME_KEY = { secret = local.homes_key_id, version = "latest" } } : {},
    )
  }
}

# ---- one source archive for every function ----------------------------------------------------

resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${var.project_id}-${var.name_prefix}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels

  # Every build is a new generation of one object (source.zip). The live one is what the functions
  # build from; the ones it replaced stay as history for 90 days. A lifecycle condition on age
  # would also delete the live archive, which the next plan would then show as missing.
  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 90
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# The archive provider zeroes entry times; a fixed mode too makes the same build the same archive
# (and so no new deployment) whoever stages it.
data "archive_file" "source" {
  type             = "zip"
  source_dir       = local.source_dir
  output_path      = "${local.source_dir}.zip"
  output_file_mode = "0644"
  # A compile cache made locally (e.g. by the bench) would miss in the deploy build, which fills its own (gcp-build).
  excludes = [".compile-cache/**"]
}

resource "google_storage_bucket_object" "source" {
  bucket = google_storage_bucket.source.name
  # One name: a changed archive (by MD5) is uploaded as a new generation, in place, and the previous
  # generation stays in the versioned bucket. The functions build from the generation pinned below,
  # so a new generation is a new deployment.
  name   = "source.zip"
  source = data.archive_file.source.output_path
}

# ---- the functions ------------------------------------------------------------------------------

module "functions" {
  source   = "./modules/http-function"
  for_each = local.functions

  project_id            = var.project_id
  region                = var.region
  name                  = each.key
  runtime               = local.runtime
  source_archive        = { bucket = google_storage_bucket.source.name, object = google_storage_bucket_object.source.name, generation = google_storage_bucket_object.source.generation }
  service_account_email = google_service_account.fn[each.key].email
  build_service_account = "projects/${var.project_id}/serviceAccounts/${local.build_sa_email}"
  settings              = each.value
  env                   = local.env[each.key]
  secret_env            = local.secret_env[each.key]
  vpc                   = local.vpc[each.key]
  public                = local.access[each.key].public
  # no_iam_check: the public functions are public by Cloud Run's setting, with no IAM member at all
  # (an allUsers member is what domain-restricted sharing refuses).
  public_members    = var.public_access == "no_iam_check" ? [] : var.public_members
  invoker_iam_check = !(local.access[each.key].public && var.public_access == "no_iam_check")
  invoker_members   = { for k, m in local.pool_invokers : k => m if !local.access[each.key].public }
  labels            = merge(var.labels, { "mcp-gateway" = each.key })

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.build,
    google_project_iam_member.firestore,
    google_project_iam_member.vault,
    google_secret_manager_secret_iam_member.secret_env,
    google_secret_manager_secret_iam_member.pool_home_key,
    google_storage_bucket_iam_member.homes_pool,
    google_firestore_database.this,
    time_sleep.propagation,
  ]
}
