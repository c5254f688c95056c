/**
 * Nesting bounds. JSON.parse nests as deep as the bytes allow, but
 * JSON.stringify (and everything else that recurses) overflows the stack a
 * few thousand levels down: arguments past the bound are the caller's
 * mistake (400), results past it the server's (502), found before anything
 * recurses into them.
 */
import { AppError } from '../errors.js'

/** Levels of objects and arrays in `arguments` (the arguments object is level 1). */
export const MAX_ARGUMENT_DEPTH = 100
/** Levels of objects and arrays in any one value an upstream answers (a result's content, a tool definition). */
export const MAX_RESULT_DEPTH = 256

/** Whether `v` nests objects and arrays more than `max` levels deep. Iterative, so safe on any depth. */
export function deeperThan(v: unknown, max: number): boolean {
  const stack: { x: unknown; d: number }[] = [{ x: v, d: 1 }]
  while (stack.length) {
    const { x, d } = stack.pop()!
    if (x === null || typeof x !== 'object') continue
    if (d > max) return true
    for (const c of Array.isArray(x) ? x : Object.values(x)) if (c !== null && typeof c === 'object') stack.push({ x: c, d: d + 1 })
  }
  return false
}

export function checkArgumentDepth(args: unknown): void {
  if (deeperThan(args, MAX_ARGUMENT_DEPTH))
    throw new AppError('invalid_request', `The arguments nest deeper than ${MAX_ARGUMENT_DEPTH} levels.`, {
      errors: [{ path: '/arguments', message: `must not nest deeper than ${MAX_ARGUMENT_DEPTH} levels` }],
    })
}

/** Throws 502 `upstream_error` (reason `result_too_deep`) when any of `values` (each counted from 1) nests past the bound. */
export function checkResultDepth(values: readonly unknown[]): void {
  if (values.some((v) => deeperThan(v, MAX_RESULT_DEPTH)))
    throw new AppError('upstream_error', `The MCP server answered with data nested deeper than ${MAX_RESULT_DEPTH} levels.`, {
      upstream: { reason: 'result_too_deep' },
    })
}
