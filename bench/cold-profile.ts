/**
 * Where a cold start's main-thread CPU goes, by category (docs/performance.md, "Fifth round"):
 * reads the profiles `BENCH_CPU_PROF=DIR` left (one directory per spawn, with marks.json) and
 * prints, for one row, the mean milliseconds per spawn between two marks (default: the port
 * accepting → the first 2xx). Bundle frames are mapped to their sources through the chunks' maps.
 *
 *   node dist/bench/cold-profile.js DIR listing [listen|spawn] [category]
 *
 * A sample goes to the first category met walking from its frame towards the root; generic
 * Node internals (url, fs, crypto, streams, a built-in module's evaluation) are transparent, so
 * their time goes to whoever called them. With a category name, that category's frames are listed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

interface Frame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface Node { id: number; callFrame: Frame; children?: number[] }
interface Profile { nodes: Node[]; startTime: number; samples: number[]; timeDeltas: number[] }

const RULES: [string, (name: string, src: string) => boolean][] = [
  ['gc', (n) => n === '(garbage collector)'],
  ['async hooks (domain, ALS, promise hooks)', (n, u) => /^node:(domain|async_hooks|internal\/async_hooks|internal\/async_local_storage|internal\/promise_hooks)/.test(u) || /^(emitInit|emitDestroy|emitBefore|emitAfter|promiseInitHook|promiseBeforeHook|promiseAfterHook|destroyHook)/.test(n)],
  ['MCP client SDK + zod', (_, u) => /^nm\/(@modelcontextprotocol|zod|eventsource)/.test(u) || u.includes('bench/bound-client')],
  ['undici (bundled, egress)', (_, u) => u.startsWith('nm/undici')],
  ["Node's undici (fetch/Response)", (_, u) => u.startsWith('node:internal/deps/undici')],
  ['governance review', (_, u) => u.includes('shared/governance/')],
  ['audit', (_, u) => u.includes('shared/audit')],
  ['store', (_, u) => u.includes('shared/adapters/store')],
  ['auth (caller, jose)', (_, u) => u.includes('shared/auth/') || u.startsWith('nm/jose')],
  ['egress (gateway)', (_, u) => u.includes('shared/egress/')],
  ['functions framework + express', (_, u) => /^nm\/(@google-cloud\/functions-framework|express|body-parser|router|on-finished|finalhandler|raw-body|send|qs|type-is|iconv-lite|debug)/.test(u)],
  ['gateway other (shared/, functions/)', (_, u) => /(^|\/)(shared|functions)\//.test(u)],
  ['ESM loader (resolve, link, compile)', (n, u) => u.startsWith('node:internal/modules/') || /compileSourceTextModule|wrapSafe|instantiate|link/.test(n)],
  ['(program)', (n) => n === '(program)'],
]

const maps = new Map<string, SourceMap | null>()
function source(f: Frame): string {
  let url = f.url
  if (!maps.has(url)) {
    let m: SourceMap | null = null
    try {
      const file = url.startsWith('file:') ? fileURLToPath(url) : url
      if (file.includes('/dist/bundle/') && existsSync(`${file}.map`)) m = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')))
    } catch {}
    maps.set(url, m)
  }
  const e = maps.get(url)?.findEntry(f.lineNumber, f.columnNumber)
  if (e && 'originalSource' in e && e.originalSource) url = e.originalSource
  return (url || '').replace(/.*node_modules\//, 'nm/').replace(/^(\.\.\/)+/, '')
}

const [root = '.', row = 'listing', from = 'listen', detail = ''] = process.argv.slice(2)
const dirs = readdirSync(root).filter((d) => d.startsWith(`${row}-`) && /^\d+$/.test(d.slice(row.length + 1)))
const totals = new Map<string, number>()
let busy = 0
let idle = 0
let runs = 0
for (const d of dirs) {
  const marks = JSON.parse(readFileSync(join(root, d, 'marks.json'), 'utf8')) as Record<string, number>
  const file = readdirSync(join(root, d)).find((x) => x.endsWith('.cpuprofile') && x.split('.')[4] === '0') // thread 0: the main thread
  if (!file) continue
  runs++
  const p = JSON.parse(readFileSync(join(root, d, file), 'utf8')) as Profile
  const byId = new Map(p.nodes.map((x) => [x.id, x]))
  const parent = new Map<number, number>()
  for (const x of p.nodes) for (const c of x.children ?? []) parent.set(c, x.id)
  const cat = new Map<number, string>()
  const categorise = (id: number): string => {
    const known = cat.get(id)
    if (known !== undefined) return known
    const x = byId.get(id)!
    const u = source(x.callFrame)
    const n = x.callFrame.functionName
    let c = RULES.find(([, r]) => r(n, u))?.[0]
    if (c && c === detail) c = `${c} :: ${n} ${u}:${x.callFrame.lineNumber}`
    if (!c) {
      const pid = parent.get(id)
      const up = pid === undefined ? undefined : categorise(pid)
      const generic = !u.startsWith('node:') ? 'other' : /^node:(_http|http|net|internal\/(http|net|stream_base))/.test(u) ? 'node http server/sockets (no owner above)' : 'node internals (no owner above)'
      c = up === undefined || up === '(program)' || up === 'other' || up.startsWith('node ') ? generic : up
      if (up?.startsWith('node ') && generic === 'other') c = up
    }
    cat.set(id, c)
    return c
  }
  const lo = marks[from] ?? marks.spawn!
  const hi = marks.first_2xx!
  let t = p.startTime
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i]!
    if (t < lo || t > hi) continue
    const dt = p.timeDeltas[i + 1] ?? 0
    const node = byId.get(p.samples[i]!)!
    if (node.callFrame.functionName === '(idle)') {
      idle += dt
      continue
    }
    busy += dt
    const c = categorise(node.id)
    totals.set(c, (totals.get(c) ?? 0) + dt)
  }
}
const ms = (us: number) => (us / 1000 / Math.max(1, runs)).toFixed(1).padStart(7)
console.log(`${row}: ${runs} spawns, ${from} → first 2xx, main thread: busy ${ms(busy)} ms, idle ${ms(idle)} ms (means)`)
for (const [k, us] of [...totals].sort((a, b) => b[1] - a[1])) console.log(ms(us), k)
