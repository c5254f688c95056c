/**
 * Client authentication at the token and revocation endpoints (RFC 6749
 * §2.3.1, RFC 7009 §2.1): one method per client, the same at both endpoints.
 */
import { AppError } from '../errors.js'

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const
export type AuthMethod = (typeof AUTH_METHODS)[number]

export const isAuthMethod = (m: unknown): m is AuthMethod => (AUTH_METHODS as readonly unknown[]).includes(m)

export interface ClientCreds {
  client_id: string
  client_secret?: string
}

const fits = (m: AuthMethod, secret: boolean) => (secret ? m !== 'none' : m === 'none')

/**
 * The method to use: the one the registration (or the operator's config)
 * declares; else the first the server lists that fits the client (with a
 * secret: basic or post; without: none); else RFC 8414 §2's default.
 */
export function pickAuthMethod(c: ClientCreds, declared: string | null | undefined, supported: readonly string[] | null | undefined): AuthMethod {
  if (isAuthMethod(declared)) return declared
  const secret = Boolean(c.client_secret)
  for (const m of supported ?? []) if (isAuthMethod(m) && fits(m, secret)) return m
  return secret ? 'client_secret_basic' : 'none'
}

/** What to ask for at dynamic registration: a confidential method the server lists, in its order; else none; else its default. */
export function registrationMethod(supported: readonly string[] | null | undefined): AuthMethod | undefined {
  const listed = (supported ?? []).filter(isAuthMethod)
  return listed.find((m) => m !== 'none') ?? listed[0]
}

// RFC 6749 §2.3.1: the id and secret are form-encoded before they go into Basic.
const enc = (s: string) => encodeURIComponent(s)

/** Adds the client's credentials to a token or revocation request. */
export function applyClientAuth(m: AuthMethod, c: ClientCreds, headers: Record<string, string>, body: URLSearchParams): void {
  // Only a registration response that names a secret method without a secret gets here (configs are checked when saved).
  if (m !== 'none' && !c.client_secret) throw new AppError('upstream_error', `The OAuth client has no secret for ${m}.`, { upstream: { reason: 'client_secret_missing' } })
  if (m === 'client_secret_basic') {
    headers.authorization = `Basic ${Buffer.from(`${enc(c.client_id)}:${enc(c.client_secret!)}`).toString('base64')}`
    // RFC 6749 §3.2.1 lets a client identify itself in the body too; the Python MCP SDK's server requires it with Basic.
    body.set('client_id', c.client_id)
    body.delete('client_secret')
  } else if (m === 'client_secret_post') {
    body.set('client_id', c.client_id)
    body.set('client_secret', c.client_secret!)
  } else {
    body.set('client_id', c.client_id)
    body.delete('client_secret')
  }
}
