/**
 * Preload (`node --import ./dist/bench/trace-imports.js`): records which npm
 * packages a process loads into the file named by BENCH_TRACE_FILE, one name a
 * line. ESM imports are seen by a resolve hook (trace-hooks.ts, on the loader
 * thread); CommonJS requires are read from the require cache on exit.
 */
import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'
import { packageOf } from './trace-hooks.js'

const out = process.env.BENCH_TRACE_FILE
if (out) {
  register(new URL('./trace-hooks.js', import.meta.url), { data: { out } })
  process.once('exit', () => {
    const names = new Set<string>()
    for (const p of Object.keys(createRequire(import.meta.url).cache)) {
      const n = packageOf(p)
      if (n) names.add(n)
    }
    appendFileSync(out, [...names].map((n) => n + '\n').join(''))
  })
}
