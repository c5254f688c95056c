/**
 * The test servers in a process of their own. The latency comparison uses
 * these: a direct SDK client then crosses a process boundary to reach the
 * server, as the gateway does, instead of calling into its own event loop.
 */
import { startLegacyServer } from '../test/servers/legacy.js'
import { startModernServer } from '../test/servers/modern.js'
import { spawnChild, type Child } from './proc.js'

export interface UpstreamProc { legacy: string; modern: string; stop(): Promise<void> }

/** Child side: start both servers and print their URLs. */
async function serve(): Promise<void> {
  const [legacy, modern] = await Promise.all([startLegacyServer(), startModernServer()])
  process.stdout.write(JSON.stringify({ legacy: legacy.url, modern: modern.url }) + '\n')
  const stop = async () => {
    await Promise.allSettled([legacy.stop(), modern.stop()])
    process.exit(0)
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  // The requests log of the test servers grows without bound: clear it now and then.
  setInterval(() => { legacy.reset(); modern.reset() }, 1000).unref()
}

export async function spawnUpstreams(): Promise<UpstreamProc> {
  const child: Child = spawnChild(['dist/bench/upstream-proc.js', '--serve'], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const urls = await new Promise<{ legacy: string; modern: string }>((resolve, reject) => {
    let buf = ''
    const t = setTimeout(() => reject(new Error(`upstream process did not start: ${child.stderr()}`)), 15_000)
    child.proc.stdout!.on('data', (c: Buffer) => {
      buf += c.toString()
      const line = buf.split('\n', 1)[0] ?? ''
      if (buf.includes('\n')) {
        clearTimeout(t)
        try { resolve(JSON.parse(line)) } catch (e) { reject(e) }
      }
    })
    child.proc.once('exit', (code) => { clearTimeout(t); reject(new Error(`upstream process exited (${code}): ${child.stderr()}`)) })
  })
  return { ...urls, stop: () => child.stop() }
}

if (process.argv.includes('--serve')) await serve()
