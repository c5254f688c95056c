/**
 * Secret Manager settings. The gateway's vault secrets (SECRET_PREFIX*) are
 * created by the functions at runtime, one per config or connection, with
 * automatic replication; Terraform only grants access to them (iam.tf).
 *
 * Operator secrets that a function reads as environment variables (secret_env)
 * live outside that prefix, are granted per secret to the functions that use
 * them, and reach the function only as secret environment variables. Their
 * values are added with gcloud, so they never enter Terraform state.
 */

locals {
  secret_env_grants = {
    for g in flatten([
      for k, s in var.secret_env : [for f in s.functions : { key = "${k}/${f}", secret_id = s.secret_id, fn = f }]
    ]) : g.key => g
  }
  # How every secret Terraform creates (secret_env's, the pool's home key in homes.tf) is replicated:
  # automatically, or user-managed in var.secret_replica_locations. Their replication blocks read this.
  secret_replication = {
    auto         = length(var.secret_replica_locations) == 0 ? [1] : []
    user_managed = length(var.secret_replica_locations) == 0 ? [] : [var.secret_replica_locations]
  }
}

resource "google_secret_manager_secret" "secret_env" {
  for_each = { for k, s in var.secret_env : k => s if s.create }

  project   = var.project_id
  secret_id = each.value.secret_id
  labels    = { managed_by = "terraform", "mcp-gateway-env" = lower(replace(each.key, "_", "-")) }

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

  depends_on = [google_project_service.apis]
}

# Per secret, per function: never a project-wide accessor role.
resource "google_secret_manager_secret_iam_member" "secret_env" {
  for_each = local.secret_env_grants

  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.fn[each.value.fn].email}"

  lifecycle {
    precondition {
      condition     = !startswith(each.value.secret_id, local.secret_prefix)
      error_message = "secret_env: ${each.value.secret_id} is under the vault's prefix (${local.secret_prefix}), where the functions may also delete it; use another name."
    }
  }

  depends_on = [google_secret_manager_secret.secret_env]
}
