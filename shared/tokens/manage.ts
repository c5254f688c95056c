/**
 * Personal access tokens: created (the secret shown once), listed without
 * their secret, revoked. The owner manages their own; an org admin lists and
 * revokes the tokens of their org's members. Anyone else's token is a 404.
 */
import { createHash } from 'node:crypto'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { newId, newToken } from '../ids.js'
import { check } from '../validate.js'
import { TOKEN_PREFIX, TOKENS, tokenView, type TokenDoc } from './model.js'
import { createTokenBody, DEFAULT_EXPIRES_IN, listTokensQuery } from './schema.js'
import { forgetToken } from './verify.js'
import { audit } from '../audit.js'

/** Live tokens a user may hold at once. */
export const MAX_TOKENS_PER_USER = 50

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('base64url')

const ownerOf = (owner: string) => ({ field: 'owner_id', in: [owner] })

export async function createToken(d: Deps, caller: Caller, body: unknown) {
  const b = check<{ name: string; expires_in?: number; scopes?: 'mcp'[] }>(createTokenBody, body)
  const store = await d.store()
  const mine = await store.list<TokenDoc>(TOKENS, { where: ownerOf(caller.sub), limit: MAX_TOKENS_PER_USER })
  if (mine.items.length >= MAX_TOKENS_PER_USER)
    throw new AppError('quota_exceeded', `You hold ${MAX_TOKENS_PER_USER} tokens: revoke one first.`, { limit: MAX_TOKENS_PER_USER })
  const id = newId()
  const secret = newToken()
  const now = d.clock.now()
  const rec = await store.create<TokenDoc>(TOKENS, id, {
    name: b.name, owner_id: caller.sub, org_id: caller.org ?? null, scopes: ['mcp'], hash: hashSecret(secret),
    created_at: now, expires_at: now + (b.expires_in ?? DEFAULT_EXPIRES_IN) * 1000,
  })
  audit(d, { actor: caller.sub, org: caller.org ?? null, action: 'token.create', mcp_id: '', token_id: id, outcome: 'ok', duration_ms: 0 })
  // The id is part of the token, so a check is one read by id, never a search by hash.
  return { ...tokenView(rec), token: `${TOKEN_PREFIX}${id}_${secret}` }
}

export async function listTokens(d: Deps, caller: Caller, query: URLSearchParams) {
  const q = check<{ scope?: 'mine' | 'org'; cursor?: string }>(listTokensQuery, Object.fromEntries(query), 'query')
  const store = await d.store()
  if (q.scope === 'org') {
    if (!caller.org || !caller.admin) throw new AppError('forbidden', 'Only an org admin can list the org\'s tokens.')
    const page = await store.list<TokenDoc>(TOKENS, { where: { field: 'org_id', in: [caller.org] }, limit: 100, cursor: q.cursor })
    return { items: page.items.map(tokenView), next_cursor: page.next }
  }
  const page = await store.list<TokenDoc>(TOKENS, { where: ownerOf(caller.sub), limit: 100, cursor: q.cursor })
  return { items: page.items.map(tokenView), next_cursor: page.next }
}

/** Who may see or revoke a token: its owner, or an admin of the org it was made in. */
const manages = (doc: TokenDoc, c: Caller) => doc.owner_id === c.sub || (Boolean(c.org) && c.admin && doc.org_id === c.org)

export async function revokeToken(d: Deps, caller: Caller, id: string): Promise<void> {
  const store = await d.store()
  const rec = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await store.get<TokenDoc>(TOKENS, id) : null
  if (!rec || !manages(rec.data, caller)) throw new AppError('not_found', 'No such token.')
  await store.delete(TOKENS, id)
  forgetToken(id)
  audit(d, { actor: caller.sub, org: caller.org ?? null, action: 'token.revoke', mcp_id: '', token_id: id, outcome: 'ok', duration_ms: 0 })
}


