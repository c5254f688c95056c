/**
 * Rate limits (shared/ratelimit): the policies reach registry (which checks a
 * config's own config.rate_limit against RATE_LIMIT_USER_MCP) and execute
 * (which enforces them). With rate_limit.redis.enabled, a Memorystore for
 * Redis instance holds the buckets for every execute instance, reached over
 * Direct VPC egress; without it each instance keeps its own buckets in memory
 * (exact for one instance, per instance beyond that).
 *
 * AUTH and in-transit encryption stay off: the instance is reachable only from
 * the authorized VPC network, REDIS_URL carries no secret (so it is a plain
 * variable and nothing secret enters Terraform state), and the data are
 * counters that refill by themselves. Share the network only with workloads
 * you trust with those counters.
 */

locals {
  redis = var.rate_limit.redis.enabled

  # Functions that read the policies, and the ones that take tokens (Redis and the VPC).
  rate_limit_readers = ["registry", "execute"]
  rate_limit_takers  = ["execute", "mcp"]

  # Unset (null) entries are left out where they are merged (main.tf), so var.env could still set them.
  rate_limit_env = {
    RATE_LIMIT_USER     = var.rate_limit.user
    RATE_LIMIT_USER_MCP = var.rate_limit.user_mcp
    RATE_LIMIT_ORG      = var.rate_limit.org
    RATE_LIMIT_FAIL     = var.rate_limit.fail
  }

  redis_env = {
    REDIS_URL = local.redis ? "redis://${google_redis_instance.ratelimit[0].host}:${google_redis_instance.ratelimit[0].port}" : null
  }

  # A network name, or a full path for a Shared VPC host project's network.
  redis_network = strcontains(var.rate_limit.redis.network, "/") ? var.rate_limit.redis.network : "projects/${var.project_id}/global/networks/${var.rate_limit.redis.network}"

  # Direct VPC egress for the functions that reach Redis: private ranges only, so MCP servers on
  # the internet keep the default path (and the egress guard still decides what is reachable).
  vpc = {
    for name in keys(local.functions) : name => local.redis && contains(local.rate_limit_takers, name) ? {
      network    = var.rate_limit.redis.network
      subnetwork = var.rate_limit.redis.subnetwork
      egress     = "VPC_EGRESS_PRIVATE_RANGES_ONLY"
    } : null
  }
}

resource "google_redis_instance" "ratelimit" {
  count = local.redis ? 1 : 0

  project            = var.project_id
  region             = var.region
  name               = "${var.name_prefix}-ratelimit"
  display_name       = "MCP gateway rate limits"
  tier               = var.rate_limit.redis.tier
  memory_size_gb     = var.rate_limit.redis.memory_size_gb
  redis_version      = var.rate_limit.redis.redis_version
  authorized_network = local.redis_network
  connect_mode       = "DIRECT_PEERING"

  auth_enabled            = false
  transit_encryption_mode = "DISABLED"
  # Every bucket key has a TTL; under memory pressure, dropping the one closest to expiry costs least.
  redis_configs = {
    maxmemory-policy = "volatile-ttl"
  }

  deletion_protection = var.rate_limit.redis.deletion_protection
  labels              = var.labels

  depends_on = [google_project_service.apis]
}
