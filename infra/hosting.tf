/**
 * Firebase Hosting in front of the functions. firebase.json stays the one route
 * table: with manage_release, Terraform deploys its rewrites (each to the Cloud
 * Run service of the named 2nd gen function) and headers as a Hosting release;
 * without it, `firebase deploy --only hosting` does. The console's files in public/
 * are deployed only that way (docs/console.md).
 *
 * Hosting buffers streamed responses and ends requests after 60 s, so SSE from
 * execute is served at execute's own URL (output execute_stream_url).
 */

locals {
  firebase_json = jsondecode(file(coalesce(var.hosting.firebase_json, "${path.module}/../firebase.json")))
  rewrites      = try(local.firebase_json.hosting.rewrites, [])
  headers       = try(local.firebase_json.hosting.headers, [])
  manage        = var.hosting.enabled && var.hosting.manage_release
}

resource "google_firebase_project" "this" {
  provider = google-beta
  count    = var.hosting.enabled ? 1 : 0

  project = var.project_id

  depends_on = [google_project_service.apis]
}

# With the id of a site that exists (the project's default one), the provider adopts it, as it
# adopts a project that already has Firebase: neither needs an import.
resource "google_firebase_hosting_site" "this" {
  provider = google-beta
  count    = var.hosting.enabled ? 1 : 0

  project = var.project_id
  site_id = var.hosting.site_id

  depends_on = [google_firebase_project.this]
}

resource "google_firebase_hosting_version" "this" {
  provider = google-beta
  count    = local.manage ? 1 : 0

  site_id = google_firebase_hosting_site.this[0].site_id

  config {
    dynamic "rewrites" {
      for_each = local.rewrites
      content {
        regex = try(rewrites.value.regex, null)
        glob  = try(rewrites.value.source, null)
        run {
          service_id = module.functions[rewrites.value.function.functionId].name
          region     = rewrites.value.function.region
        }
      }
    }

    dynamic "headers" {
      for_each = local.headers
      content {
        glob    = try(headers.value.source, null)
        regex   = try(headers.value.regex, null)
        headers = { for h in headers.value.headers : h.key => h.value }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = alltrue([for r in local.rewrites : try(r.function.region, "") == var.region])
      error_message = "firebase.json: every rewrite must name a function in var.region (${var.region})."
    }
    precondition {
      condition     = alltrue([for r in local.rewrites : contains(keys(local.functions), try(r.function.functionId, ""))])
      error_message = "firebase.json: every rewrite must target a function this module deploys."
    }
  }
}

resource "google_firebase_hosting_release" "this" {
  provider = google-beta
  count    = local.manage ? 1 : 0

  site_id      = google_firebase_hosting_site.this[0].site_id
  version_name = google_firebase_hosting_version.this[0].name
  message      = "mcp-gateway source ${data.archive_file.source.output_md5}"
}

resource "google_firebase_hosting_custom_domain" "this" {
  provider = google-beta
  count    = var.hosting.enabled && var.hosting.custom_domain != null ? 1 : 0

  project       = var.project_id
  site_id       = google_firebase_hosting_site.this[0].site_id
  custom_domain = var.hosting.custom_domain
  # DNS records to add are in this resource's required_dns_updates (output hosting_dns_updates).
  wait_dns_verification = false
}
