variable "project_id" {
  type        = string
  description = "Project to deploy into."
}

variable "region" {
  type        = string
  default     = "us-central1"
  description = "Region of the functions (firebase.json's rewrites name the same one)."
}

variable "app_origins" {
  type        = list(string)
  description = "Origins of the web app that calls the gateway."
}

variable "auth" {
  type = object({
    issuer      = optional(string)
    audience    = optional(string)
    jwks_url    = optional(string)
    org_claim   = optional(string)
    admin_claim = optional(string)
    admin_value = optional(string)
  })
  default     = {}
  description = "The OIDC issuer of the callers' ID tokens; empty means Firebase Auth of the project."
}

variable "egress_allowlist" {
  type        = list(string)
  default     = []
  description = "Private hosts or CIDRs that MCP servers may live at."
}

variable "custom_domain" {
  type        = string
  description = "Domain of the gateway on Firebase Hosting, e.g. mcp.example.com."
}

variable "firestore_location" {
  type        = string
  default     = "nam5"
  description = "Firestore location (multi-region nam5 or eur3, or a region)."
}

variable "alert_email" {
  type        = string
  description = "Where the error-rate alert is sent."
}

variable "secret_env" {
  type = map(object({
    secret_id = string
    version   = optional(string, "latest")
    functions = list(string)
    create    = optional(bool, false)
  }))
  default     = {}
  description = "Secret environment variables: name => Secret Manager secret and the functions that read it."
}

variable "secret_replica_locations" {
  type        = list(string)
  default     = []
  description = "Replica locations of the secrets Terraform creates; empty means automatic replication."
}
