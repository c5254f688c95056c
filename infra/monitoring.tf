/**
 * Monitoring: log-based metrics from the functions' structured logs
 * (shared/log.ts, shared/audit.ts), an alert on the 5xx error rate, and a dashboard.
 */

locals {
  monitor = var.monitoring.enabled

  # Gen2 functions log as their Cloud Run services.
  log_scope = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=(${join(" OR ", [for k in keys(local.functions) : "\"${k}\""])})"
  run_scope = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=monitoring.regex.full_match(\"${join("|", keys(local.functions))}\")"

  log_metrics = {
    # One audit line per tool call (audit action tool.execute), with its outcome and error code.
    tool_executions = {
      description = "Tool executions, by outcome and error code."
      filter      = "${local.log_scope} AND jsonPayload.audit.action=\"tool.execute\""
      labels = {
        outcome = "EXTRACT(jsonPayload.audit.outcome)"
        code    = "EXTRACT(jsonPayload.audit.code)"
      }
    }
    # One audit line per call the tool policy refused (audit action tool.blocked): code tool_not_approved
    # (a pending definition), tool_blocked (critical scanner findings) or tool_denied (allow/deny lists);
    # kind is "prompt" for prompt gets, empty for tool calls.
    tool_blocks = {
      description = "Tool calls and prompt gets refused by the tool policy, by code and kind."
      filter      = "${local.log_scope} AND jsonPayload.audit.action=\"tool.blocked\""
      labels = {
        code = "EXTRACT(jsonPayload.audit.code)"
        kind = "EXTRACT(jsonPayload.audit.kind)"
      }
    }
    # The request completion line ("METHOD /path STATUS") carries `code` only when the request failed.
    request_failures = {
      description = "Failed requests, by error code and function."
      filter      = "${local.log_scope} AND jsonPayload.code:* AND jsonPayload.message=~\"^(GET|POST|PUT|PATCH|DELETE|OPTIONS) \""
      labels = {
        code     = "EXTRACT(jsonPayload.code)"
        function = "EXTRACT(resource.labels.service_name)"
      }
    }
    oauth_flows = {
      description = "OAuth connect, complete and disconnect outcomes, by error code."
      filter      = "${local.log_scope} AND jsonPayload.audit.action=(\"oauth.connect\" OR \"oauth.complete\" OR \"oauth.disconnect\")"
      labels = {
        action  = "EXTRACT(jsonPayload.audit.action)"
        outcome = "EXTRACT(jsonPayload.audit.outcome)"
        code    = "EXTRACT(jsonPayload.audit.code)"
      }
    }
    # A call refused by a rate limit is an audit record (tool.execute, denied, rate_limited) naming
    # the policy that set its Retry-After (shared/ratelimit/limit.ts).
    rate_limit_blocks = {
      description = "Tool calls refused by a rate limit (429 rate_limited), by policy: user, user-mcp or org."
      filter      = "${local.log_scope} AND jsonPayload.audit.code=\"rate_limited\""
      labels = {
        policy = "EXTRACT(jsonPayload.audit.rate_limit.policy)"
      }
    }
    # Calls whose limits could not be checked because Redis was unreachable, by what they got
    # (RATE_LIMIT_FAIL: open admitted them, closed answered 503). One per call, on its request line.
    rate_limit_unchecked = {
      description = "Tool calls whose rate limits could not be checked (Redis unreachable), by RATE_LIMIT_FAIL."
      filter      = "${local.log_scope} AND jsonPayload.rate_limit.store=\"unreachable\""
      labels = {
        fail = "EXTRACT(jsonPayload.rate_limit.fail)"
      }
    }
    # Transient refresh failures; a refused refresh (invalid_grant) shows as authorization_required.
    oauth_refresh_failures = {
      description = "OAuth token refreshes that failed, by reason."
      filter      = "${local.log_scope} AND jsonPayload.message=\"token refresh failed\""
      labels = {
        reason = "EXTRACT(jsonPayload.reason)"
      }
    }
  }
}

resource "google_logging_metric" "this" {
  for_each = { for k, v in local.log_metrics : k => v if local.monitor }

  project     = var.project_id
  name        = "${var.name_prefix}/${each.key}"
  description = each.value.description
  filter      = each.value.filter

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    dynamic "labels" {
      for_each = each.value.labels
      content {
        key        = labels.key
        value_type = "STRING"
      }
    }
  }

  label_extractors = each.value.labels

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "error_rate" {
  count = local.monitor ? 1 : 0

  project               = var.project_id
  display_name          = "MCP gateway: 5xx rate above ${var.monitoring.error_rate_threshold * 100}%"
  combiner              = "OR"
  notification_channels = var.monitoring.notification_channels

  conditions {
    display_name = "5xx responses / all responses, all gateway functions"

    condition_threshold {
      filter             = "metric.type=\"run.googleapis.com/request_count\" AND ${local.run_scope} AND metric.labels.response_code_class=\"5xx\""
      denominator_filter = "metric.type=\"run.googleapis.com/request_count\" AND ${local.run_scope}"
      comparison         = "COMPARISON_GT"
      threshold_value    = var.monitoring.error_rate_threshold
      duration           = var.monitoring.duration

      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_RATE"
        cross_series_reducer = "REDUCE_SUM"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "More than ${var.monitoring.error_rate_threshold * 100}% of gateway requests answered 5xx for ${var.monitoring.duration}. The dashboard's failures-by-code chart names the code; the request logs carry it as jsonPayload.code (unavailable = store, vault or token keys unreachable; upstream_* = the MCP server)."
  }

  depends_on = [google_project_service.apis]
}

locals {
  user_metric = { for k in keys(local.log_metrics) : k => "logging.googleapis.com/user/${var.name_prefix}/${k}" }

  # Charts of the log-based metrics, and of Cloud Run's own metrics, by widget name.
  log_charts = {
    tools    = { title = "Tool executions by outcome", metric = "tool_executions", by = "outcome" }
    failures = { title = "Failed requests by code", metric = "request_failures", by = "code" }
    oauth    = { title = "OAuth connect/complete/disconnect by outcome", metric = "oauth_flows", by = "outcome" }
    refresh  = { title = "OAuth refresh failures by reason", metric = "oauth_refresh_failures", by = "reason" }
    limits   = { title = "Rate-limit blocks by policy", metric = "rate_limit_blocks", by = "policy" }
    blocks   = { title = "Tool policy blocks by code", metric = "tool_blocks", by = "code" }
  }
  run_charts = {
    requests  = { title = "Requests by function and status class", metric = "run.googleapis.com/request_count", aligner = "ALIGN_RATE", reducer = "REDUCE_SUM", by = ["resource.label.\"service_name\"", "metric.label.\"response_code_class\""] }
    latency   = { title = "p95 latency by function", metric = "run.googleapis.com/request_latencies", aligner = "ALIGN_PERCENTILE_95", reducer = "REDUCE_MAX", by = ["resource.label.\"service_name\""] }
    instances = { title = "Instances by function", metric = "run.googleapis.com/container/instance_count", aligner = "ALIGN_MAX", reducer = "REDUCE_SUM", by = ["resource.label.\"service_name\""] }
  }

  widgets = merge(
    { for k, c in local.log_charts : k => {
      title = c.title
      xyChart = {
        dataSets = [{
          plotType = "LINE"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "metric.type=\"${local.user_metric[c.metric]}\" AND resource.type=\"cloud_run_revision\""
              aggregation = {
                alignmentPeriod    = "60s"
                perSeriesAligner   = "ALIGN_RATE"
                crossSeriesReducer = "REDUCE_SUM"
                groupByFields      = ["metric.label.\"${c.by}\""]
              }
            }
          }
        }]
      }
    } },
    { for k, c in local.run_charts : k => {
      title = c.title
      xyChart = {
        dataSets = [{
          plotType = "LINE"
          timeSeriesQuery = {
            timeSeriesFilter = {
              filter = "metric.type=\"${c.metric}\" AND ${local.run_scope}"
              aggregation = {
                alignmentPeriod    = "60s"
                perSeriesAligner   = c.aligner
                crossSeriesReducer = c.reducer
                groupByFields      = c.by
              }
            }
          }
        }]
      }
    } },
  )

  # Two columns of 24 on a 48-column grid. The API leaves zero positions out of what it returns, so
  # a tile at 0 states no xPos or yPos: written out, a 0 would show as a change on every plan.
  dashboard_columns = 48
  dashboard_layout = [
    { widget = "requests", width = 24, height = 16 },
    { widget = "latency", xPos = 24, width = 24, height = 16 },
    { widget = "instances", yPos = 16, width = 24, height = 16 },
    { widget = "tools", xPos = 24, yPos = 16, width = 24, height = 16 },
    { widget = "failures", yPos = 32, width = 24, height = 16 },
    { widget = "oauth", xPos = 24, yPos = 32, width = 24, height = 16 },
    { widget = "refresh", yPos = 48, width = 24, height = 16 },
    { widget = "limits", xPos = 24, yPos = 48, width = 24, height = 16 },
    { widget = "blocks", yPos = 64, width = 24, height = 16 },
  ]
  dashboard_tiles = [for t in local.dashboard_layout : merge({ for k, v in t : k => v if k != "widget" }, { widget = local.widgets[t.widget] })]
}

resource "google_monitoring_dashboard" "this" {
  count = local.monitor ? 1 : 0

  project = var.project_id
  dashboard_json = jsonencode({
    displayName  = "MCP gateway"
    mosaicLayout = { columns = local.dashboard_columns, tiles = local.dashboard_tiles }
  })

  depends_on = [google_logging_metric.this]
}
