/**
 * The API's shapes, by the names the client's methods use: aliases into the
 * types generated from the gateway's OpenAPI document (generated/api.ts,
 * checked to be current by test/client-types.test.ts).
 */
import type { components, operations } from './generated/api.js'

type S = components['schemas']
type Body<O extends keyof operations> = operations[O] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
type QueryOf<O extends keyof operations> = operations[O] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

export type { components, operations, paths } from './generated/api.js'
export type Json = { [k: string]: any }
export type Problem = S['Problem']

export interface Page<I> {
  items: I[]
  next_cursor: string | null
}

export type McpView = S['Mcp']
export type McpCreate = Body<'post_mcps'>
export type McpPatch = Body<'patch_mcps_id'>
export type CheckResult = S['Check']
export type Catalog = S['Catalog']
export type ToolList = S['Tools']
export type ToolChanges = S['Changes']
export type Approved = S['Approved']
export type ApproveBody = Body<'post_mcps_id_tools_approve'>
export type ResourceList = S['Resources']
export type ResourceTemplates = S['ResourceTemplates']
export type ResourceContents = S['ResourceContents']
export type PromptList = S['Prompts']
export type PromptResult = S['PromptResult']
export type CompleteBody = Body<'post_mcps_id_complete'>
export type Completion = S['Completion']

export type ExecuteBody = Body<'post_mcps_id_tools_tool_execute'>
export type Capabilities = NonNullable<ExecuteBody['capabilities']>
export type ToolResult = S['ToolResult']
export type InputRequired = S['InputRequired']
export type InputRequest = S['InputRequest']
/** What execute and answer return: the completed call or the next question (`status` tells which). */
export type ExecuteResult = ToolResult | InputRequired
export type Execution = S['Execution']
export type StreamEventName = 'progress' | 'log' | 'input_required' | 'result' | 'error'

export type OAuthStart = S['OAuthStart']
export type NotRevoked = S['NotRevoked']
export type RegistryServer = S['RegistryServer']
export type Proposal = S['Proposal']
export type Refreshed = S['Refreshed']
export type Token = S['Token']
export type NewToken = S['NewToken']
export type GatewayHealth = S['GatewayHealth']

export type AuditQuery = Omit<QueryOf<'get_audit'>, 'cursor' | 'limit'> & { limit?: number }
export type AuditRecord = S['AuditRecord']
export type Usage = S['Usage']
