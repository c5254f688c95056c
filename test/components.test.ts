/**
 * test/support/components.ts: a suite whose real component is missing is
 * skipped loudly and counted in uvu's summary, and fails the run under
 * REQUIRE_ALL_COMPONENTS=1 (what .ci/run sets). Runs a small uvu file in a
 * child process, as `npm test` would.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const test = suite('missing components')
const components = new URL('./support/components.js', import.meta.url).href

const UVU = import.meta.resolve('uvu')

const SCRIPT = `
import { suite } from ${JSON.stringify(UVU)}
import { missing, needs } from ${JSON.stringify(components)}
const present = suite('present')
present('runs', () => {})
present.run()
const gated = needs(suite('gated'), missing('the frobnicator', 'apt-get install frobnicator'))
let hooks = 0
gated.before(() => { hooks++; throw new Error('a hook ran without its component') })
gated('needs it (a)', () => { throw new Error('ran without its component') })
gated('needs it (b)', () => { throw new Error('ran without its component') })
gated.run()
`

async function runUvu(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'components-'))
  try {
    await writeFile(join(dir, 'x.test.mjs'), SCRIPT)
    return await new Promise((resolve) => {
      const uvu = join(process.cwd(), 'node_modules/uvu/bin.js')
      execFile(process.execPath, [uvu, dir, 'x\\.test\\.mjs$'], { cwd: process.cwd(), env: { ...process.env, FORCE_COLOR: '0', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}\n${stderr}` })
      })
    })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const summary = (out: string) => {
  const n = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(out.replace(/\x1b\[[0-9;]*m/g, ''))?.[1])
  return { total: n('Total'), passed: n('Passed'), skipped: n('Skipped') }
}

test('a missing component: its tests are counted as skipped, with a loud warning, and the run passes', async () => {
  const r = await runUvu({ REQUIRE_ALL_COMPONENTS: '' })
  assert.is(r.code, 0, r.out)
  assert.equal(summary(r.out), { total: 1, passed: 1, skipped: 2 }, r.out)
  assert.match(r.out, /the frobnicator is missing: the tests that need it are SKIPPED/)
  assert.match(r.out, /Install: apt-get install frobnicator/)
})

test('REQUIRE_ALL_COMPONENTS=1: the same tests fail, naming the component, and the run fails', async () => {
  const r = await runUvu({ REQUIRE_ALL_COMPONENTS: '1' })
  assert.is.not(r.code, 0, r.out)
  assert.equal(summary(r.out), { total: 3, passed: 1, skipped: 0 }, r.out)
  assert.match(r.out, /the frobnicator is missing \(REQUIRE_ALL_COMPONENTS=1\); install: apt-get install frobnicator/)
  assert.not.match(r.out, /ran without its component/)
})

test.run()
