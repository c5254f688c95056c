/**
 * `npm test` and `npm run fuzz`: uvu's own runner, then exit with its code.
 * uvu's CLI waits for every handle a suite leaves behind, so one forgotten
 * timer or socket in a test kept a finished run alive forever (seen on CI-like
 * runs: totals printed, process still there). Usage: test.js [pattern].
 */
import { parse } from 'uvu/parse'
import { run } from 'uvu/run'

const pattern = new RegExp(process.argv[2] ?? '\\.test\\.js$')
const ctx = await parse('dist/test', pattern, { cwd: process.cwd() })
await run(ctx.suites, { bail: false })
// uvu sets process.exitCode to 1 when a test failed; its summary is already printed.
process.exit(process.exitCode ?? 0)
