output "api_base_url" {
  description = "Base URL of the API."
  value       = module.gateway.api_base_url
}

output "oauth_callback_url" {
  description = "Redirect URI to register with OAuth providers."
  value       = module.gateway.oauth_callback_url
}

output "client_metadata_url" {
  description = "The gateway's OAuth Client ID Metadata Document URL."
  value       = module.gateway.client_metadata_url
}

output "execute_stream_url" {
  description = "API base at execute's own URL, for SSE."
  value       = module.gateway.execute_stream_url
}
