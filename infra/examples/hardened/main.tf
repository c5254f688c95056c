/**
 * A production deployment: an external OIDC issuer, a custom domain, Firestore
 * protected against deletion with point-in-time recovery, alerts by email,
 * capped scaling, secrets in chosen regions, and a signing key passed as a
 * secret environment variable (never a plain one).
 */

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}

resource "google_monitoring_notification_channel" "oncall" {
  project      = var.project_id
  display_name = "MCP gateway on-call"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
}

module "gateway" {
  source = "../.."

  project_id       = var.project_id
  region           = var.region
  app_origins      = var.app_origins
  auth             = var.auth
  egress_allowlist = var.egress_allowlist

  hosting = {
    custom_domain = var.custom_domain
  }

  firestore = {
    location_id            = var.firestore_location
    delete_protection      = true
    point_in_time_recovery = true
  }

  limits = {
    max_body_bytes     = 262144
    max_result_bytes   = 4194304
    default_timeout_ms = 30000
  }

  # Warm instances where latency matters; caps everywhere to bound cost and upstream load.
  functions = {
    "registry"   = { min_instances = 1, max_instances = 10 }
    "listing"    = { min_instances = 1, max_instances = 20 }
    "execute"    = { min_instances = 1, max_instances = 40 }
    "stdio-pool" = { min_instances = 2, max_instances = 4 }
  }

  secret_env               = var.secret_env
  secret_replica_locations = var.secret_replica_locations

  monitoring = {
    notification_channels = [google_monitoring_notification_channel.oncall.id]
    error_rate_threshold  = 0.02
    duration              = "300s"
  }

  labels = { env = "prod", app = "mcp-gateway" }
}
