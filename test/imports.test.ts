/**
 * The import graph: dependencies point one way. functions/ → shared/ →
 * ports; no cycles among shared/ modules; adapters are chosen in one place
 * (shared/deps.ts); the vendor SDKs behind the ports are imported only by
 * their adapters; the product never imports test/. Imports are read from the source
 * with a small scanner (static, re-exports, side-effect and `import()`),
 * type-only imports included: a type is a dependency too.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { root } from './fixtures/terraform.js'

const test = suite('imports')

/** Module specifiers a TypeScript source imports: `import … from`, `export … from`, `import '…'`, `import('…')`. */
export function specifiers(src: string): string[] {
  const out: string[] = []
  for (const m of src.matchAll(/^[ \t]*(?:import|export)\s+(?:type\s+)?[\w\s{},*$]*?\bfrom\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!)
  for (const m of src.matchAll(/^[ \t]*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1]!)
  for (const m of src.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!)
  return out
}

/** Every .ts file under `dir`, relative to the repository root. */
function files(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e)
      if (statSync(p).isDirectory()) walk(p)
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(relative(root, p))
    }
  }
  walk(join(root, dir))
  return out.sort()
}

/** file → the repository files it imports (relative specifiers, `.js` read as `.ts`), plus bare package names. */
function graph(dirs: string[]): Map<string, { files: string[]; packages: string[] }> {
  const g = new Map<string, { files: string[]; packages: string[] }>()
  for (const f of dirs.flatMap(files)) {
    const e = { files: [] as string[], packages: [] as string[] }
    for (const s of specifiers(readFileSync(join(root, f), 'utf8'))) {
      if (s.startsWith('.')) e.files.push(relative(root, resolve(root, dirname(f), s)).replace(/\.js$/, '.ts'))
      else e.packages.push(s)
    }
    g.set(f, e)
  }
  return g
}

/** One cycle per strongly connected component (Tarjan), each as a path `a → b → … → a`. */
export function cycles(edges: Map<string, string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const on = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    on.add(v)
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const scc = new Set<string>()
    for (let w = ''; w !== v; ) {
      w = stack.pop()!
      on.delete(w)
      scc.add(w)
    }
    if (scc.size > 1 || (edges.get(v) ?? []).includes(v)) found.push(pathIn(edges, v, scc))
  }
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v)
  return found
}

/** A shortest cycle through `start` inside its component (breadth-first). */
function pathIn(edges: Map<string, string[]>, start: string, scc: Set<string>): string[] {
  const prev = new Map<string, string>()
  const queue = [start]
  while (queue.length) {
    const v = queue.shift()!
    for (const w of edges.get(v) ?? []) {
      if (!scc.has(w)) continue
      if (w === start) {
        const path: string[] = []
        for (let x = v; x !== start; x = prev.get(x)!) path.unshift(x)
        return [start, ...path, start]
      }
      if (!prev.has(w)) {
        prev.set(w, v)
        queue.push(w)
      }
    }
  }
  return [start, start]
}

const g = graph(['functions', 'shared', 'scripts', 'bench'])
const importers = (pred: (target: string) => boolean) => [...g].flatMap(([f, e]) => e.files.filter(pred).map((t) => `${f} → ${t}`))

test('the scanner reads every form of import, and nothing in strings or code', () => {
  const src = [
    "import type { A } from './a.js'",
    "import {",
    "  b,",
    "  type C,",
    "} from '../b.js'",
    "import * as d from 'node:fs'",
    "import './side.js'",
    "export { e } from './e.js'",
    "export * from './f.js'",
    "export type { G } from './g.js'",
    "const h = await import('./h.js')",
    "const s = 'import x from \"./not.js\"'",
    "export const from = 1",
    "const y = Array.from('abc')",
  ].join('\n')
  assert.equal(specifiers(src).sort(), ['../b.js', './a.js', './e.js', './f.js', './g.js', './h.js', './side.js', 'node:fs'].sort())
})

test('the cycle finder reports a cycle as its path, and none in a DAG', () => {
  const dag = new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])
  assert.equal(cycles(dag), [])
  const cyclic = new Map([['a', ['b']], ['b', ['c']], ['c', ['a', 'd']], ['d', []], ['e', ['e']]])
  assert.equal(cycles(cyclic), [['a', 'b', 'c', 'a'], ['e', 'e']])
})

test('the graph is read: every source file, and known edges', () => {
  assert.ok(g.size > 100, `${g.size} files`)
  assert.ok(g.get('functions/index.ts')?.files.includes('shared/shutdown.ts'))
  assert.ok(g.get('shared/deps.ts')?.files.includes('shared/adapters/store-local.ts'), 'dynamic imports are read')
  for (const [f, e] of g) for (const t of e.files) assert.ok(g.has(t) || t.startsWith('test/') || t.endsWith('.json'), `${f} imports ${t}, which is not a source file`)
})

test('no cycles among shared/ modules', () => {
  const edges = new Map([...g].filter(([f]) => f.startsWith('shared/')).map(([f, e]) => [f, e.files.filter((t) => t.startsWith('shared/'))]))
  const found = cycles(edges)
  assert.equal(found.map((c) => c.join(' → ')), [], `import cycles:\n${found.map((c) => c.join(' → ')).join('\n')}`)
})

test('functions/ imports only shared/ (and functions/); shared/ never imports functions/', () => {
  assert.equal(importers((t) => !t.startsWith('shared/') && !t.startsWith('functions/')).filter((l) => l.startsWith('functions/')), [])
  assert.equal(importers((t) => t.startsWith('functions/')).filter((l) => l.startsWith('shared/')), [])
})

test('adapters are chosen only in shared/deps.ts', () => {
  const bad = importers((t) => t.startsWith('shared/adapters/')).filter((l) => !l.startsWith('shared/deps.ts ') && !l.startsWith('shared/adapters/') && !l.startsWith('bench/'))
  assert.equal(bad, [])
})

test('the vendor SDKs behind the ports are imported only by their adapters', () => {
  const vendors = ['@google-cloud/firestore', '@google-cloud/secret-manager']
  const bad = [...g].flatMap(([f, e]) => e.packages.filter((p) => vendors.includes(p) && !f.startsWith('shared/adapters/')).map((p) => `${f} → ${p}`))
  assert.equal(bad, [])
})

test('the product (functions/, shared/, scripts/) never imports test/', () => {
  // bench/ is a harness like the suites: it runs the test servers.
  assert.equal(importers((t) => t.startsWith('test/')).filter((l) => !l.startsWith('bench/')), [])
})

test.run()
