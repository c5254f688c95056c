/**
 * The fetch every upstream call goes through: the egress policy applied when a
 * connection is made (to the address actually dialled, so a second DNS answer
 * cannot differ from the checked one), keep-alive connection reuse, and a byte
 * cap on every response body. Redirects are not followed blindly.
 */
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { Agent, buildConnector, fetch as undiciFetch } from 'undici'
import { AppError } from '../errors.js'
import { addressAllowed, checkUrl, type EgressPolicy } from './policy.js'

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>

export class EgressDenied extends AppError {
  constructor(what: string) {
    super('egress_denied', `The upstream ${what}; the egress policy does not allow it.`)
  }
}

const agents = new Map<string, Agent>()

function agentFor(policy: EgressPolicy): Agent {
  const key = JSON.stringify(policy)
  let agent = agents.get(key)
  if (agent) return agent
  const base = buildConnector({ timeout: 10_000 })
  agent = new Agent({
    keepAliveTimeout: 30_000,
    connections: 128,
    connect: (opts, cb) => {
      const host = opts.hostname.replace(/^\[|\]$/g, '')
      const pick = async (): Promise<string> => {
        // Node skips `lookup` for IP literals, so literals are checked here too.
        if (isIP(host)) {
          if (!addressAllowed(policy, host, host)) throw new EgressDenied('points at a private or reserved address')
          return host
        }
        const addrs = await lookup(host, { all: true })
        const ok = addrs.find((a) => addressAllowed(policy, a.address, host))
        if (!ok) throw new EgressDenied('resolves to a private or reserved address')
        return ok.address
      }
      pick().then(
        (address) => base({ ...opts, hostname: address, servername: isIP(host) ? undefined : (opts.servername ?? host) } as any, cb),
        (err) => cb(err, null),
      )
    },
  })
  agents.set(key, agent)
  return agent
}

export interface GuardOptions {
  /** Cap on any one response body. */
  maxBytes: number
  /** Called when a body passes the cap, before the stream errors. */
  onTooLarge?: () => void
}

export class TooLarge extends AppError {
  constructor(limit: number) {
    super('upstream_response_too_large', `The upstream response exceeded ${limit} bytes.`, { limit })
  }
}

const NULL_BODY = new Set([101, 204, 205, 304])

export function guardedFetch(policy: EgressPolicy, opts: GuardOptions): FetchLike {
  const dispatcher = agentFor(policy)
  return async function guarded(input, init = {}) {
    let url = String(input instanceof URL ? input.href : input)
    for (let hop = 0; ; hop++) {
      const v = checkUrl(policy, url)
      if (!v.ok) throw new EgressDenied(`URL ${v.reason}`)
      const res = (await undiciFetch(url, { ...(init as any), dispatcher, redirect: 'manual' })) as unknown as Response
      const location = res.headers.get('location')
      // Follow only same-origin redirects that keep method and body (307/308), at most 3.
      if ((res.status === 307 || res.status === 308) && location && hop < 3) {
        const next = new URL(location, url)
        if (next.origin === new URL(url).origin && !(init.body instanceof ReadableStream)) {
          await res.body?.cancel()
          url = next.href
          continue
        }
      }
      return cap(res, opts)
    }
  }
}

function cap(res: Response, opts: GuardOptions): Response {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > opts.maxBytes) {
    void res.body?.cancel()
    opts.onTooLarge?.()
    throw new TooLarge(opts.maxBytes)
  }
  if (!res.body || NULL_BODY.has(res.status)) return res
  let n = 0
  const counted = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        n += chunk.byteLength
        if (n > opts.maxBytes) {
          opts.onTooLarge?.()
          ctl.error(new TooLarge(opts.maxBytes))
        } else ctl.enqueue(chunk)
      },
    }),
  )
  return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers })
}
