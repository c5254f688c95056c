/**
 * Spawns `@modelcontextprotocol/server-everything` over HTTP on a free loopback port.
 *
 *   const ev = await startEverything('streamableHttp')   // ev.url = http://127.0.0.1:PORT/mcp
 *   const ev = await startEverything('sse')              // ev.url = http://127.0.0.1:PORT/sse
 *   ...
 *   await ev.stop()
 *
 * The entry point is resolved relative to the installed package (not the cwd).
 * Children still alive when the test process exits are SIGKILLed by a
 * process 'exit' hook, so none is orphaned.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { freePort, waitForPort } from './net.js'

export type EverythingMode = 'streamableHttp' | 'sse'

export interface EverythingHandle {
  url: string
  port: number
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 15_000
const KILL_GRACE_MS = 2_000
const START_ATTEMPTS = 3

const live = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const c of live) {
      try { c.kill('SIGKILL') } catch { /* already gone */ }
    }
  })
}

function entryPoint(): string {
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('@modelcontextprotocol/server-everything/package.json')
  return join(dirname(pkg), 'dist', 'index.js')
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

async function stopChild(child: ChildProcess): Promise<void> {
  const done = exited(child)
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM')
    const t = setTimeout(() => { try { child.kill('SIGKILL') } catch { /* gone */ } }, KILL_GRACE_MS)
    await done
    clearTimeout(t)
  }
  live.delete(child)
}

async function startOnce(mode: EverythingMode, entry: string): Promise<EverythingHandle> {
  const port = await freePort()
  const child = spawn(process.execPath, [entry, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  live.add(child)
  installExitHook()
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000) })
  child.once('exit', () => live.delete(child))

  // Race the port against an early exit (e.g. EADDRINUSE after the freePort race).
  const early = exited(child).then(() => { throw new Error(`server-everything exited early (code ${child.exitCode}, signal ${child.signalCode}): ${stderr}`) })
  try {
    await Promise.race([waitForPort(port, START_TIMEOUT_MS), early])
  } catch (e) {
    await stopChild(child)
    throw e
  } finally {
    early.catch(() => {}) // the loser of the race must not surface as unhandled
  }

  const path = mode === 'sse' ? '/sse' : '/mcp'
  let stopping: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    stop: () => (stopping ??= stopChild(child)),
  }
}

export async function startEverything(mode: EverythingMode): Promise<EverythingHandle> {
  const entry = entryPoint()
  let last: unknown
  for (let i = 0; i < START_ATTEMPTS; i++) {
    try {
      return await startOnce(mode, entry)
    } catch (e) {
      last = e
    }
  }
  throw last
}
