# The module's variables, passed through. Null (unset) means the module's default; the module
# declares each object's attributes and checks them (infra/variables.tf).

variable "project_id" {
  type        = string
  description = "Project to deploy into."
}

variable "region" {
  type        = string
  default     = null
  description = "Region of the functions (firebase.json's rewrites name the same one); null: us-central1."
}

variable "app_origins" {
  type        = list(string)
  default     = null
  description = "Origins of the web app that calls the gateway."
}

variable "hosting" {
  type        = any
  description = "Firebase Hosting: { site_id = \"...\" } at least (the project's default site, or a new one), or { enabled = false }. Also manage_release, custom_domain, firebase_json."
}

variable "firestore" {
  type        = any
  default     = null
  description = "The (default) Firestore database: { create_database = false } when the project already has one; location_id, delete_protection, point_in_time_recovery."
}

variable "enable_apis" {
  type        = bool
  default     = null
  description = "Whether Terraform enables the APIs the gateway uses; null: true."
}

variable "public_access" {
  type        = string
  default     = null
  description = "iam (public_members hold roles/run.invoker; null means this) or no_iam_check (Cloud Run's invoker check off, where domain-restricted sharing refuses allUsers)."
}

variable "public_members" {
  type        = list(string)
  default     = null
  description = "Invokers of the public functions with public_access = iam; null: allUsers."
}

variable "public_base_url" {
  type        = string
  default     = null
  description = "The gateway's public origin; null: the custom domain, else https://SITE.web.app."
}

variable "auth" {
  type        = any
  default     = null
  description = "Who signs the callers' ID tokens: issuer, audience, jwks_url, org_claim, admin_claim, admin_value; null: Firebase Auth of the project."
}

variable "functions" {
  type        = any
  default     = null
  description = "Per-function sizing overrides by function name, e.g. { \"stdio-pool\" = { memory = \"8Gi\" } }."
}

variable "stdio" {
  type        = any
  default     = null
  description = "The stdio catalog and pool: catalog, data_dir, max_processes."
}

variable "egress_allowlist" {
  type        = list(string)
  default     = null
  description = "Private hosts, IPs or CIDRs that MCP servers may be reached at."
}

variable "limits" {
  type        = any
  default     = null
  description = "max_body_bytes, max_result_bytes, default_timeout_ms."
}

variable "quotas" {
  type        = any
  default     = null
  description = "configs_per_user, configs_per_org, vault_writes_per_minute (QUOTA_*); unset keeps the defaults (100, 1000, 30)."
}

variable "discovery" {
  type        = any
  default     = null
  description = "MCP discovery: registry_sources (base URLs of registries implementing the generic MCP Registry API; none: discovery off), refresh_schedule, refresh_sec, max_bytes, timeout_ms."
}

variable "rate_limit" {
  type        = any
  default     = null
  description = "Rate limits on tool calls (user, user_mcp, org, fail) and the optional Memorystore instance (redis)."
}

variable "storage" {
  type        = any
  default     = null
  description = "collection_prefix and secret_prefix; never change them on a live deployment."
}

variable "monitoring" {
  type        = any
  default     = null
  description = "enabled, notification_channels, error_rate_threshold, duration."
}

variable "secret_env" {
  type        = any
  default     = null
  description = "Secret environment variables: name => { secret_id, functions, version, create }."
}

variable "secret_replica_locations" {
  type        = list(string)
  default     = null
  description = "Replica locations of the secrets Terraform creates; null: automatic replication."
}

variable "build_service_account" {
  type        = string
  default     = null
  description = "Email of an existing build service account (with roles/run.builder); null: the module creates one."
}

variable "warm_instances" {
  type = object({
    execute = optional(number)
    listing = optional(number)
  })
  default     = null
  description = "Instances of execute and listing kept warm, e.g. { execute = 1 } (about US$13 a month each while idle); null: none, they scale to zero. When it pays: docs/performance.md."
}
