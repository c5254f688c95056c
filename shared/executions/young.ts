/**
 * Waits on young execution ids, counted per user. A reader waits up to about
 * 15 s for an id under 10 s old that the store does not have yet (records.ts:
 * it may be on its way from another instance). Such ids are as easy to make
 * up as to send, so one user holds at most `EXECUTION_YOUNG_WAITS_PER_USER`
 * such waits at once on an instance (each a held request, and on Firestore a
 * listener); past that, a missing id is what it is without the wait: 404.
 */
const waits = new Map<string, number>()

/** A wait for `sub`, ended by calling what it returns; undefined when they hold `max` already. */
export function youngWait(sub: string, max: number): (() => void) | undefined {
  const n = waits.get(sub) ?? 0
  if (n >= max) return undefined
  waits.set(sub, n + 1)
  let held = true
  return () => {
    if (!held) return
    held = false
    const left = (waits.get(sub) ?? 1) - 1
    if (left > 0) waits.set(sub, left)
    else waits.delete(sub)
  }
}
