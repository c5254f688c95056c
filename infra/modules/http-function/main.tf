/**
 * One HTTP function on Cloud Functions (2nd gen), i.e. a Cloud Run function:
 * the deployment, its invoker IAM on the Cloud Run service, and, when asked,
 * CPU always allocated (instance-based billing).
 */

resource "google_cloudfunctions2_function" "this" {
  project     = var.project_id
  location    = var.region
  name        = var.name
  description = "MCP gateway: ${var.name}"
  labels      = var.labels

  build_config {
    runtime         = var.runtime
    entry_point     = coalesce(var.entry_point, var.name)
    service_account = var.build_service_account

    source {
      storage_source {
        bucket     = var.source_archive.bucket
        object     = var.source_archive.object
        generation = var.source_archive.generation
      }
    }
  }

  service_config {
    available_memory                 = var.settings.memory
    available_cpu                    = var.settings.cpu
    timeout_seconds                  = var.settings.timeout_seconds
    min_instance_count               = var.settings.min_instances
    max_instance_count               = var.settings.max_instances
    max_instance_request_concurrency = var.settings.concurrency
    service_account_email            = var.service_account_email
    ingress_settings                 = var.ingress_settings
    all_traffic_on_latest_revision   = true
    environment_variables            = var.env

    # Direct VPC egress (Cloud Functions API, google provider >= 7.21); null keeps the API's default.
    direct_vpc_egress = var.vpc == null ? null : var.vpc.egress
    dynamic "direct_vpc_network_interface" {
      for_each = var.vpc == null ? [] : [var.vpc]
      content {
        network    = direct_vpc_network_interface.value.network
        subnetwork = direct_vpc_network_interface.value.subnetwork
      }
    }

    dynamic "secret_environment_variables" {
      for_each = var.secret_env
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret
        version    = secret_environment_variables.value.version
      }
    }
  }
}

# Gen2 functions are invoked through their Cloud Run service, so invoker IAM is run.invoker there
# (roles/cloudfunctions.invoker does not let anyone call a 2nd gen function).
resource "google_cloud_run_v2_service_iam_member" "invoker" {
  # Two filtered maps rather than a conditional: the branches' types need not unify.
  for_each = merge(
    { for m in var.public_members : m => m if var.public },
    { for k, m in var.invoker_members : k => m if !var.public },
  )

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = each.value
}

# Settings the Cloud Functions API lacks, applied to the function's Cloud Run service with gcloud
# (which must be where Terraform runs). Each step runs again whenever the function is created,
# updated or replaced (replace_triggered_by): a deployment may reset the service's settings. A
# trigger on an attribute the deployment changes, such as update_time, would be known only after
# the update and stop the apply with "Provider produced inconsistent final plan".

# CPU allocated outside requests (instance-based billing).
resource "terraform_data" "cpu_always_allocated" {
  count = var.settings.cpu_always_allocated ? 1 : 0

  provisioner "local-exec" {
    command = "gcloud run services update ${google_cloudfunctions2_function.this.name} --project=${var.project_id} --region=${var.region} --no-cpu-throttling --quiet"
  }

  lifecycle {
    replace_triggered_by = [google_cloudfunctions2_function.this]
  }
}

# Public without an IAM member: Cloud Run's invoker IAM check off, which domain-restricted sharing
# allows where it refuses allUsers (https://cloud.google.com/run/docs/authenticating/public).
resource "terraform_data" "invoker_iam_check" {
  count = var.invoker_iam_check ? 0 : 1

  provisioner "local-exec" {
    command = "gcloud run services update ${google_cloudfunctions2_function.this.name} --project=${var.project_id} --region=${var.region} --no-invoker-iam-check --quiet"
  }

  lifecycle {
    replace_triggered_by = [google_cloudfunctions2_function.this]

    precondition {
      condition     = var.public
      error_message = "invoker_iam_check = false is for public functions only: a private function is protected by that check."
    }
  }

  # One update of the service at a time.
  depends_on = [terraform_data.cpu_always_allocated]
}
