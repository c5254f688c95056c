/** Quota records (docs/storage-schema.md): one config counter per tenant, one vault-write window per user. */
import { createHash } from 'node:crypto'

/** `quotas/{quotaId(tenant)}`: how many configs a tenant holds, kept exact by transactions. */
export const QUOTAS = 'quotas'
export interface QuotaRec {
  tenant: string
  configs: number
  updated_at: number
}

/** `rate_limits/{rateId(sub)}`: one user's vault writes in the current minute. */
export const RATES = 'rate_limits'
export interface RateRec {
  window_start: number
  count: number
  expires_at: number
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 40)
export const quotaId = (tenant: string) => digest(`configs\u0000${tenant}`)
export const rateId = (sub: string) => digest(`vault_writes\u0000${sub}`)
