/**
 * A production deployment: an external OIDC issuer, a custom domain, Firestore
 * protected against deletion with point-in-time recovery, alerts by email,
 * capped scaling, secrets in chosen regions, and a signing key passed as a
 * secret environment variable (never a plain one). Every setting
 * docs/deploy.md names is a variable here too (variables.tf), passed to the
 * module, with this example's choices as the base that terraform.tfvars
 * overrides attribute by attribute.
 */

# Every call carries the project as its quota project (X-Goog-User-Project). With user credentials
# (gcloud auth application-default login), Firebase and Identity Toolkit refuse calls without one.
provider "google" {
  project               = var.project_id
  region                = var.region
  user_project_override = true
  billing_project       = var.project_id
}

provider "google-beta" {
  project               = var.project_id
  region                = var.region
  user_project_override = true
  billing_project       = var.project_id
}

# Without the override, for enabling the project's APIs: the project can serve as the quota project
# of a call only once the called API is enabled in it.
provider "google" {
  alias   = "apis"
  project = var.project_id
  region  = var.region
}

# The project comes from the module's output, which waits for the Monitoring API to be enabled.
resource "google_monitoring_notification_channel" "oncall" {
  project      = module.gateway.project_id
  display_name = "MCP gateway on-call"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
}

module "gateway" {
  source = "../.."

  # A providers map replaces inheritance: every provider the module uses is listed.
  providers = {
    google      = google
    google-beta = google-beta
    google.apis = google.apis
    archive     = archive
    time        = time
  }

  project_id       = var.project_id
  region           = var.region
  app_origins      = var.app_origins
  auth             = var.auth
  egress_allowlist = var.egress_allowlist
  hosting          = var.hosting
  enable_apis      = var.enable_apis
  public_access    = var.public_access
  public_members   = var.public_members
  public_base_url  = var.public_base_url
  stdio            = var.stdio
  storage          = var.storage
  rate_limit       = var.rate_limit
  discovery        = var.discovery

  firestore = merge({
    delete_protection      = true
    point_in_time_recovery = true
  }, var.firestore)

  limits = merge({
    max_body_bytes     = 262144
    max_result_bytes   = 4194304
    default_timeout_ms = 30000
  }, var.limits)
  quotas = var.quotas

  # Warm instances where latency matters (one execute and one listing: about US$13 a month each while
  # idle, docs/performance.md); caps everywhere to bound cost and upstream load.
  warm_instances = {
    execute = coalesce(var.warm_instances.execute, 1)
    listing = coalesce(var.warm_instances.listing, 1)
  }
  functions = merge({
    "registry"   = { min_instances = 1, max_instances = 10 }
    "listing"    = { max_instances = 20 }
    "execute"    = { max_instances = 40 }
    "stdio-pool" = { min_instances = 2, max_instances = 4 }
  }, var.functions)

  secret_env               = var.secret_env
  secret_replica_locations = var.secret_replica_locations
  build_service_account    = var.build_service_account

  monitoring = merge({
    notification_channels = [google_monitoring_notification_channel.oncall.id]
    error_rate_threshold  = 0.02
    duration              = "300s"
  }, var.monitoring)

  labels = { env = "prod", app = "mcp-gateway" }
}
