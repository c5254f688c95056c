terraform {
  # optional() attribute defaults need 1.3; terraform_data needs 1.4.
  required_version = ">= 1.5"

  required_providers {
    google = {
      # 7.21: Direct VPC egress on google_cloudfunctions2_function (rate_limit.redis).
      source  = "hashicorp/google"
      version = "~> 7.21"
      # google.apis: the caller's configuration without user_project_override, used only to
      # enable the project's APIs and read the project (apis.tf); the examples show both.
      configuration_aliases = [google.apis]
    }
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 7.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.7"
    }
    time = {
      source  = "hashicorp/time"
      version = "~> 0.12"
    }
  }
}
