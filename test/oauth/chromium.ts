/**
 * A real headless Chromium for browser-leg tests (popups, postMessage,
 * cookies), driven by `playwright-core` against the system binary: nothing is
 * ever downloaded. CI installs it with `apt-get install -y chromium`.
 *
 * Suites gate their tests with `needs(test, noChromium())`: skipped loudly
 * (and counted) when no binary is found, failed under REQUIRE_ALL_COMPONENTS=1.
 */
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { missing, type Missing } from '../support/components.js'

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]

/** `$CHROMIUM_PATH`, else the first of chromium/chromium-browser/google-chrome on PATH (like `command -v`). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : []
  for (const name of NAMES) {
    for (const dir of (env.PATH ?? '').split(delimiter)) if (dir) candidates.push(join(dir, name))
  }
  for (const c of candidates) {
    try { accessSync(c, constants.X_OK); return c } catch { /* next */ }
  }
  return null
}

/** null when a chromium binary is there; else chromium as a missing component, for `needs()`. */
export function noChromium(): Missing | null {
  return findChromium() ? null : missing(`chromium (tried ${NAMES.join(', ')} on PATH and $CHROMIUM_PATH)`, 'apt-get install -y chromium')
}

/** Launches headless Chromium; throws when none is installed (gate the tests with `noChromium()`). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium()
  if (!executablePath) throw new Error('no chromium binary: gate this test with needs(test, noChromium())')
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 })
}
