/**
 * Connecting an OAuth config from the browser (docs/api.md, "OAuth"): start →
 * the user signs in at the provider in a popup → the gateway's callback page
 * posts `{type: 'oauth_callback', status, mcp_id, completion | error}` to this
 * page → complete, with the same user's token. The popup is opened before the
 * first await, inside the click that called connect(): browsers block a popup
 * that does not follow a user gesture at once. Only a message from the
 * gateway's origin, from this popup, about this config counts.
 */
import { clientError, GatewayError } from './errors.js'
import type { Gateway } from './gateway.js'
import type { McpView } from './types.js'

export interface ConnectOptions {
  /** Default true. false: the whole tab goes to the provider and comes back to `returnTo` (call finishConnect() there). */
  popup?: boolean
  /** Where the callback sends the tab without a popup, and whose origin the popup's message goes to. Default: this page. Must be on the gateway's APP_ORIGINS. */
  returnTo?: string
  /** Give up (and close the popup) after this long; default 5 minutes (the gateway's state lives 10). */
  timeoutMs?: number
  /** Extra scopes to ask for, e.g. a 409's `required_scopes` (step-up). */
  scopes?: string[]
  signal?: AbortSignal
}
export interface Connected {
  status: 'connected'
  mcp_id: string
  /** The config view after completing: `connection.state` is `connected`. */
  mcp: McpView
}
export interface Redirecting {
  status: 'redirecting'
  authorization_url: string
}

/** The parts of a browser window the flow uses (kept structural, so this compiles without the DOM typings). */
interface Popup {
  readonly closed: boolean
  close(): void
  location: { href: string }
}
interface MessageLike {
  origin: string
  source: unknown
  data: any
}
interface Win {
  open(url: string, target: string, features: string): Popup | null
  addEventListener(type: 'message', l: (e: MessageLike) => void): void
  removeEventListener(type: 'message', l: (e: MessageLike) => void): void
  location: { href: string; assign(url: string): void }
  history: { replaceState(data: unknown, unused: string, url: string): void }
}

const win = () => globalThis as unknown as Win
const POLL_MS = 250
// A message posted just before the callback page closes itself can be delivered after `closed` reads true.
const CLOSE_GRACE_MS = 1000

export function connect(gw: Gateway, id: string, o: ConnectOptions): Promise<Connected | Redirecting> {
  const w = win()
  if (o.popup === false) return redirect(gw, id, o, w)
  // Synchronously, before any await: this is what keeps the popup inside the user's gesture.
  const popup = w.open('about:blank', 'mcp-oauth', 'popup,width=520,height=720')
  if (!popup) return Promise.reject(clientError('popup_blocked', 'The sign-in popup was blocked: allow popups for this site, or connect with {popup: false}.'))
  return viaPopup(gw, id, o, w, popup)
}

async function viaPopup(gw: Gateway, id: string, o: ConnectOptions, w: Win, popup: Popup): Promise<Connected> {
  const deadline = Date.now() + (o.timeoutMs ?? 5 * 60_000)
  const gatewayOrigin = new URL(gw.baseUrl || w.location.href, w.location.href).origin
  let msg: { status: string; completion?: string; error?: string }
  try {
    const start = await gw.oauthStart(id, { return_to: o.returnTo ?? here(w), ...(o.scopes ? { scopes: o.scopes } : {}) }, { signal: o.signal })
    if (popup.closed) throw closedError()
    popup.location.href = start.authorization_url
    msg = await callback(w, popup, gatewayOrigin, id, deadline, o.signal)
  } catch (e) {
    close(popup)
    throw e
  }
  if (msg.status !== 'pending_confirmation' || typeof msg.completion !== 'string') {
    const code = typeof msg.error === 'string' && msg.error ? msg.error : 'authorization_failed'
    throw new GatewayError(0, code, `Connecting failed: ${code}.`, { code })
  }
  // Confirm as the user who started: anyone else's confirmation is refused and the tokens are discarded.
  const mcp = await gw.oauthComplete(id, msg.completion, { signal: o.signal })
  return { status: 'connected', mcp_id: id, mcp }
}

function callback(w: Win, popup: Popup, origin: string, id: string, deadline: number, signal?: AbortSignal): Promise<{ status: string; completion?: string; error?: string }> {
  return new Promise((resolve, reject) => {
    let grace: ReturnType<typeof setTimeout> | undefined
    const onMessage = (e: MessageLike) => {
      if (e.origin !== origin || e.source !== popup) return
      const d = e.data
      if (!d || typeof d !== 'object' || d.type !== 'oauth_callback' || d.mcp_id !== id) return
      stop()
      resolve(d)
    }
    const fail = (e: unknown) => {
      stop()
      reject(e)
    }
    const poll = setInterval(() => {
      if (Date.now() >= deadline) return fail(clientError('oauth_timeout', 'The sign-in did not finish in time.'))
      if (popup.closed && grace === undefined) grace = setTimeout(() => fail(closedError()), CLOSE_GRACE_MS)
    }, POLL_MS)
    const onAbort = () => fail(signal!.reason ?? clientError('aborted', 'Aborted.'))
    const stop = () => {
      clearInterval(poll)
      clearTimeout(grace)
      w.removeEventListener('message', onMessage)
      signal?.removeEventListener('abort', onAbort)
    }
    w.addEventListener('message', onMessage)
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** This page, as the gateway takes it (at most 2048 characters; else the origin's root). */
function here(w: Win): string {
  const href = w.location.href.split('#')[0]!
  return href.length <= 2048 ? href : `${new URL(href).origin}/`
}

const closedError = () => clientError('popup_closed', 'The sign-in window was closed before it finished.')

function close(p: Popup) {
  try {
    if (!p.closed) p.close()
  } catch {
    // A window we may no longer touch: nothing to do.
  }
}

async function redirect(gw: Gateway, id: string, o: ConnectOptions, w: Win): Promise<Redirecting> {
  const start = await gw.oauthStart(id, { return_to: o.returnTo ?? here(w), ...(o.scopes ? { scopes: o.scopes } : {}) }, { signal: o.signal })
  w.location.assign(start.authorization_url)
  return { status: 'redirecting', authorization_url: start.authorization_url }
}

const PARAMS = ['oauth_status', 'oauth_error', 'mcp_id', 'completion']

export async function finishConnect(gw: Gateway): Promise<Connected | null> {
  const w = win()
  const u = new URL(w.location.href)
  const status = u.searchParams.get('oauth_status')
  if (!status) return null
  const [id, completion, error] = [u.searchParams.get('mcp_id'), u.searchParams.get('completion'), u.searchParams.get('oauth_error')]
  for (const k of PARAMS) u.searchParams.delete(k)
  // Keep the single-use completion out of the history and bookmarks.
  w.history.replaceState(null, '', `${u.pathname}${u.search}${u.hash}`)
  if (status !== 'pending_confirmation' || !id || !completion) {
    const code = error || 'authorization_failed'
    throw new GatewayError(0, code, `Connecting failed: ${code}.`, { code, mcp_id: id })
  }
  const mcp = await gw.oauthComplete(id, completion)
  return { status: 'connected', mcp_id: id, mcp }
}
