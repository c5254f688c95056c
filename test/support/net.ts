import { createServer, connect } from 'node:net'

/** A free loopback port (racy by nature; callers retry on EADDRINUSE where it matters). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** Resolves once something accepts TCP connections on the port; bounded by `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 15000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((r) => {
      const c = connect(port, '127.0.0.1')
      c.once('connect', () => { c.destroy(); r(true) })
      c.once('error', () => r(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`)
}
