/**
 * Helpers for the stdio pool tests: a catalog pointing at the real installed
 * servers (plus a tiny fake that hangs, crashes, streams progress or writes
 * stderr on command), spec headers, service tokens, and an orphan check that
 * finds every process whose working directory is under a pool data dir.
 */
import { mkdtemp, readdir, readlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Deps } from '../../shared/deps.js'
import { serviceToken } from '../../shared/auth/service-token.js'
import { encodeSpec } from '../../shared/stdio-pool/spec.js'
import type { PoolSpec } from '../../shared/stdio-pool/spec.js'

const require = createRequire(import.meta.url)
const script = (pkg: string) => require.resolve(`${pkg}/dist/index.js`)

/** A stdio MCP server that does what its tools say; CommonJS, no dependencies. */
export const FAKE_SERVER = String.raw`
const { spawn } = require('node:child_process')
const rl = require('node:readline').createInterface({ input: process.stdin })
const send = (m) => process.stdout.write(JSON.stringify(m) + '\n')
if (process.env.FAKE_TOKEN) process.stderr.write('starting with token ' + process.env.FAKE_TOKEN + '\n')
const cancelled = []
const tools = ['echo', 'pid', 'env', 'cwd', 'hang', 'crash', 'stderr', 'progress', 'grandchild', 'cancelled', 'flood', 'write'].map((name) => ({ name, inputSchema: { type: 'object' } }))
rl.on('line', (line) => {
  const m = JSON.parse(line)
  if (m.method === 'initialize') return send({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {}, logging: {} }, serverInfo: { name: 'fake', version: '1.0.0' } } })
  if (m.method === 'notifications/cancelled') cancelled.push(m.params.requestId)
  if (m.id === undefined) return
  const ok = (text) => send({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: String(text) }] } })
  if (m.method === 'ping') return send({ jsonrpc: '2.0', id: m.id, result: {} })
  if (m.method === 'tools/list') return send({ jsonrpc: '2.0', id: m.id, result: { tools } })
  if (m.method !== 'tools/call') return send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no ' + m.method } })
  const a = m.params.arguments || {}
  switch (m.params.name) {
    case 'echo': return setTimeout(() => ok(a.text), a.delay_ms || 0)
    case 'pid': return ok(process.pid)
    case 'env': return ok(JSON.stringify(process.env))
    case 'cwd': return ok(process.cwd())
    case 'write': require('node:fs').writeFileSync(String(a.name || 'data.bin').replace(/[^A-Za-z0-9._-]/g, '_'), Buffer.alloc(a.bytes || 0, 120)); return ok('wrote ' + (a.bytes || 0))
    case 'hang': return
    case 'crash': return setTimeout(() => process.exit(3), a.delay_ms || 0)
    case 'stderr':
      for (let i = 0; i < (a.lines || 1); i++) process.stderr.write('line ' + i + ' ' + (a.text || '') + '\n')
      return ok('written')
    case 'progress': {
      const token = m.params._meta && m.params._meta.progressToken
      let i = 0
      const t = setInterval(() => {
        i++
        if (token !== undefined) send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i, total: a.steps } })
        if (i >= a.steps) { clearInterval(t); ok('steps ' + a.steps) }
      }, a.every_ms || 20)
      return
    }
    case 'cancelled': return ok(JSON.stringify(cancelled))
    case 'flood': {
      // count notifications as fast as the pipe takes them: progress (with the call's token), log lines or list_changed.
      const token = m.params._meta && m.params._meta.progressToken
      for (let i = 0; i < Math.min(a.count || 0, 1000000); i++) {
        if (a.kind === 'log') send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'line ' + i } })
        else if (a.kind === 'list_changed') send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })
        else send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token === undefined ? 'none' : token, progress: i, total: a.count } })
      }
      return ok('flooded')
    }
    case 'grandchild': {
      const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
      return ok(c.pid)
    }
    default: return send({ jsonrpc: '2.0', id: m.id, error: { code: -32602, message: 'unknown tool ' + m.params.name } })
  }
})
`

export interface TestCatalog { dir: string; file: string; fake: string }

/** Writes the fake server and a catalog of everything, filesystem, memory and fake into a temp dir. */
export async function writeTestCatalog(limits: { fake?: Record<string, number> } = {}): Promise<TestCatalog> {
  const dir = await mkdtemp(join(tmpdir(), 'pool-cat-'))
  const fake = join(dir, 'fake-mcp.cjs')
  await writeFile(fake, FAKE_SERVER)
  const node = process.execPath
  const servers = [
    { id: 'everything', command: node, args: [script('@modelcontextprotocol/server-everything'), 'stdio'], limits: { max_per_owner: 2, request_timeout_ms: 30_000 } },
    {
      id: 'filesystem', command: node, args: [script('@modelcontextprotocol/server-filesystem')],
      // The shipped example's safe form: a directory inside the process's own home.
      params: { root: { kind: 'path', create: 'dir', schema: { type: 'string', pattern: '^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$', maxLength: 200 }, required: true } },
    },
    { id: 'memory', command: node, args: [script('@modelcontextprotocol/server-memory')], fixed_env: { MEMORY_FILE_PATH: '{home}/memory.jsonl' } },
    {
      id: 'fake', command: node, args: [fake],
      env: { FAKE_TOKEN: { secret: true } },
      limits: { max_processes: 10, max_per_owner: 2, idle_ttl_ms: 60_000, request_timeout_ms: 1500, ...limits.fake },
    },
  ]
  const file = join(dir, 'catalog.json')
  await writeFile(file, JSON.stringify({ servers }, null, 2))
  return { dir, file, fake }
}

/** A spec for the fake server. */
export const fakeSpec = (owner: string, mcp_id: string, env: Record<string, string> = {}): PoolSpec => ({ owner, mcp_id, choice: { catalog_id: 'fake', params: {}, env } })

/** Request headers for the pool's MCP endpoint. */
export async function poolHeaders(d: Deps, spec: PoolSpec): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await serviceToken(d, d.config.poolAudience!)}`, 'x-stdio-spec': encodeSpec(spec) }
}

/** Pids of every live process whose working directory is under `dir` (the pool's children and theirs). */
export async function processesUnder(dir: string): Promise<number[]> {
  const out: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cwd = await readlink(`/proc/${name}/cwd`)
      if (cwd === dir || cwd.startsWith(dir + '/')) out.push(Number(name))
    } catch {
      // gone, or not ours
    }
  }
  return out
}

/** Waits until no process is left under `dir`; returns the survivors after `timeoutMs`. */
export async function settledUnder(dir: string, timeoutMs = 3000): Promise<number[]> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const left = await processesUnder(dir)
    if (!left.length || Date.now() > until) return left
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** True while `pid` exists (zombies count as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/\) Z /.test(require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** The text of a tools/call response. */
export const text = (m: { result?: any }) => m.result?.content?.[0]?.text as string
