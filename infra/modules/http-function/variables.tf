variable "project_id" {
  type        = string
  description = "Project that hosts the function."
}

variable "region" {
  type        = string
  description = "Region of the function (and of its Cloud Run service)."
}

variable "name" {
  type        = string
  description = "Function name: also its Cloud Run service name, its Functions Framework target and its firebase.json rewrite target."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,48}[a-z0-9]$", var.name))
    error_message = "name must be lowercase letters, digits and hyphens (a valid Cloud Run service name)."
  }
}

variable "entry_point" {
  type        = string
  default     = null
  description = "Functions Framework target; defaults to the function name (functions/index.ts registers each function under its name)."
}

variable "runtime" {
  type        = string
  default     = "nodejs22"
  description = "Cloud Functions runtime."

  validation {
    condition     = can(regex("^nodejs[0-9]+$", var.runtime))
    error_message = "runtime must be a nodejs runtime."
  }
}

variable "source_archive" {
  type = object({
    bucket     = string
    object     = string
    generation = optional(number)
  })
  description = "The zipped source (one archive for every function) in Cloud Storage; generation pins the object's version (null: the live one when the function is built)."
}

variable "service_account_email" {
  type        = string
  description = "Runtime identity of the function (one per function)."
}

variable "build_service_account" {
  type        = string
  default     = null
  description = "Build identity, as projects/PROJECT/serviceAccounts/EMAIL; null uses the project's default build service account."
}

variable "settings" {
  type = object({
    memory               = string
    cpu                  = string
    timeout_seconds      = number
    min_instances        = number
    max_instances        = number
    concurrency          = number
    cpu_always_allocated = optional(bool, false)
  })
  description = "Sizing and scaling. cpu_always_allocated switches the Cloud Run service to instance-based billing (CPU outside requests)."

  validation {
    condition     = var.settings.min_instances >= 0 && var.settings.max_instances >= max(1, var.settings.min_instances)
    error_message = "settings: need 0 <= min_instances <= max_instances and max_instances >= 1."
  }
  validation {
    condition     = var.settings.timeout_seconds >= 1 && var.settings.timeout_seconds <= 3600
    error_message = "settings.timeout_seconds must be in [1, 3600] (HTTP functions)."
  }
  validation {
    condition     = var.settings.concurrency == 1 || tonumber(var.settings.cpu) >= 1
    error_message = "settings: concurrency above 1 needs cpu >= 1."
  }
  validation {
    condition     = !var.settings.cpu_always_allocated || tonumber(var.settings.cpu) >= 1
    error_message = "settings: CPU always allocated needs cpu >= 1."
  }
}

variable "env" {
  type        = map(string)
  default     = {}
  description = "Plain environment variables. Never secrets: those go in secret_env."

  validation {
    condition = alltrue([
      for k in keys(var.env) : k == "SECRET_PREFIX" || !can(regex("(?i)(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|(^|_)KEY$)", k))
    ])
    error_message = "env: a name that looks like a secret must be passed in secret_env (Secret Manager), never as a plain variable."
  }
}

variable "secret_env" {
  type = map(object({
    secret  = string
    version = optional(string, "latest")
  }))
  default     = {}
  description = "Environment variables read from Secret Manager at instance start: name => {secret id, version}."
}

variable "public" {
  type        = bool
  default     = false
  description = "Whether public_members may invoke the function. The function still authenticates every caller itself."
}

variable "public_members" {
  type        = list(string)
  default     = ["allUsers"]
  description = "Invokers when public is true; allUsers is what Firebase Hosting rewrites and browsers need (or no member and invoker_iam_check = false)."
}

variable "invoker_iam_check" {
  type        = bool
  default     = true
  description = "Whether Cloud Run checks roles/run.invoker before the function sees a request. false (public functions only) turns the check off with gcloud after each deployment: public without any IAM member, where domain-restricted sharing refuses allUsers."
}

variable "invoker_members" {
  type        = map(string)
  default     = {}
  description = "Invokers when public is false: a static key => an IAM member (serviceAccount:...). Keys must be known at plan time."

  validation {
    condition     = alltrue([for m in values(var.invoker_members) : !contains(["allUsers", "allAuthenticatedUsers"], m)])
    error_message = "invoker_members are for private functions: no allUsers or allAuthenticatedUsers."
  }
}

variable "vpc" {
  type = object({
    network    = string
    subnetwork = optional(string)
    egress     = optional(string, "VPC_EGRESS_PRIVATE_RANGES_ONLY")
  })
  default     = null
  description = "Direct VPC egress: the network (a name or a full path) and subnetwork the instances take addresses from; null: none. egress VPC_EGRESS_PRIVATE_RANGES_ONLY sends only private destinations through the VPC."

  validation {
    condition     = var.vpc == null || contains(["VPC_EGRESS_PRIVATE_RANGES_ONLY", "VPC_EGRESS_ALL_TRAFFIC"], try(var.vpc.egress, ""))
    error_message = "vpc.egress is VPC_EGRESS_PRIVATE_RANGES_ONLY or VPC_EGRESS_ALL_TRAFFIC."
  }
}

variable "ingress_settings" {
  type        = string
  default     = "ALLOW_ALL"
  description = "ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB. Firebase Hosting rewrites need ALLOW_ALL."
}

variable "labels" {
  type        = map(string)
  default     = {}
  description = "Labels on the function."
}
