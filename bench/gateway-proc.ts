/**
 * The gateway as a child process in local mode (`node dist/scripts/local.js`),
 * on a free loopback port with its own DATA_DIR. Tokens come from the dev key
 * that the gateway writes into DATA_DIR.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../shared/config.js'
import { devToken } from '../shared/auth/dev-token.js'
import { freePort, waitForPort } from '../test/support/net.js'
import { memOf, resetPeak, spawnChild, type Child } from './proc.js'

export interface GatewayProc {
  base: string
  pid: number
  token(user: string, claims?: { org?: string }): Promise<string>
  mem(): ReturnType<typeof memOf>
  /** Distinct warning lines the gateway printed to stderr (e.g. MaxListenersExceededWarning). */
  warnings(): string[]
  resetPeak(): boolean
  /** A new process on the same port and data dir: a cold instance that keeps what the store learned. */
  restart(): Promise<void>
  stop(): Promise<void>
}

async function start(port: number, dataDir: string, env: Record<string, string>): Promise<Child> {
  let child: Child | undefined
  try {
    // BENCH_CPU_PROF=DIR: the gateway writes a CPU profile there when it stops (warm-path items, e.g. bench:agent).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
    child = spawnChild([...prof, 'dist/scripts/local.js'], {
      // The listing item registers a fresh MCP per cold sample (about 140 in a full run): past the default config quota.
      env: { ...process.env, GATEWAY_MODE: 'local', PORT: String(port), DATA_DIR: dataDir, METADATA_SERVER_DETECTION: 'none', QUOTA_CONFIGS_PER_USER: '100000', ...env },
    })
    const exited = new Promise<never>((_, rej) => child!.proc.once('exit', (c) => rej(new Error(`gateway exited (${c}): ${child!.stderr()}`))))
    await Promise.race([waitForPort(port, 20_000), exited])
    return child
  } catch (e) {
    await child?.stop()
    throw e
  }
}

/** `env`: extra settings for the child (e.g. rate limits). */
export async function spawnGateway(env: Record<string, string> = {}): Promise<GatewayProc> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-bench-'))
  const port = await freePort()
  let c: Child
  try {
    c = await start(port, dataDir, env)
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true })
    throw e
  }
  const config = parseConfig({ GATEWAY_MODE: 'local', DATA_DIR: dataDir })
  return {
    base: `http://127.0.0.1:${port}/api/v1`,
    get pid() { return c.pid },
    token: (user, claims = {}) => devToken(config, { user, ttlSec: 3600, ...claims }),
    mem: () => memOf(c.pid),
    warnings: () => [...new Set(c.stderr().split('\n').filter((l) => /warning/i.test(l) && !/--trace-warnings/.test(l)).map((l) => l.replace(/^\(node:\d+\) /, '').replace(/\d+ (abort )?listeners added/, 'N $1listeners added')))],
    resetPeak: () => resetPeak(c.pid),
    async restart() {
      await c.stop()
      c = await start(port, dataDir, env)
    },
    async stop() {
      await c.stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
