output "name" {
  description = "Function name (also its Cloud Run service name)."
  value       = google_cloudfunctions2_function.this.name
}

output "uri" {
  description = "The function's own https URL (run.app): direct calls, e.g. SSE, which Firebase Hosting would buffer."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "url" {
  description = "The cloudfunctions.net URL of the function."
  value       = google_cloudfunctions2_function.this.url
}

output "service" {
  description = "Full name of the underlying Cloud Run service."
  value       = google_cloudfunctions2_function.this.service_config[0].service
}
