/**
 * The API's shapes, by the names the client's methods use. Written by hand
 * from docs/api.md until the generated OpenAPI types (generated/api.ts) take
 * their place.
 */
export type Json = { [k: string]: any }

export interface Page<I> {
  items: I[]
  next_cursor: string | null
}

export interface McpView extends Json {
  id: string
  name: string
  type: 'http' | 'sse' | 'stdio'
  status: 'ready' | 'needs_auth' | 'error'
}
export type McpCreate = Json
export type McpPatch = Json
export type CheckResult = Json & { ok: boolean }
export type ToolList = Json & { tools: Json[] }
export type ResourceList = Json & { resources: Json[] }
export type PromptList = Json & { prompts: Json[] }
export type ApproveBody = Json
export type CompleteBody = Json
export type Capabilities = Json
export type RegistryServer = Json & { name: string }

export interface ExecuteBody {
  arguments?: Record<string, unknown>
  capabilities?: Capabilities
  log_level?: 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency'
}
/** A completed call (`status: "completed"`), a question (`"input_required"`), or with `async` the execution record. */
export type ExecuteResult = Json & { status: string }
export interface Execution extends Json {
  id: string
  status: 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled'
}
export type StreamEventName = 'progress' | 'log' | 'input_required' | 'result' | 'error'

export interface AuditQuery {
  mcp_id?: string
  action?: string
  since?: string
  until?: string
  limit?: number
}
export type AuditRecord = Json & { id: string; at: string; action: string }
export type Usage = Json & { mcp_id: string; calls: number }
