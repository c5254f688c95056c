import * as assert from 'uvu/assert'
import type { Test } from 'uvu'
import type { Res } from './gateway.js'

/** uvu's `throws` is sync only: this awaits `fn` and checks the rejection. */
export async function rejects(fn: () => Promise<unknown>, check?: (e: any) => unknown, msg?: string): Promise<any> {
  try {
    await fn()
  } catch (e) {
    if (check) {
      const ok = check(e)
      if (ok === false) assert.unreachable(msg ?? `rejection did not match: ${(e as Error)?.message ?? e}`)
    }
    return e
  }
  assert.unreachable(msg ?? 'expected a rejection')
}

/**
 * A problem+json answer (RFC 9457) with this status and code: the media type,
 * `type`, `title`, `detail`, and well-formed `errors` when present. With
 * `path`, one of the violations must be at that JSON pointer.
 */
export function isProblem(r: Res, status: number, code: string, o: { path?: string; label?: string } | string = {}): void {
  const { path, label = '' } = typeof o === 'string' ? { label: o } : o
  const at = `${label} -> ${r.status} ${r.text.slice(0, 400)}`
  assert.is(r.status, status, at)
  assert.match(r.headers.get('content-type') ?? '', /^application\/problem\+json/, at)
  assert.is(r.json?.code, code, at)
  assert.is(r.json.status, status, at)
  assert.is(r.json.type, `https://mcp-gateway.dev/problems/${code}`, at)
  assert.type(r.json.title, 'string', at)
  assert.type(r.json.detail, 'string', at)
  if (r.json.errors !== undefined) {
    assert.ok(Array.isArray(r.json.errors) && r.json.errors.length > 0, at)
    for (const e of r.json.errors) assert.ok(typeof e.path === 'string' && e.path.startsWith('/') && typeof e.message === 'string', at)
  }
  if (path !== undefined) {
    assert.ok(Array.isArray(r.json.errors), `${at}: no errors member`)
    assert.ok(r.json.errors.some((e: { path: string }) => e.path === path), `${at}: no violation at ${path}`)
  }
}

/**
 * Waits for a condition the system under test makes true (a line logged, a
 * process gone, a request seen), polling every 10 ms, and fails naming `what`
 * if it is not true within `ms`. For waiting on an event that has no hook;
 * never a fixed sleep before a negative assertion.
 */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  for (;;) {
    if (await cond()) return
    if (Date.now() > end) assert.unreachable(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/**
 * The suite, with `check` run at the end of each of its tests (e.g. a leak
 * sweep over what that test did). In the test body rather than an after.each
 * hook: uvu drops a test's failure when an after.each hook throws after it.
 */
export function endEach<T>(s: Test<T>, check: (ctx: T) => void | Promise<void>): Test<T> {
  const t = ((name: string, fn: (ctx: T) => void | Promise<void>) => s(name, async (ctx) => { await fn(ctx); await check(ctx) })) as unknown as Test<T>
  return Object.assign(t, { before: s.before, after: s.after, only: s.only, skip: s.skip, run: s.run })
}
