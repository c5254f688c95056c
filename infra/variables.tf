# Where a variable has a default, null from the caller means that default (nullable = false), so an
# example can pass through a setting its operator left unset without repeating the default.

variable "project_id" {
  type        = string
  description = "Project to deploy into (Firestore, Secret Manager, the functions and the Hosting site live here)."
}

variable "region" {
  type        = string
  default     = "us-central1"
  nullable    = false
  description = "Region of every function. firebase.json's rewrites name the same region (a test checks it)."
}

variable "name_prefix" {
  type        = string
  default     = "mcpgw"
  nullable    = false
  description = "Prefix of service accounts, custom roles, the source bucket and log-based metrics."

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.name_prefix))
    error_message = "name_prefix: 2-12 lowercase letters or digits, starting with a letter (service account ids are limited to 30 characters)."
  }
}

variable "source_dir" {
  type        = string
  default     = null
  description = "The staged source (infra/scripts/stage-source.mjs output); null means dist/deploy/source in this repository."
}

variable "functions" {
  type = map(object({
    memory          = optional(string)
    cpu             = optional(string)
    timeout_seconds = optional(number)
    min_instances   = optional(number)
    max_instances   = optional(number)
    concurrency     = optional(number)
  }))
  default     = {}
  nullable    = false
  description = "Per-function overrides of the sizing in main.tf (local.function_defaults), by function name; unset attributes keep the defaults."

  validation {
    condition     = alltrue([for k in keys(var.functions) : contains(["health", "registry", "listing", "execute", "oauth-start", "oauth-callback", "stdio-pool", "mcp"], k)])
    error_message = "functions: keys must be function names (functions/names.ts)."
  }
  validation {
    condition     = coalesce(try(var.functions["stdio-pool"].min_instances, null), 1) >= 1
    error_message = "functions: the stdio pool keeps processes warm, so its min_instances must be at least 1."
  }
}

variable "warm_instances" {
  type = object({
    execute = optional(number, 0)
    listing = optional(number, 0)
  })
  default     = {}
  nullable    = false
  description = "Instances of execute and listing kept warm (Cloud Run minimum instances), so the first tool call or listing after an idle period skips the cold start: the process start and the function's first-call module loading (docs/performance.md, \"When a warm instance pays\"). Each idle warm instance of 1 vCPU and 1 GiB costs about US$13 a month at request-based billing's idle rates (about US$0.0000025 per vCPU-second and per GiB-second; check the current price list), and serves requests too, so it only costs that when it is idle. It pays when users call after pauses of more than Cloud Run's idle timeout (about 15 minutes) and a cold first call matters to them; at steady traffic instances stay warm anyway. 0 (the default) scales to zero. functions[name].min_instances, when set, wins."

  validation {
    condition     = alltrue([for n in [var.warm_instances.execute, var.warm_instances.listing] : n >= 0 && floor(n) == n])
    error_message = "warm_instances: whole numbers, 0 or more."
  }
}

variable "auth" {
  type = object({
    issuer      = optional(string)
    audience    = optional(string)
    jwks_url    = optional(string)
    org_claim   = optional(string)
    admin_claim = optional(string)
    admin_value = optional(string)
  })
  default     = {}
  nullable    = false
  description = "Who signs the callers' ID tokens (AUTH_*). Unset: Firebase Auth / Identity Platform of this project. Another OIDC issuer needs issuer, audience and jwks_url."

  validation {
    condition     = var.auth.issuer == null || startswith(coalesce(var.auth.issuer, "-"), "https://securetoken.google.com/") || (var.auth.jwks_url != null && var.auth.audience != null)
    error_message = "auth: an issuer other than Firebase Auth needs audience and jwks_url too."
  }
}

variable "app_origins" {
  type        = list(string)
  default     = []
  nullable    = false
  description = "Origins of the web app (APP_ORIGINS): CORS, OAuth return_to and the callback page's postMessage target."

  validation {
    condition     = alltrue([for o in var.app_origins : can(regex("^https?://[^/?#]+$", o))])
    error_message = "app_origins: origins only (scheme://host[:port]), no path or trailing slash."
  }
}

