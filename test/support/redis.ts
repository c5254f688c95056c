/**
 * A real redis-server (the Debian package) on a free loopback port, in its own
 * temp dir, no persistence; killed when the test is done or this process exits.
 * Missing redis-server: the suites that need it are skipped LOUDLY, or fail
 * under REQUIRE_ALL_COMPONENTS=1 (what .ci/run sets).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'uvu'
import { freePort, waitForPort } from './net.js'

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p)) ?? null
const INSTALL = 'apt-get install redis-server'

export interface RedisServer {
  url: string
  port: number
  /** Kills the server now (SIGKILL: no goodbye to clients), as an outage would. */
  kill(): Promise<void>
  /** Starts it again on the same port (empty: no persistence); nothing when it is running. */
  restart(): Promise<void>
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
process.once('exit', () => { for (const c of live) try { c.kill('SIGKILL') } catch {} })

export async function startRedis(): Promise<RedisServer> {
  if (!REDIS_SERVER) throw new Error(`redis-server is missing; install: ${INSTALL}`)
  const port = await freePort()
  const dir = await mkdtemp(join(tmpdir(), 'gw-redis-'))
  let child: ChildProcess | undefined
  const running = () => Boolean(child && child.exitCode === null && child.signalCode === null)
  const start = async () => {
    if (running()) return
    const c = spawn(REDIS_SERVER!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no', '--loglevel', 'warning'], { stdio: 'ignore' })
    live.add(c)
    c.once('exit', () => live.delete(c))
    child = c
    await waitForPort(port, 10_000)
  }
  const kill = async () => {
    const c = child
    if (!c || c.exitCode !== null || c.signalCode !== null) return
    const gone = new Promise((r) => c.once('exit', r))
    c.kill('SIGKILL')
    await gone
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: start,
    async stop() {
      await kill()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

let warned = false
/**
 * `test` when redis-server is installed. Otherwise a stand-in whose tests are
 * skipped (counted by uvu) after a loud warning, or fail under
 * REQUIRE_ALL_COMPONENTS=1; its hooks do not run.
 */
export function needsRedis<T>(test: Test<T>): Test<T> {
  if (REDIS_SERVER) return test
  const fail = process.env.REQUIRE_ALL_COMPONENTS === '1'
  if (!warned) {
    warned = true
    process.stderr.write(`\n${'!'.repeat(72)}\n!! redis-server is missing: the Redis rate-limit tests ${fail ? 'FAIL (REQUIRE_ALL_COMPONENTS=1)' : 'are SKIPPED'}.\n!! Install: ${INSTALL}\n${'!'.repeat(72)}\n`)
  }
  const noop = Object.assign(() => {}, { each: () => {} })
  const stand = ((name: string) => {
    if (fail) test(name, () => { throw new Error(`redis-server is missing (REQUIRE_ALL_COMPONENTS=1); install: ${INSTALL}`) })
    else test.skip(`${name} [skipped: redis-server missing]`)
  }) as unknown as Test<T>
  return Object.assign(stand, { before: noop, after: noop, only: stand, skip: test.skip, run: test.run })
}
