/**
 * Pin records (docs/storage-schema.md lists them): what was approved, per
 * config and kind. Shared by pins.ts (reading and writing them) and
 * assess.ts (judging definitions against them).
 */
import type { Finding } from './scanner.js'

export const PINS = 'pins'
export type PinKind = 'tool' | 'prompt' | 'resource'
export const PIN_KINDS: readonly PinKind[] = ['tool', 'prompt', 'resource']

export interface PinEntry {
  /** Name, or URI for resources. */
  key: string
  fingerprint: string
  /** Fingerprint without the name (or URI): how a rename is recognised. */
  shape: string
  /** The scanner found something critical in this version. */
  critical: boolean
  /** Approved with `acknowledge_findings`: a critical finding no longer blocks this version. */
  acknowledged: boolean
  /** `first_use`: in the set recorded when the owner or an admin first used the config; `approve`: approved explicitly. */
  how: 'first_use' | 'approve'
  by: string
  at: number
  /** The approved definition's covered fields, for diffs (left out when the record would grow too big). */
  definition?: Record<string, unknown>
  /** The scanner's findings on this version when it was approved (at most 16). */
  findings?: Finding[]
}

export interface PinsDoc {
  mcp_id: string
  kind: PinKind
  /** Which server the pins are for (a digest of type, endpoint and catalog id): pins of another read as none. */
  upstream: string
  /** When the first set was recorded; null while only explicit approvals exist. */
  baseline: { at: number; by: string; fingerprint: string } | null
  entries: PinEntry[]
  updated_at: number
}

/** A pins record as read, indexed. Its identity changes with every read or write. */
export interface PinsSnap {
  doc: PinsDoc
  byKey: Map<string, PinEntry>
  byShape: Map<string, string[]>
}