variable "public_base_url" {
  type        = string
  default     = null
  description = "The gateway's public origin (PUBLIC_BASE_URL). Null: the custom domain if set, else https://SITE.web.app."
}

variable "egress_allowlist" {
  type        = list(string)
  default     = []
  nullable    = false
  description = "Private hosts, IPs or CIDRs that MCP servers may be reached at (EGRESS_ALLOWLIST), each with an optional port (\"10.20.0.5:8443\"; none: every port). Public addresses need no entry."
}

variable "limits" {
  type = object({
    max_body_bytes     = optional(number)
    max_result_bytes   = optional(number)
    default_timeout_ms = optional(number)
    input_timeout_ms   = optional(number)
    heartbeat_ms       = optional(number)
    young_waits_per_user = optional(number)
    egress_connections_per_origin = optional(number)
    agent_sessions_per_user       = optional(number)
  })
  default     = {}
  nullable    = false
  description = "MAX_BODY_BYTES, MAX_RESULT_BYTES, DEFAULT_TIMEOUT_MS, EXECUTION_INPUT_TIMEOUT_MS, EXECUTION_HEARTBEAT_MS, EXECUTION_YOUNG_WAITS_PER_USER, EGRESS_CONNECTIONS_PER_ORIGIN and AGENT_SESSIONS_PER_USER; unset keeps the code's defaults (1 MiB, 10 MiB, 60 s, 10 min, 10 s, 8, 128, 32)."
}

variable "quotas" {
  type = object({
    configs_per_user        = optional(number)
    configs_per_org         = optional(number)
    vault_writes_per_minute = optional(number)
  })
  default     = {}
  nullable    = false
  description = "QUOTA_CONFIGS_PER_USER, QUOTA_CONFIGS_PER_ORG and QUOTA_VAULT_WRITES_PER_MINUTE; unset keeps the code's defaults (100, 1000, 30). Secret Manager's write quota is per project, shared by every tenant."
}

variable "discovery" {
  type = object({
    registry_sources = optional(list(string), [])
    refresh_schedule = optional(string, "*/30 * * * *")
    refresh_sec      = optional(number)
    max_bytes        = optional(number)
    timeout_ms       = optional(number)
  })
  default     = {}
  nullable    = false
  description = "MCP discovery: registry_sources are the base URLs (https, the part before /v0.1/servers) of the registries users search, e.g. the official MCP Registry's and a company's own; empty (the default) leaves discovery off. refresh_schedule is the Cloud Scheduler cron for the incremental refresh; refresh_sec (REGISTRY_REFRESH_SEC) how old a source may get before a request refreshes it first; max_bytes and timeout_ms (REGISTRY_MAX_BYTES, REGISTRY_TIMEOUT_MS) bound one registry answer (null: the code's defaults)."

  validation {
    condition     = alltrue([for s in var.discovery.registry_sources : can(regex("^https://[^/?#@\\s]+(/[^?#\\s]*)?$", s))])
    error_message = "discovery.registry_sources: https base URLs without credentials, query or fragment."
  }
  validation {
    condition     = var.discovery.refresh_sec == null || (floor(coalesce(var.discovery.refresh_sec, 0)) == coalesce(var.discovery.refresh_sec, 0) && coalesce(var.discovery.refresh_sec, 0) >= 0 && coalesce(var.discovery.refresh_sec, 0) <= 604800)
    error_message = "discovery.refresh_sec: whole seconds from 0 to 604800."
  }
}

