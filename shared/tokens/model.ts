/** `tokens/{id}`: personal access tokens for agent clients. docs/storage-schema.md lists the fields. */
import type { Rec } from '../ports.js'

export const TOKENS = 'tokens'

/** What a token starts with, so secret scanners can find one. */
export const TOKEN_PREFIX = 'mgw_'

export interface TokenDoc {
  name: string
  /** The creator's sub: whose configs the token reaches. */
  owner_id: string
  /** The creator's org when it was made (its org admins may list and revoke it), else null. */
  org_id: string | null
  scopes: 'mcp'[]
  /** sha256 of the secret part, base64url: the secret itself is never stored. */
  hash: string
  created_at: number
  /** Epoch ms; past it the token reads as missing (and Firestore's TTL deletes it). */
  expires_at: number
}

const iso = (ms: number) => new Date(ms).toISOString()

/** The API view: never the secret or its hash. */
export const tokenView = (rec: Rec<TokenDoc>) => ({
  id: rec.id,
  name: rec.data.name,
  scopes: rec.data.scopes,
  owner_id: rec.data.owner_id,
  org_id: rec.data.org_id,
  created_at: iso(rec.data.created_at),
  expires_at: iso(rec.data.expires_at),
})
