/**
 * Discovery (shared/discovery): the MCP registries the registry function reads
 * (REGISTRY_SOURCES: base URLs of registries implementing the generic MCP
 * Registry API, the official one or a company's own; this module names none,
 * the operator sets discovery.registry_sources) and a Cloud Scheduler job that
 * refreshes the cache incrementally: it calls POST /api/v1/registry/refresh on
 * the registry function's own URL with a Google-signed OIDC token of its own
 * service account, which the function checks (audience and invoker). Without
 * sources nothing here is created and discovery is off.
 */

locals {
  discovery = length(var.discovery.registry_sources) > 0

  # Cloud Run's deterministic URL, as for the pool (main.tf): the token audience, known before deployment.
  registry_url = "https://registry-${data.google_project.this.number}.${var.region}.run.app"

  # Read by the registry function only; null entries are left out where they are merged (main.tf).
  discovery_env = {
    REGISTRY_SOURCES          = local.discovery ? join(",", var.discovery.registry_sources) : null
    REGISTRY_REFRESH_SEC      = var.discovery.refresh_sec == null ? null : tostring(var.discovery.refresh_sec)
    REGISTRY_MAX_BYTES        = var.discovery.max_bytes == null ? null : tostring(var.discovery.max_bytes)
    REGISTRY_TIMEOUT_MS       = var.discovery.timeout_ms == null ? null : tostring(var.discovery.timeout_ms)
    REGISTRY_REFRESH_AUDIENCE = local.discovery ? local.registry_url : null
    REGISTRY_REFRESH_INVOKERS = local.discovery ? google_service_account.registry_refresh[0].email : null
  }
}

# The scheduler's identity: it may only mint tokens that the refresh route accepts; it holds no role.
resource "google_service_account" "registry_refresh" {
  count        = local.discovery ? 1 : 0
  project      = var.project_id
  account_id   = "${var.name_prefix}-registry-refresh"
  display_name = "MCP gateway: scheduled registry refresh"

  depends_on = [google_project_service.apis]
}

resource "google_cloud_scheduler_job" "registry_refresh" {
  count            = local.discovery ? 1 : 0
  project          = var.project_id
  region           = var.region
  name             = "${var.name_prefix}-registry-refresh"
  description      = "Incremental refresh of the MCP registry cache (updated_since)"
  schedule         = var.discovery.refresh_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "320s"

  retry_config {
    retry_count = 1
  }

  http_target {
    http_method = "POST"
    uri         = "${local.registry_url}/api/v1/registry/refresh"

    oidc_token {
      service_account_email = google_service_account.registry_refresh[0].email
      audience              = local.registry_url
    }
  }

  depends_on = [google_project_service.apis, module.functions]
}

# registry_entries holds each server.json as one JSON text (up to 64 KiB) and a search text: nothing
# queries them, so they are not indexed (an index entry per write would only cost).
resource "google_firestore_field" "registry_unindexed" {
  for_each = local.discovery ? toset(["d.server", "d.search"]) : toset([])

  project    = var.project_id
  database   = "(default)"
  collection = "${local.collection_prefix}registry_entries"
  field      = each.key

  index_config {}

  depends_on = [google_project_service.apis, google_firestore_database.this]
}
