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
  default     = []
  description = "Origins of the web app that calls the gateway."
}
