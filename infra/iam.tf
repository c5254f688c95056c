/**
 * Identities and least privilege: one service account per function, Firestore
 * roles by need, Secret Manager only under the gateway's secret prefix (IAM
 * conditions on custom roles), no primitive roles, no project-wide secret access.
 *
 * Service accounts and custom roles wait for the IAM API (depends_on); every
 * IAM member refers to one of them, so it waits too.
 */

resource "google_service_account" "fn" {
  for_each = local.functions

  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.key}"
  display_name = "MCP gateway: ${each.key}"
  description  = "Runtime identity of the ${each.key} function."

  lifecycle {
    precondition {
      # shared/registry/rules.ts rejects a config timeout_ms above the registry's own timeout.
      condition     = each.key != "registry" || local.functions["registry"].timeout_seconds >= local.functions["execute"].timeout_seconds
      error_message = "functions: the registry's timeout_seconds must be at least execute's, or configs can't ask for execute's full timeout."
    }
  }

  depends_on = [google_project_service.apis]
}

locals {
  secret_name_prefix = "projects/${data.google_project.this.number}/secrets/${local.secret_prefix}"
  # The gateway creates one secret per config or connection at runtime, always under the prefix.
  secret_condition = "resource.name.startsWith(\"${local.secret_name_prefix}\")"
  # secrets.create and secrets.list are authorized on the parent project, not on a secret, so
  # those two permissions (and only those) are also granted where the resource is the project.
  # Neither reads, changes or deletes a secret that is not the gateway's.
  secret_project_condition = "${local.secret_condition} || resource.type == \"cloudresourcemanager.googleapis.com/Project\""

  # Functions that call the pool may invoke it; static keys (function names), so for_each works at plan.
  pool_invokers = { for k, a in local.access : k => "serviceAccount:${google_service_account.fn[k].email}" if a.calls_pool }

  firestore_grants = { for k, a in local.access : k => a.firestore if a.firestore != "none" }

  vault_grants = merge(
    { for k, a in local.access : "${k}/vault" => { fn = k, role = google_project_iam_custom_role.secret_vault.name, condition = local.secret_condition } if a.vault == "full" },
    { for k, a in local.access : "${k}/create" => { fn = k, role = google_project_iam_custom_role.secret_create.name, condition = local.secret_project_condition } if a.vault == "full" },
    { for k, a in local.access : "${k}/list" => { fn = k, role = google_project_iam_custom_role.secret_list.name, condition = local.secret_project_condition } if contains(["full", "list"], a.vault) },
  )

  build_sa_email = var.build_service_account != null ? var.build_service_account : google_service_account.build[0].email
}

resource "google_project_iam_member" "firestore" {
  for_each = local.firestore_grants

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.fn[each.key].email}"
}

# ---- Secret Manager: the vault ------------------------------------------------------------------

resource "google_project_iam_custom_role" "secret_vault" {
  project     = var.project_id
  role_id     = "${var.name_prefix}SecretVault"
  title       = "MCP gateway vault"
  description = "Read, write and delete the gateway's own secrets; bound only with a condition on the secret name prefix."
  permissions = [
    "secretmanager.secrets.get",
    "secretmanager.secrets.delete",
    "secretmanager.versions.add",
    "secretmanager.versions.access",
    "secretmanager.versions.destroy",
    "secretmanager.versions.get",
    "secretmanager.versions.list",
  ]

  depends_on = [google_project_service.apis]
}

resource "google_project_iam_custom_role" "secret_create" {
  project     = var.project_id
  role_id     = "${var.name_prefix}SecretCreate"
  title       = "MCP gateway vault: create"
  description = "Create secrets (one per MCP config or OAuth connection). Grants no access to any secret's data."
  permissions = ["secretmanager.secrets.create"]

  depends_on = [google_project_service.apis]
}

resource "google_project_iam_custom_role" "secret_list" {
  project     = var.project_id
  role_id     = "${var.name_prefix}SecretList"
  title       = "MCP gateway vault: list"
  description = "List secret names: the vault's health ping. Grants no access to any secret's data."
  permissions = ["secretmanager.secrets.list"]

  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "vault" {
  for_each = local.vault_grants

  project = var.project_id
  role    = each.value.role
  member  = "serviceAccount:${google_service_account.fn[each.value.fn].email}"

  condition {
    title       = "${var.name_prefix}-secrets-only"
    description = "Only secrets named ${local.secret_prefix}*"
    expression  = each.value.condition
  }
}

# ---- build identity -----------------------------------------------------------------------------

resource "google_service_account" "build" {
  count = var.build_service_account == null ? 1 : 0

  project      = var.project_id
  account_id   = "${var.name_prefix}-build"
  display_name = "MCP gateway: function builds"
  description  = "Builds the functions' container images from the source archive (Cloud Build)."

  depends_on = [google_project_service.apis]
}

# The role Cloud Run's documentation names for the build service account of functions: Artifact
# Registry upload and download, log writing, reading the source object. The functions deploy after
# it has propagated (time_sleep.propagation in apis.tf).
resource "google_project_iam_member" "build" {
  for_each = var.build_service_account == null ? toset(["roles/run.builder"]) : toset([])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.build[0].email}"
}
