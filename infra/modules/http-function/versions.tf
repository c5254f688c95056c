terraform {
  required_version = ">= 1.5"

  required_providers {
    google = {
      # 7.21: Direct VPC egress on google_cloudfunctions2_function (rate_limit.redis).
      source  = "hashicorp/google"
      version = "~> 7.21"
    }
  }
}
