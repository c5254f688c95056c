/** The `execute` function: tool calls and the executions interactive or async calls become. */
import type { Builder } from '../build.js'
import type { Code } from '../../errors.js'
import { executeBody, inputBody } from '../../mcp/schema.js'
import { UPSTREAM } from './listing.js'

const CALL: Code[] = [...UPSTREAM, 'tool_not_approved', 'conflict', 'input_timeout']
const ref = (n: string) => ({ $ref: `#/components/schemas/${n}` })
const SSE = {
  type: 'string',
  description: 'Server-sent events: `progress` (Progress), `log` (LogEvent), `input_required` (InputRequired), then exactly one `result` (ToolResult) or `error` (Problem).',
  'x-sse-events': { progress: ref('Progress'), log: ref('LogEvent'), input_required: ref('InputRequired'), result: ref('ToolResult'), error: ref('Problem') },
}
// An execution cancelled before it answered (shared/executions/api.ts replyFor).
const CANCELLED = { 409: ['cancelled'] }
const answer = { anyOf: [ref('ToolResult'), ref('InputRequired')] }
// An answer continues whatever asked: a tool call, a prompt get or a resource read.
const continued = { anyOf: [ref('ToolResult'), ref('PromptResult'), ref('ResourceContents'), ref('InputRequired')] }
const accepted = { description: 'Still running (`Prefer: respond-async`, or an answer that waited 50 s): follow `Location`.', schema: 'Execution', headers: ['Location'] }

export function executePaths(b: Builder): void {
  b.add('/api/v1/mcps/{id}/tools/{tool}/execute', 'POST', {
    tag: 'execute', summary: 'Call a tool',
    description: 'JSON by default; `Accept: text/event-stream` streams progress and logs; `Prefer: respond-async` answers 202 at once.',
    path: { id: 'The config\'s id.', tool: 'The tool\'s name.' }, params: ['Accept', 'Prefer'],
    body: { schema: executeBody, required: false },
    ok: {
      200: { description: 'The result, or the question the tool asks its user.', schema: answer, headers: ['RateLimit', 'RateLimit-Policy'], also: { 'text/event-stream': SSE } },
      202: { ...accepted, headers: ['Location', 'RateLimit', 'RateLimit-Policy'] },
    },
    codes: CALL, problems: CANCELLED,
  })
  b.add('/api/v1/executions/{id}', 'GET', {
    tag: 'execute', summary: 'Read an execution', path: { id: 'The execution\'s id.' },
    ok: { 200: { description: 'The execution.', schema: 'Execution' } }, codes: ['not_found'],
  })
  b.add('/api/v1/executions/{id}', 'DELETE', {
    tag: 'execute', summary: 'Cancel an execution', path: { id: 'The execution\'s id.' },
    ok: { 204: { description: 'Cancelled.' } }, codes: ['not_found', 'not_waiting', 'conflict'],
  })
  b.add('/api/v1/executions/{id}/input', 'POST', {
    tag: 'execute', summary: 'Answer an execution\'s questions', path: { id: 'The execution\'s id.' }, params: ['Prefer'],
    body: { schema: inputBody },
    description: 'Answered like execute: the result, the next question, or the failure (the failed execution\'s own problem).',
    ok: { 200: { description: 'The result (of the tool call, prompt or resource read that asked) or the next question.', schema: continued }, 202: accepted },
    codes: [...CALL, 'not_waiting', 'expired'], problems: CANCELLED,
  })
}
