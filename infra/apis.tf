/**
 * The APIs the module uses. Enabled through google.apis, the provider
 * configuration without user_project_override: the project can only serve as
 * the quota project of a call once the called API is enabled in it. Every
 * resource of one of these APIs depends on this resource (test/infra-deploy.test.ts).
 */

locals {
  apis = concat([
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudresourcemanager.googleapis.com",
    "firebase.googleapis.com",
    "firebasehosting.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "serviceusage.googleapis.com",
    "storage.googleapis.com",
  ], var.auth.issuer == null ? ["identitytoolkit.googleapis.com"] : [], var.rate_limit.redis.enabled ? ["redis.googleapis.com"] : [], length(var.discovery.registry_sources) > 0 ? ["cloudscheduler.googleapis.com"] : [])
}

resource "google_project_service" "apis" {
  provider = google.apis
  for_each = var.enable_apis ? toset(local.apis) : toset([])

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# Newly enabled APIs create their service agents, and new IAM grants propagate, for a minute or
# two after the call returns. Function deployments check both (the build account's role, the
# runtime account's access to its secret environment variables), so they wait for this.
# A new grant or API waits again; an unchanged configuration does not.
resource "time_sleep" "propagation" {
  create_duration = "90s"

  triggers = {
    apis    = join(",", sort([for s in google_project_service.apis : s.id]))
    build   = join(",", sort([for m in google_project_iam_member.build : m.id]))
    secrets = join(",", sort([for m in google_secret_manager_secret_iam_member.secret_env : m.id]))
  }
}
