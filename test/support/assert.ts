import * as assert from 'uvu/assert'

/** uvu's `throws` is sync only: this awaits `fn` and checks the rejection. */
export async function rejects(fn: () => Promise<unknown>, check?: (e: any) => boolean | void, msg?: string): Promise<any> {
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
