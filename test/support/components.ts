/**
 * Real components a suite needs that a machine may lack (the Firestore
 * emulator, chromium, redis). When one is missing its tests are skipped
 * loudly, and registered with uvu's `test.skip` so the run's summary counts
 * them under "Skipped". With REQUIRE_ALL_COMPONENTS=1 (set by `.ci/run`) they
 * fail instead, so CI cannot pass on a machine that skipped them.
 *
 *   const emu = await startFirestoreEmulator()
 *   const test = needs(suite('x'), emu ? null : missing('the Firestore emulator', 'apt-get install ...'))
 *   test.before(...)          // not run when missing
 *   test('...', async () => {...})
 *   test.run()
 */
import type { Test } from 'uvu'

export const REQUIRE_ALL = () => process.env.REQUIRE_ALL_COMPONENTS === '1'

export interface Missing {
  component: string
  install: string
}

const announced = new Set<string>()

/** Describes a missing component and warns about it on stderr (once per component and process). */
export function missing(component: string, install: string): Missing {
  if (!announced.has(component)) {
    announced.add(component)
    const verdict = REQUIRE_ALL() ? 'FAIL (REQUIRE_ALL_COMPONENTS=1)' : 'are SKIPPED'
    process.stderr.write(`\n${'!'.repeat(72)}\n!! ${component} is missing: the tests that need it ${verdict}.\n!! Install: ${install}\n${'!'.repeat(72)}\n`)
  }
  return { component, install }
}

/**
 * `test` itself when nothing is missing; otherwise a stand-in with the same
 * shape whose tests are skipped (counted by uvu) or, when REQUIRE_ALL_COMPONENTS=1,
 * fail with the reason. Its hooks do not run: they would need the component.
 */
export function needs<T>(test: Test<T>, gap: Missing | null): Test<T> {
  if (!gap) return test
  const fail = REQUIRE_ALL()
  const noop = Object.assign(() => {}, { each: () => {} })
  const stand = ((name: string) => {
    if (fail) test(name, () => { throw new Error(`${gap.component} is missing (REQUIRE_ALL_COMPONENTS=1); install: ${gap.install}`) })
    else test.skip(`${name} [skipped: ${gap.component} missing]`)
  }) as unknown as Test<T>
  return Object.assign(stand, { before: noop, after: noop, only: stand, skip: test.skip, run: test.run })
}
