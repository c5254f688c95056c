# The module's variables, passed through. Null (unset) means the module's default; for firestore,
# limits, functions and monitoring, the attributes set here override this example's choices in
# main.tf. The module declares each object's attributes and checks them (infra/variables.tf).

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
  description = "Origins of the web app that calls the gateway."
}

variable "auth" {
  type        = any
  default     = null
  description = "The OIDC issuer of the callers' ID tokens: issuer, audience, jwks_url, org_claim, admin_claim, admin_value; null: Firebase Auth of the project."
}

variable "egress_allowlist" {
  type        = list(string)
  default     = null
  description = "Private hosts or CIDRs that MCP servers may live at."
}

variable "hosting" {
  type        = any
  description = "Firebase Hosting: site_id (the project's default site, or a new one) and custom_domain, e.g. mcp.example.com; also manage_release, firebase_json, or { enabled = false }."
}

variable "firestore" {
  type        = any
  default     = {}
  description = "Over this example's deletion protection and point-in-time recovery: { create_database = false } when the project already has a (default) database; location_id (default nam5)."
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
  description = "The gateway's public origin; null: https://CUSTOM_DOMAIN."
}

variable "functions" {
  type        = any
  default     = {}
  description = "Per-function sizing by function name, replacing this example's entry for that function, e.g. { \"stdio-pool\" = { memory = \"8Gi\", min_instances = 2, max_instances = 4 } }."
}

variable "stdio" {
  type        = any
  default     = null
  description = "The stdio catalog and pool: catalog, data_dir, max_processes."
}

variable "limits" {
  type        = any
  default     = {}
  description = "Over this example's limits: max_body_bytes, max_result_bytes, default_timeout_ms."
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
  default     = {}
  description = "Over this example's alerting (the on-call channel, 2 % for 300 s): enabled, notification_channels (replaces the on-call channel), error_rate_threshold, duration."
}

variable "alert_email" {
  type        = string
  description = "Where the error-rate alert is sent."
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
  default     = {}
  nullable    = false
  description = "Instances of execute and listing kept warm; unset: one each in this example (about US$13 a month each while idle). When it pays: docs/performance.md."
}