variable "rate_limit" {
  type = object({
    user     = optional(string)
    user_mcp = optional(string)
    org      = optional(string)
    fail     = optional(string)
    redis = optional(object({
      enabled             = optional(bool, false)
      tier                = optional(string, "BASIC")
      memory_size_gb      = optional(number, 1)
      redis_version       = optional(string)
      network             = optional(string, "default")
      subnetwork          = optional(string)
      deletion_protection = optional(bool, false)
    }), {})
  })
  default     = {}
  nullable    = false
  description = "Rate limits on tool calls: RATE_LIMIT_USER, RATE_LIMIT_USER_MCP and RATE_LIMIT_ORG as <count>/<s|m|h>[,burst=<n>] (null: no limit), and RATE_LIMIT_FAIL (open, the default, or closed). redis.enabled creates a Memorystore for Redis instance (tier, memory_size_gb, redis_version) on the VPC network (a name, or a Shared VPC path) and gives execute Direct VPC egress to it through subnetwork (null: the subnetwork named like the network), so the limits hold across instances; without it each instance counts on its own."

  validation {
    condition     = alltrue([for v in [var.rate_limit.user, var.rate_limit.user_mcp, var.rate_limit.org] : v == null || can(regex("^[1-9][0-9]{0,5}/[smh](,burst=[1-9][0-9]{0,5})?$", v))])
    error_message = "rate_limit: user, user_mcp and org are <count>/<s|m|h> with an optional ,burst=<n> (e.g. 600/m,burst=50), counts up to 999999."
  }
  validation {
    condition     = var.rate_limit.fail == null || contains(["open", "closed"], coalesce(var.rate_limit.fail, "open"))
    error_message = "rate_limit.fail is \"open\" or \"closed\"."
  }
  validation {
    condition     = contains(["BASIC", "STANDARD_HA"], var.rate_limit.redis.tier) && var.rate_limit.redis.memory_size_gb >= 1
    error_message = "rate_limit.redis: tier is BASIC or STANDARD_HA, memory_size_gb at least 1."
  }
  validation {
    condition     = !var.rate_limit.redis.enabled || anytrue([for v in [var.rate_limit.user, var.rate_limit.user_mcp, var.rate_limit.org] : v != null])
    error_message = "rate_limit.redis.enabled without any of user, user_mcp or org would pay for an instance that counts nothing."
  }
}

variable "storage" {
  type = object({
    collection_prefix = optional(string, "mcpgw_")
    secret_prefix     = optional(string, "mcpgw-")
  })
  default     = {}
  nullable    = false
  description = "COLLECTION_PREFIX of the Firestore collections and SECRET_PREFIX of the Secret Manager secrets the gateway creates. The vault's IAM condition is on secret_prefix."

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,55}$", var.storage.secret_prefix))
    error_message = "storage.secret_prefix must be 1-55 of [a-zA-Z0-9_-]: an empty prefix would open every secret of the project to the vault's IAM condition."
  }
  validation {
    condition     = can(regex("^[a-zA-Z0-9_]{0,40}$", var.storage.collection_prefix))
    error_message = "storage.collection_prefix must be up to 40 of [a-zA-Z0-9_]."
  }
}

variable "stdio" {
  type = object({
    catalog       = optional(string, "catalog/example.json")
    data_dir      = optional(string)
    max_processes = optional(number, 12)
    homes = optional(object({
      enabled        = optional(bool, true)
      retention_days = optional(number, 90)
      save_ms        = optional(number)
      lease_ttl_ms   = optional(number)
      handover_poll_ms = optional(number)
    }), {})
  })
  default     = {}
  nullable    = false
  description = "The stdio catalog (STDIO_CATALOG, a path inside the staged source; null disables stdio servers), the pool's POOL_DATA_DIR and POOL_MAX_PROCESSES. homes: persistent homes in a Cloud Storage bucket (POOL_HOMES_BUCKET) sealed with the pool-home-key secret (POOL_HOME_KEY; add its value before deploying, docs/deploy.md), deleted after retention_days without a save; save_ms, lease_ttl_ms and handover_poll_ms set POOL_HOME_SAVE_MS, POOL_LEASE_TTL_MS and POOL_HANDOVER_POLL_MS."

  validation {
    condition     = var.stdio.homes.retention_days >= 1
    error_message = "stdio.homes.retention_days must be at least 1."
  }
}

variable "firestore" {
  type = object({
    create_database        = optional(bool, true)
    location_id            = optional(string, "nam5")
    delete_protection      = optional(bool, false)
    point_in_time_recovery = optional(bool, false)
  })
  default     = {}
  nullable    = false
  description = "The (default) Firestore database in native mode. Set create_database = false when it already exists (Terraform would fail with 409 trying to create it); location_id and the protections then apply only to a database Terraform creates."
}

