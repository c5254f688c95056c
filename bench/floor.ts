/**
 * The floor under the execute ratio: a direct warm SDK session through a
 * minimal pass-through proxy (one more Node HTTP hop, keep-alive, nothing
 * else: no auth, no MCP client, no logging) against the same session straight
 * to the server, interleaved. What any Node gateway on this machine pays
 * before it does anything of its own.
 */
import { createServer } from 'node:http'
import { Agent, request } from 'undici'
import { interleave, type Summary } from './stats.js'
import { warmClient, type Era } from './direct.js'
import { spawnChild } from './proc.js'
import { waitForPort, freePort } from '../test/support/net.js'

export interface FloorResult {
  server: string
  proxy: Summary
  direct_warm: Summary
  /** proxy p50 / direct p50 */
  ratio_p50: number
}

/** Child side: `--proxy PORT ORIGIN` forwards every request to ORIGIN, whole bodies, keep-alive. */
function proxy(port: number, origin: string): void {
  const agent = new Agent({ keepAliveTimeout: 30_000 })
  const HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'])
  createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP.has(k))) as Record<string, string>
      const r = await request(origin + req.url, { method: req.method as 'POST', headers, body: chunks.length ? Buffer.concat(chunks) : undefined, dispatcher: agent })
      const body = Buffer.from(await r.body.arrayBuffer())
      const out = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !HOP.has(k)))
      res.writeHead(r.statusCode, { ...out, 'content-length': String(body.length) }).end(body)
    } catch {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    }
  }).listen(port, '127.0.0.1')
}

export async function floor(server: string, url: string, era: Era, o: { rounds: number; warmup: number }): Promise<FloorResult> {
  const target = new URL(url)
  const port = await freePort()
  const child = spawnChild(['dist/bench/floor.js', '--proxy', String(port), target.origin], { env: { ...process.env } })
  try {
    await waitForPort(port, 10_000)
    const direct = await warmClient(url, era)
    const via = await warmClient(`http://127.0.0.1:${port}${target.pathname}`, era)
    try {
      const r = await interleave({ proxy: () => via.call(), direct_warm: () => direct.call() }, o)
      return { server, proxy: r.proxy, direct_warm: r.direct_warm, ratio_p50: r.proxy.p50 / r.direct_warm.p50 }
    } finally {
      await Promise.allSettled([direct.close(), via.close()])
    }
  } finally {
    await child.stop()
  }
}

const at = process.argv.indexOf('--proxy')
if (at > 0) proxy(Number(process.argv[at + 1]), process.argv[at + 2] ?? '')
