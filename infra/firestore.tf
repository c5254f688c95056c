/**
 * Firestore: the (default) database in native mode (the code uses no named
 * database), TTL policies on `exp`, and composite indexes.
 *
 * Every document is {d, v, exp}; `exp` mirrors data.expires_at (docs/storage-schema.md).
 * TTL deletes up to a day late; the code treats expired records as missing.
 */

locals {
  # Collections whose records expire: audit (90 days), mcp_state (7 days), mcp_health (30 days),
  # OAuth states (10 minutes), refresh leases (30 s), vault-write rate windows (2 minutes),
  # executions with their result parts and holder leases, stdio pool heartbeats, saved-home deletions,
  # usage counters (8 days), agents' input references and sessions, agents' personal access tokens
  # (see docs/storage-schema.md).
  ttl_collections = ["audit", "mcp_state", "mcp_health", "oauth_states", "oauth_leases", "rate_limits", "executions", "execution_parts", "execution_holders", "stdio_instances", "stdio_home_deletes", "usage", "agent_input", "agent_sessions", "tokens"]

  # The queries the code makes: d.tenant IN [...] ordered by document id (list of mcps), and
  # d.mcp_id == x (oauth_connections of a deleted config). Equality or IN on one field, ordered by
  # ascending __name__, is served by Firestore's automatic single-field indexes, so no composite
  # index is needed (and Firestore refuses single-field ones as unnecessary).
  # Store.find (shared/ports.ts) needs one per shape: the equality fields, then the order field
  # (__name__ follows implicitly in the same direction). firestore.indexes.json lists the same for the
  # emulator; test/indexes.test.ts checks both against the queries the code issues.
  # GET /api/v1/audit: the caller's (actor) or the org's records, optionally by config and action, newest first.
  # GET /api/v1/mcps/{id}/usage: one key's hourly counters from a start hour.
  composite_indexes = {
    "audit/actor" = [{ field_path = "d.actor", order = "ASCENDING" }, { field_path = "d.at", order = "DESCENDING" }]
    "audit/actor_mcp_id" = [{ field_path = "d.actor", order = "ASCENDING" }, { field_path = "d.mcp_id", order = "ASCENDING" }, { field_path = "d.at", order = "DESCENDING" }]
    "audit/action_actor" = [{ field_path = "d.action", order = "ASCENDING" }, { field_path = "d.actor", order = "ASCENDING" }, { field_path = "d.at", order = "DESCENDING" }]
    "audit/action_actor_mcp_id" = [{ field_path = "d.action", order = "ASCENDING" }, { field_path = "d.actor", order = "ASCENDING" }, { field_path = "d.mcp_id", order = "ASCENDING" }, { field_path = "d.at", order = "DESCENDING" }]
    "audit/org" = [{ field_path = "d.org", order = "ASCENDING" }, { field_path = "d.at", order = "DESCENDING" }]
    "audit/mcp_id_org" = [{ field_path = "d.mcp_id", order = "ASCENDING" }, { field_path = "d.org", order = "ASCENDING" }, { field_path = "d.at", order = "DESCENDING" }]
    "audit/action_org" = [{ field_path = "d.action", order = "ASCENDING" }, { field_path = "d.org", order = "ASCENDING" }, { field_path = "d.at", order = "DESCENDING" }]
    "audit/action_mcp_id_org" = [{ field_path = "d.action", order = "ASCENDING" }, { field_path = "d.mcp_id", order = "ASCENDING" }, { field_path = "d.org", order = "ASCENDING" }, { field_path = "d.at", order = "DESCENDING" }]
    "usage/key" = [{ field_path = "d.key", order = "ASCENDING" }, { field_path = "d.hour", order = "ASCENDING" }]
  }
}

resource "google_firestore_database" "this" {
  count = var.firestore.create_database ? 1 : 0

  project                           = var.project_id
  name                              = "(default)"
  location_id                       = var.firestore.location_id
  type                              = "FIRESTORE_NATIVE"
  delete_protection_state           = var.firestore.delete_protection ? "DELETE_PROTECTION_ENABLED" : "DELETE_PROTECTION_DISABLED"
  point_in_time_recovery_enablement = var.firestore.point_in_time_recovery ? "POINT_IN_TIME_RECOVERY_ENABLED" : "POINT_IN_TIME_RECOVERY_DISABLED"
  deletion_policy                   = "ABANDON"

  depends_on = [google_project_service.apis]
}

resource "google_firestore_field" "ttl" {
  for_each = toset(local.ttl_collections)

  project    = var.project_id
  database   = "(default)"
  collection = "${local.collection_prefix}${each.key}"
  field      = "exp"

  # Nothing queries exp; an index on a monotonically increasing timestamp would only cost writes.
  index_config {}
  ttl_config {}

  depends_on = [google_project_service.apis, google_firestore_database.this]
}

resource "google_firestore_index" "composite" {
  for_each = local.composite_indexes

  project    = var.project_id
  database   = "(default)"
  collection = "${local.collection_prefix}${split("/", each.key)[0]}"

  dynamic "fields" {
    for_each = each.value
    content {
      field_path = fields.value.field_path
      order      = fields.value.order
    }
  }

  depends_on = [google_project_service.apis, google_firestore_database.this]
}
