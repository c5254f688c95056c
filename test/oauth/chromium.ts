/**
 * A real headless Chromium for browser-leg tests (popups, postMessage,
 * cookies), driven by `playwright-core` against the system binary: nothing is
 * ever downloaded. CI installs it with `apt-get install -y chromium`.
 *
 * `launchChromium()` resolves to null, after a loud warning on stderr, when no
 * binary is found; tests then skip with a message instead of failing.
 */
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'

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

/** Launches headless Chromium, or returns null (with a loud stderr warning) when none is installed. */
export async function launchChromium(): Promise<Browser | null> {
  const executablePath = findChromium()
  if (!executablePath) {
    process.stderr.write(
      '\n!!! WARNING: no chromium binary on PATH (tried ' + NAMES.join(', ') + ').\n' +
      '!!! Browser tests are SKIPPED. Install it with: apt-get install -y chromium\n\n',
    )
    return null
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 })
}
