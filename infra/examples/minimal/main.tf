/**
 * The smallest deployment: Firebase Auth of the project signs the callers'
 * tokens, Firebase Hosting at https://PROJECT.web.app fronts the functions,
 * and everything else keeps its default.
 */

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}

module "gateway" {
  source = "../.."

  project_id  = var.project_id
  region      = var.region
  app_origins = var.app_origins
}
