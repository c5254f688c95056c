// Who the console acts as. Local mode: a dev token (from `npm start`'s URL
// fragment, or pasted). Production: Firebase Auth, signed in with email and
// password through the Identity Toolkit REST API (no SDK, no CDN), configured by
// /config.json, which the deploy writes from Terraform outputs. Tokens live in
// sessionStorage at most: gone when the tab closes.

const KEY = 'mcp-gateway-console'

const load = () => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? 'null')
  } catch {
    return null
  }
}
const save = (s) => (s ? sessionStorage.setItem(KEY, JSON.stringify(s)) : sessionStorage.removeItem(KEY))

/** The claims of a JWT, unverified (for display only: the gateway verifies). */
export function claims(jwt) {
  try {
    const p = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
    return JSON.parse(decodeURIComponent(escape(atob(p))))
  } catch {
    return null
  }
}

/** `#token=...` in the address (npm start prints such a URL): taken into sessionStorage and removed from the address bar. */
export function takeFragmentToken() {
  const m = /(?:^#|&)token=([A-Za-z0-9._-]+)/.exec(location.hash)
  if (!m) return false
  history.replaceState(null, '', location.pathname + location.search)
  return setDevToken(m[1])
}

/** A pasted dev token: kept if it looks like a JWT that has not expired. */
export function setDevToken(t) {
  const c = claims(t.trim())
  if (!c?.sub) return false
  if (typeof c.exp === 'number' && c.exp * 1000 < Date.now()) return false
  save({ kind: 'dev', token: t.trim() })
  return true
}

export const signedIn = () => Boolean(load())
export const signOut = () => save(null)
export const user = () => {
  const s = load()
  return s ? claims(s.token) : null
}

const IDT = 'https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword'
const STS = 'https://securetoken.googleapis.com/v1/token'

/** Firebase Auth email/password sign-in (Identity Toolkit REST). Throws Error(code) on failure. */
export async function firebaseSignIn(cfg, email, password) {
  const r = await fetch(`${IDT}?key=${encodeURIComponent(cfg.api_key)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  })
  const b = await r.json().catch(() => ({}))
  if (!r.ok) throw new Error(b?.error?.message ?? `sign-in failed (${r.status})`)
  save({ kind: 'firebase', token: b.idToken, refresh: b.refreshToken, exp: Date.now() + Number(b.expiresIn) * 1000, api_key: cfg.api_key })
}

async function refresh(s) {
  const r = await fetch(`${STS}?key=${encodeURIComponent(s.api_key)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: s.refresh }),
  })
  const b = await r.json().catch(() => ({}))
  if (!r.ok) {
    save(null)
    throw new Error('Your session has ended: sign in again.')
  }
  const n = { ...s, token: b.id_token, refresh: b.refresh_token, exp: Date.now() + Number(b.expires_in) * 1000 }
  save(n)
  return n
}

/** The ID token for the next request (a Firebase one is refreshed a minute before it expires). */
export async function token() {
  let s = load()
  if (!s) throw new Error('Not signed in.')
  if (s.kind === 'firebase' && s.exp - 60_000 < Date.now()) s = await refresh(s)
  return s.token
}
