/**
 * The smallest deployment: Firebase Auth of the project signs the callers'
 * tokens, Firebase Hosting fronts the functions at https://SITE.web.app, and
 * everything else keeps the module's defaults. Every setting docs/deploy.md
 * names is a variable here too (variables.tf), passed to the module: a value
 * in terraform.tfvars for a variable that is not declared would be ignored.
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

  project_id               = var.project_id
  region                   = var.region
  app_origins              = var.app_origins
  hosting                  = var.hosting
  firestore                = var.firestore
  enable_apis              = var.enable_apis
  public_access            = var.public_access
  public_members           = var.public_members
  public_base_url          = var.public_base_url
  auth                     = var.auth
  functions                = var.functions
  warm_instances           = var.warm_instances
  stdio                    = var.stdio
  egress_allowlist         = var.egress_allowlist
  limits                   = var.limits
  quotas                   = var.quotas
  storage                  = var.storage
  rate_limit               = var.rate_limit
  discovery                = var.discovery
  monitoring               = var.monitoring
  secret_env               = var.secret_env
  secret_replica_locations = var.secret_replica_locations
  build_service_account    = var.build_service_account
}
