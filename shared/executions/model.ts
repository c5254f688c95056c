/**
 * Interactive executions: one upstream call (a tool, prompt or resource read)
 * that may stop to ask its user for input, kept in the store so any instance
 * can report on it, take the answer, or cancel it. docs/storage-schema.md
 * describes the records; docs/api.md#executions the API.
 */
import type { Declared } from '../mcp/sessions.js'

export const EXECUTIONS = 'executions'
/** Pieces of a result too large for one execution document: `${execution id}.${n}`. */
export const EXECUTION_PARTS = 'execution_parts'

export type Status = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled'
export type Op = 'tool' | 'prompt' | 'resource'

/** One question to the user, as the API shows it. */
export type InputRequest =
  | { kind: 'elicitation'; mode: 'form'; message: string; requested_schema: Record<string, unknown> }
  | { kind: 'elicitation'; mode: 'url'; message: string; url: string; url_host: string }
  | { kind: 'sampling'; params: Record<string, unknown> }

export interface Progress { progress: number; total: number | null; message: string | null }

/** A server's log message, as a stream shows it; `n` numbers an execution's stored ones. */
export interface LogLine { level: string; logger: string | null; data: unknown }
export interface StoredLog extends LogLine { n: number }

/** The stored execution. Fields under `resume` and `answers` never leave the gateway. */
export interface Execution {
  owner: string
  org: string | null
  mcp_id: string
  op: Op
  /** The tool or prompt name, or the resource URI. */
  name: string
  declared: Declared
  /** The upstream's protocol era, once connected: how the answer gets to it. */
  era: 'legacy' | 'modern' | null
  status: Status
  /** Counts the rounds of questions; an answer is for the current round only. */
  round: number
  progress: Progress | null
  /**
   * A stream asked for the call's logs (execute with `Accept: text/event-stream`): a leg that runs on
   * another request (a 2026-07-28 retry) stores them in `logs` for the stream to follow.
   */
  follow_logs?: boolean
  /** The latest stored log messages (at most LOG_KEEP, each's `data` at most LOG_DATA_MAX characters of JSON). */
  logs?: StoredLog[] | null
  input_requests: Record<string, InputRequest> | null
  /** Answers are taken until then (epoch ms); past it the execution has expired. */
  answer_by: number | null
  /**
   * 2025 servers: the round's answers on their way to the instance holding the
   * call (removed by the execution's next write). Checked, and single-use: the
   * transaction that stores them moves the execution out of `input_required`.
   */
  answers: Record<string, unknown> | null
  /** 2025 servers: the instance holding the open call (its lease is in `execution_holders`). */
  holder?: string | null
  /**
   * 2026-07-28 servers: what the retry needs (the original arguments and the server's opaque requestState),
   * and `rpc_next`: a JSON-RPC id above every id the earlier legs used (the retry's id starts there).
   */
  resume: { arguments: Record<string, unknown>; request_state: string | null; rpc_next?: number } | null
  result: unknown
  /** When the result did not fit in this document: how many parts of it are in `execution_parts`. */
  result_parts: number
  error: Record<string, unknown> | null
  created_at: number
  updated_at: number
  /** When the record goes (the store's TTL). */
  expires_at: number
  /** In memory only: a call that ended without a question, never stored (so it has no id to read). */
  transient?: boolean
}

/** How long a record is kept after its last change: long enough to fetch a result after an answer deadline. */
export const KEEP_MS = 24 * 3600_000

/** Stored log messages kept per execution; the stream follows them as they are written (at most once a second). */
export const LOG_KEEP = 20
export const LOG_DATA_MAX = 2048

export const terminal = (s: Status) => s === 'completed' || s === 'failed' || s === 'cancelled'

/**
 * A cancelled execution, to whoever reads it afterwards (execute, an answer, a stream, `GET`), is 409
 * `cancelled` (docs/api.md): the code's own status, 499 (shared/errors.ts), is only the request log's
 * for a client that went away, which reads nothing. A stored failure with that code is answered at 409 too.
 */
export const CANCELLED_STATUS = 409
export const cancelledProblem = (): Record<string, unknown> => ({ type: 'https://mcp-gateway.dev/problems/cancelled', title: 'Cancelled', status: CANCELLED_STATUS, detail: 'The execution was cancelled.', code: 'cancelled' })
export const answered = (err: Record<string, unknown>): Record<string, unknown> => (err.code === 'cancelled' ? { ...err, status: CANCELLED_STATUS } : err)

/** The API's view of an execution (`GET /executions/{id}`). */
export function executionView(id: string, e: Execution, result: unknown = e.result) {
  return {
    id,
    status: e.status,
    progress: e.progress,
    input_requests: e.status === 'input_required' ? e.input_requests : null,
    result: e.status === 'completed' ? (result ?? null) : null,
    error: e.error && answered(e.error),
    expires_at: new Date(e.status === 'input_required' && e.answer_by ? e.answer_by : e.expires_at).toISOString(),
  }
}

/** What execute (and an answer) returns when the call stops for input. */
export function inputRequiredView(id: string, e: Execution) {
  return {
    status: 'input_required' as const,
    execution_id: id,
    input_requests: e.input_requests ?? {},
    expires_at: new Date(e.answer_by ?? e.expires_at).toISOString(),
  }
}
