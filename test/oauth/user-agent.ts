/**
 * The browser leg of an authorization code flow, without a browser: follows
 * the authorization server's redirects (`/auth` → `/interaction/:uid` →
 * `/auth/:uid` → …) with a cookie jar, and stops at the first redirect that
 * leaves the server's origin: that is the client's `redirect_uri` with `code`,
 * `state` and `iss` (or `error`). The final URL is returned, never requested.
 */

export interface FollowOptions {
  /** Redirects to follow before giving up. Default 10. */
  maxHops?: number
  /** Injectable fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch
}

interface Cookie { name: string; value: string; path: string }

/** RFC 6265 §5.1.4 path-match, enough for the provider's `/`, `/interaction/:uid` and `/auth/:uid` cookies. */
function pathMatches(cookiePath: string, path: string): boolean {
  return path === cookiePath || (path.startsWith(cookiePath) && (cookiePath.endsWith('/') || path[cookiePath.length] === '/'))
}

function store(jar: Map<string, Cookie>, setCookie: string, url: URL): void {
  const [pair = '', ...attrs] = setCookie.split(';')
  const eq = pair.indexOf('=')
  if (eq < 1) return
  const name = pair.slice(0, eq).trim()
  const value = pair.slice(eq + 1).trim()
  let path = url.pathname.replace(/\/[^/]*$/, '') || '/'
  let expired = false
  for (const a of attrs) {
    const [k = '', v = ''] = a.split('=').map((s) => s.trim())
    const key = k.toLowerCase()
    if (key === 'path' && v.startsWith('/')) path = v
    else if (key === 'max-age' && Number(v) <= 0) expired = true
    else if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true
  }
  const id = `${name};${path}`
  if (expired) jar.delete(id)
  else jar.set(id, { name, value, path })
}

function cookieHeader(jar: Map<string, Cookie>, url: URL): string {
  return [...jar.values()]
    .filter((c) => pathMatches(c.path, url.pathname))
    .sort((a, b) => b.path.length - a.path.length)
    .map((c) => `${c.name}=${c.value}`)
    .join('; ')
}

/**
 * Follows `authorizationUrl` until a redirect leaves its origin and returns
 * that redirect target. Throws on a non-redirect answer (the provider's error
 * page, with its status and the start of its body) or after `maxHops`.
 */
export async function followAuthorization(authorizationUrl: string, opts: FollowOptions = {}): Promise<URL> {
  const maxHops = opts.maxHops ?? 10
  const fetchFn = opts.fetch ?? globalThis.fetch
  const jar = new Map<string, Cookie>()
  let url = new URL(authorizationUrl)
  const origin = url.origin
  for (let hop = 0; hop < maxHops; hop++) {
    const cookie = cookieHeader(jar, url)
    const res = await fetchFn(url, { redirect: 'manual', headers: cookie ? { cookie } : {} })
    for (const sc of res.headers.getSetCookie()) store(jar, sc, url)
    const body = await res.text()
    const location = res.headers.get('location')
    if (res.status < 300 || res.status >= 400 || !location) {
      throw new Error(`authorization stopped at ${url.pathname} with HTTP ${res.status}: ${body.slice(0, 300)}`)
    }
    const next = new URL(location, url)
    if (next.origin !== origin) return next
    url = next
  }
  throw new Error(`authorization did not leave ${origin} within ${maxHops} redirects`)
}
