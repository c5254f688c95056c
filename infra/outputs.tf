output "api_base_url" {
  description = "Base URL of the API, for the web app (through Firebase Hosting)."
  value       = "${local.public_base_url}/api/v1"
}

output "oauth_callback_url" {
  description = "Redirect URI to register with OAuth providers (GitHub, Google, ...)."
  value       = "${local.public_base_url}/api/v1/oauth/callback"
}

output "client_metadata_url" {
  description = "The gateway's OAuth Client ID Metadata Document URL (its client_id where providers support CIMD)."
  value       = "${local.public_base_url}/api/v1/oauth/client-metadata.json"
}

output "execute_stream_url" {
  description = "API base at the execute function's own URL: POST {this}/mcps/{id}/tools/{tool}/execute with Accept: text/event-stream streams live (Hosting would buffer). CORS allows app_origins."
  value       = "${module.functions["execute"].uri}/api/v1"
}

output "mcp_url" {
  description = "API base at the mcp function's own URL, for agents: {this}/mcp and {this}/mcps/{id}/mcp stream progress, elicitation and sampling live, and 2025 sessions reach the instance that holds them more often (Hosting would buffer streams and cut them at 60 s)."
  value       = "${module.functions["mcp"].uri}/api/v1"
}

output "function_uris" {
  description = "Each function's own URL."
  value       = { for k, m in module.functions : k => m.uri }
}

output "pool_url" {
  description = "The stdio pool's URL and token audience (POOL_URL, POOL_AUDIENCE); only the listing and execute service accounts may invoke it."
  value       = local.pool_url
}

output "service_accounts" {
  description = "Runtime service account of each function."
  value       = { for k, sa in google_service_account.fn : k => sa.email }
}

output "hosting_site" {
  description = "Firebase Hosting site id (null when hosting is disabled)."
  value       = var.hosting.enabled ? google_firebase_hosting_site.this[0].site_id : null
}

output "hosting_dns_updates" {
  description = "DNS records to create for the custom domain, if any."
  value       = var.hosting.enabled && var.hosting.custom_domain != null ? google_firebase_hosting_custom_domain.this[0].required_dns_updates : null
}

output "source_object" {
  description = "The deployed source archive, gs://bucket/source.zip#generation; earlier generations stay 90 days."
  value       = "gs://${google_storage_bucket.source.name}/${google_storage_bucket_object.source.name}#${google_storage_bucket_object.source.generation}"
}

output "project_id" {
  description = "The project, available once its APIs are enabled: resources a caller adds next to the module (e.g. a notification channel) take their project from here to be created after them."
  value       = var.project_id
  depends_on  = [google_project_service.apis]
}

output "console_config" {
  description = "The console's /config.json (npm run -s console-config writes it into public/): Firebase Auth's web API key when the gateway takes this project's Firebase ID tokens, and the streaming URL."
  value = {
    auth               = length(data.google_firebase_web_app_config.console) > 0 ? "firebase" : "external"
    api_key            = try(data.google_firebase_web_app_config.console[0].api_key, null)
    auth_domain        = try(data.google_firebase_web_app_config.console[0].auth_domain, null)
    project_id         = var.project_id
    execute_stream_url = "${module.functions["execute"].uri}/api/v1"
  }
}
