/**
 * Saved stdio homes (issue 15): one Cloud Storage object per (owner, config),
 * sealed with AES-256-GCM under a key that only the pool can read. Only the
 * pool's service account may touch the bucket or the key; the registry asks
 * for a config's homes to be deleted through a Firestore tombstone instead.
 */

locals {
  homes_enabled     = var.stdio.catalog != null && var.stdio.homes.enabled
  homes_bucket_name = "${var.project_id}-${var.name_prefix}-stdio-homes"
  homes_key_id      = "pool-home-key-${var.name_prefix}"
}

resource "google_storage_bucket" "homes" {
  count = local.homes_enabled ? 1 : 0

  project                     = var.project_id
  name                        = local.homes_bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  # Users' files: never destroyed with the infrastructure by accident.
  force_destroy = false
  labels        = var.labels

  # Generations are the fencing tokens of the pool's saves; nothing reads an old one.
  versioning {
    enabled = false
  }

  # A deleted config's homes are deleted for good, not kept recoverable.
  soft_delete_policy {
    retention_duration_seconds = 0
  }

  # Every save writes a new generation, so age is "days since the home was last saved":
  # a home nobody used for this long goes.
  lifecycle_rule {
    condition {
      age = var.stdio.homes.retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# The pool alone: read, write, list and delete objects of this bucket, nothing else.
resource "google_storage_bucket_iam_member" "homes_pool" {
  count = local.homes_enabled ? 1 : 0

  bucket = google_storage_bucket.homes[0].name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.fn[local.pool_name].email}"
}

# The sealing key: its value is added with gcloud (docs/deploy.md), so it never enters Terraform state.
resource "google_secret_manager_secret" "pool_home_key" {
  count = local.homes_enabled ? 1 : 0

  project   = var.project_id
  secret_id = local.homes_key_id
  labels    = { managed_by = "terraform", "mcp-gateway-env" = "pool-home-key" }

  replication {
    dynamic "auto" {
      for_each = local.secret_replication.auto
      content {}
    }
    dynamic "user_managed" {
      for_each = local.secret_replication.user_managed
      content {
        dynamic "replicas" {
          for_each = user_managed.value
          content {
            location = replicas.value
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = !startswith(local.homes_key_id, local.secret_prefix)
      error_message = "The pool's home key would be under the vault's prefix (${local.secret_prefix}), where other functions may read it; change storage.secret_prefix."
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "pool_home_key" {
  count = local.homes_enabled ? 1 : 0

  project   = var.project_id
  secret_id = google_secret_manager_secret.pool_home_key[0].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.fn[local.pool_name].email}"
}
