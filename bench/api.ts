/** The few gateway calls the bench makes, over plain fetch (keep-alive, bounded by a timeout). */

export interface Api {
  register(name: string, endpoint: string, extra?: Record<string, unknown>): Promise<string>
  /** POST execute; true when 200 and the tool did not fail. */
  execute(id: string, tool: string, args: Record<string, unknown>): Promise<boolean>
  /** GET tools; true when 200 with a non-empty list. */
  listTools(id: string): Promise<boolean>
}

export const ECHO = { message: 'bench' }
const TIMEOUT_MS = 15_000

export function api(base: string, token: string): Api {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  return {
    async register(name, endpoint, extra = {}) {
      const r = await fetch(`${base}/mcps`, {
        method: 'POST', headers, signal: AbortSignal.timeout(TIMEOUT_MS),
        body: JSON.stringify({ name, type: 'http', endpoint, ...extra }),
      })
      const text = await r.text()
      if (r.status !== 201) throw new Error(`register ${name}: ${r.status} ${text}`)
      return JSON.parse(text).id as string
    },
    async execute(id, tool, args) {
      const r = await fetch(`${base}/mcps/${id}/tools/${tool}/execute`, {
        method: 'POST', headers, signal: AbortSignal.timeout(TIMEOUT_MS), body: JSON.stringify({ arguments: args }),
      })
      const text = await r.text()
      return r.status === 200 && JSON.parse(text).is_error === false
    },
    async listTools(id) {
      const r = await fetch(`${base}/mcps/${id}/tools`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) })
      const text = await r.text()
      return r.status === 200 && JSON.parse(text).tools.length > 0
    },
  }
}
