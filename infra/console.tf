/**
 * The console (public/, docs/console.md) signs users in with this project's
 * Firebase Auth when the gateway accepts its ID tokens (auth.issuer unset). Its
 * web API key is a Firebase web app's; output console_config is the console's
 * /config.json (`npm run -s console-config` writes it from `terraform output`).
 */
resource "google_firebase_web_app" "console" {
  provider = google-beta
  count    = var.hosting.enabled && var.auth.issuer == null ? 1 : 0

  project         = var.project_id
  display_name    = "${var.name_prefix} console"
  deletion_policy = "DELETE"

  depends_on = [google_firebase_project.this]
}

data "google_firebase_web_app_config" "console" {
  provider = google-beta
  count    = length(google_firebase_web_app.console)

  project    = var.project_id
  web_app_id = google_firebase_web_app.console[0].app_id
}
