/**
 * Which npm packages a fresh process loads while it runs `code` (an ES module
 * body): bench's import tracer (a resolve hook plus the require cache).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = fileURLToPath(new URL('../../../', import.meta.url))

export async function loadedPackages(code: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'trace-'))
  try {
    const out = join(dir, 'packages.txt')
    await promisify(execFile)(process.execPath, ['--import', join(root, 'dist/bench/trace-imports.js'), '--input-type=module', '-e', `${code}\nprocess.exit(0)`], {
      cwd: root, env: { ...process.env, BENCH_TRACE_FILE: out }, timeout: 30_000,
    })
    return [...new Set((await readFile(out, 'utf8').catch(() => '')).split('\n').filter(Boolean))]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** An import statement for a module of the build, by its path under dist/. */
export const importDist = (path: string, what = '* as m') => `import ${what} from ${JSON.stringify(new URL(`../../${path}`, import.meta.url).href)}`
