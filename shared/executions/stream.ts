/**
 * The streaming form of an interactive execution: the first leg's events come
 * from this instance; after a question, the stream follows the execution's
 * record, so it goes on whichever instance takes the answer (progress, and
 * the logs of a retry, are written there at most once a second), until the
 * result or the error.
 */
import type { Deps } from '../deps.js'
import { AppError, problem } from '../errors.js'
import type { SseWriter } from '../sse.js'
import { answered, cancelledProblem, inputRequiredView, terminal, type Execution } from './model.js'
import type { Started } from './api.js'
import { resultOf } from './records.js'
import { waitFor } from './wait.js'

export async function follow(d: Deps, started: Started, sse: SseWriter, signal: AbortSignal): Promise<void> {
  const { id } = started
  let e: Execution | null = await started.stopped
  let round = -1
  let progress = ''
  let logged = 0
  // Bounded: each question waits at most EXECUTION_INPUT_TIMEOUT_MS, each leg at most the function's time.
  for (let i = 0; i < 1000 && e && !signal.aborted; i++) {
    if (terminal(e.status)) return end(d, id, e, sse)
    if (e.status === 'input_required' && e.round > round) {
      round = e.round
      sse.send('input_required', inputRequiredView(id, e))
    }
    const next = (x: Execution | null) => !x || terminal(x.status) || (x.status === 'input_required' && x.round > round)
    e = await waitFor(d, id, next, d.config.inputTimeoutMs + d.config.functionTimeoutMs, signal, (x) => {
      // Logs of a leg run elsewhere (a 2026-07-28 retry), as stored: each once, before what follows them.
      for (const l of x?.logs ?? []) {
        if (l.n <= logged) continue
        logged = l.n
        sse.send('log', { level: l.level, logger: l.logger, data: l.data })
      }
      const p = JSON.stringify(x?.progress ?? null)
      if (x?.progress && p !== progress && x.status === 'working') sse.send('progress', x.progress)
      progress = p
    })
    // Nothing moved for longer than an answer and a call may take (the holder went away): say so and end.
    if (e && !next(e) && !signal.aborted) {
      sse.send('error', { ...problem(new AppError('upstream_timeout', 'The execution stopped making progress; read it with GET /executions/{id}.')).body, execution_id: id })
      return
    }
  }
}

async function end(d: Deps, id: string, e: Execution, sse: SseWriter): Promise<void> {
  const ref = e.transient ? {} : { execution_id: id }
  if (e.status === 'completed') return sse.send('result', { ...(await resultOf(await d.store(), id, e) as Record<string, unknown>), status: 'completed', ...ref })
  sse.send('error', { ...answered(e.error ?? cancelledProblem()), ...ref })
}
