/**
 * The test servers in a process of their own. The latency comparison uses
 * these: a direct SDK client then crosses a process boundary to reach the
 * server, as the gateway does, instead of calling into its own event loop.
 */
import { startLegacyServer } from '../test/servers/legacy.js'
import { startModernServer } from '../test/servers/modern.js'
import { startAskingLegacy, startAskingModern } from '../test/servers/asking.js'
import { spawnChild, type Child } from './proc.js'

/** The URLs of the servers in the child: item 1's (`legacy`, `modern`) and item 9's servers that ask (`asking_*`). */
interface Urls { legacy: string; modern: string; asking_legacy: string; asking_modern: string }
export interface UpstreamProc extends Urls { stop(): Promise<void> }

/** Child side: start the servers and print their URLs. */
async function serve(): Promise<void> {
  const [legacy, modern, askingLegacy, askingModern] = await Promise.all([startLegacyServer(), startModernServer(), startAskingLegacy(), startAskingModern()])
  process.stdout.write(JSON.stringify({ legacy: legacy.url, modern: modern.url, asking_legacy: askingLegacy.url, asking_modern: askingModern.url } satisfies Urls) + '\n')
  const stop = async () => {
    await Promise.allSettled([legacy.stop(), modern.stop(), askingLegacy.stop(), askingModern.stop()])
    process.exit(0)
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  // The requests log of the test servers grows without bound: clear it now and then.
  setInterval(() => {
    legacy.reset()
    modern.reset()
    askingLegacy.calls.length = 0
    askingModern.calls.length = 0
  }, 1000).unref()
}

export async function spawnUpstreams(): Promise<UpstreamProc> {
  const child: Child = spawnChild(['dist/bench/upstream-proc.js', '--serve'], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const urls = await new Promise<Urls>((resolve, reject) => {
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