variable "hosting" {
  type = object({
    enabled        = optional(bool, true)
    site_id        = optional(string)
    manage_release = optional(bool, true)
    firebase_json  = optional(string)
    custom_domain  = optional(string)
  })
  default     = {}
  nullable    = false
  description = "Firebase Hosting in front of the functions. site_id is required when enabled: the project's default site (firebase hosting:sites:list), which is the project id unless that name was taken, or a new site. manage_release deploys firebase.json's rewrites and headers from Terraform (false: run firebase deploy --only hosting --project PROJECT yourself)."

  validation {
    condition     = !var.hosting.enabled || var.hosting.site_id != null
    error_message = "hosting.site_id is required when hosting is enabled: the default site's id (firebase hosting:sites:list --project PROJECT; usually the project id, sometimes with a suffix such as -a1b2c), or a new globally unique one."
  }
}

variable "monitoring" {
  type = object({
    enabled               = optional(bool, true)
    notification_channels = optional(list(string), [])
    error_rate_threshold  = optional(number, 0.05)
    duration              = optional(string, "300s")
  })
  default     = {}
  nullable    = false
  description = "Log-based metrics, the 5xx error-rate alert (ratio of requests, over duration) and the dashboard."

  validation {
    condition     = var.monitoring.error_rate_threshold > 0 && var.monitoring.error_rate_threshold < 1
    error_message = "monitoring.error_rate_threshold is a ratio in (0, 1)."
  }
}

variable "secret_env" {
  type = map(object({
    secret_id = string
    version   = optional(string, "latest")
    functions = list(string)
    create    = optional(bool, false)
  }))
  default     = {}
  nullable    = false
  description = "Secret environment variables: name => a Secret Manager secret, the functions that get it, and whether Terraform creates the (empty) secret. Values are added with gcloud, never through Terraform."

  validation {
    condition = alltrue(flatten([
      for k, s in var.secret_env : [for f in s.functions : contains(["health", "registry", "listing", "execute", "oauth-start", "oauth-callback", "stdio-pool", "mcp"], f)]
    ]))
    error_message = "secret_env: functions must be function names (functions/names.ts)."
  }
}

variable "secret_replica_locations" {
  type        = list(string)
  default     = []
  nullable    = false
  description = "Replica locations of the secrets Terraform creates (secret_env with create = true); empty means automatic replication."
}

variable "env" {
  type        = map(string)
  default     = {}
  nullable    = false
  description = "Extra plain environment variables for every function. Secrets are rejected here: use secret_env."

  validation {
    condition = alltrue([
      for k in keys(var.env) : !can(regex("(?i)(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|(^|_)KEY$)", k))
    ])
    error_message = "env: a name that looks like a secret must go in secret_env."
  }
}

variable "public_access" {
  type        = string
  default     = "iam"
  nullable    = false
  description = "How Cloud Run admits callers of the public functions (all but the pool). iam: public_members hold roles/run.invoker (default allUsers). no_iam_check: Cloud Run's invoker IAM check is off (set with gcloud after each deployment), public with no IAM member; use it where the organisation enforces domain-restricted sharing (iam.allowedPolicyMemberDomains), which refuses allUsers. Every function verifies the caller's ID token either way."

  validation {
    condition     = contains(["iam", "no_iam_check"], var.public_access)
    error_message = "public_access is \"iam\" or \"no_iam_check\"."
  }
}

variable "public_members" {
  type        = list(string)
  default     = ["allUsers"]
  nullable    = false
  description = "Invokers of the public functions when public_access = \"iam\". Firebase Hosting rewrites and browsers need allUsers. An authenticated front instead (its service account, sending its token in X-Serverless-Authorization) takes Hosting's place: set hosting.enabled = false. Every function still verifies the caller's ID token."
}

variable "build_service_account" {
  type        = string
  default     = null
  description = "Email of the service account that builds the functions; null creates one with roles/run.builder. One you supply needs that role on the project."
}

variable "enable_apis" {
  type        = bool
  default     = true
  nullable    = false
  description = "Enable the required APIs (left enabled on destroy)."
}

variable "labels" {
  type        = map(string)
  default     = {}
  nullable    = false
  description = "Labels on the functions and the source bucket."
}
