/**
 * One HTTP request exactly as written: any path (already percent-encoded),
 * duplicate headers, a raw body. fetch would normalise all three, which is
 * what the fuzz suite must not let it do.
 */
import { Agent, request } from 'node:http'

export interface RawReq {
  method: string
  /** The request target as sent, e.g. `/api/v1/mcps/%2e%2e?x=1`. */
  path: string
  /** An array value sends the header once per element. */
  headers?: Record<string, string | string[]>
  body?: string | Buffer
}

export interface RawRes {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 })

export function raw(base: string, r: RawReq, timeoutMs = 30_000): Promise<RawRes> {
  const u = new URL(base)
  const headers = { ...r.headers }
  // Without a length, Node sends a GET or DELETE body unframed, and the server reads it as the next request.
  if (r.body !== undefined && !Object.keys(headers).some((k) => /^(content-length|transfer-encoding)$/i.test(k))) headers['content-length'] = String(Buffer.byteLength(r.body))
  return new Promise((resolve, reject) => {
    const q = request({ host: u.hostname, port: u.port, method: r.method, path: r.path, headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: any
        try {
          json = text ? JSON.parse(text) : undefined
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
      })
      res.on('error', reject)
    })
    q.on('timeout', () => q.destroy(new Error(`no answer within ${timeoutMs} ms: ${r.method} ${r.path.slice(0, 200)}`)))
    q.on('error', reject)
    q.end(r.body)
  })
}

/** Close the kept-alive sockets (end of a suite). */
export const closeRaw = () => agent.destroy()
