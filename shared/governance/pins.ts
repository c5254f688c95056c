/**
 * Approved definitions, per config and kind (`pins/{kind}.{mcp_id}`,
 * docs/storage-schema.md). Pins belong to the config, not to a user: the
 * approval is its owner's, or an org admin's for an org config, and binds
 * everyone who uses it.
 *
 * Read through a per-instance cache (5 minutes), so a warm execute reads no
 * more than the config. A cached copy can only be behind: approvals add or
 * replace entries, nothing revokes one. So a verdict other than `approved`
 * is checked against the store again before anyone is refused.
 */
import { createHash } from 'node:crypto'
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import type { Rec } from '../ports.js'
import type { McpConfig } from '../registry/model.js'
import { coveredView } from './definition.js'
import type { Assessed } from './assess.js'
import { shapeOf } from './assess.js'
import { PIN_KINDS, PINS, type PinEntry, type PinKind, type PinsDoc, type PinsSnap } from './model.js'

/**
 * As stored: the entries as one JSON text, so a definition's member names are
 * never document field names (Firestore refuses some, and indexes every field).
 */
interface PinsRecord extends Omit<PinsDoc, 'entries'> { entries: string }

const toRecord = (doc: PinsDoc): PinsRecord => ({ ...doc, entries: JSON.stringify(doc.entries) })
const fromRecord = (r: PinsRecord): PinsDoc => ({ ...r, entries: JSON.parse(r.entries) as PinEntry[] })

/** Entries per record: a server listing more than this cannot have the rest pinned. */
export const MAX_PINNED = 2000
/** Definitions and findings are left out of the biggest entries past this, then entries (Firestore's documents hold 1 MiB). */
const BUDGET = 900_000
const MAX_FINDINGS = 16
const TTL = 5 * 60_000

// Bounded in entries and in bytes (the size of each record's entries as stored).
const mem = new Lru<PinsSnap | null>(3000, Date.now, 64 * 1024 * 1024)
const weight = (s: PinsSnap | null, stored?: string) => (s ? (stored ?? JSON.stringify(s.doc.entries)).length + 200 : 50)
export const pinsId = (kind: PinKind, mcpId: string) => `${kind}.${mcpId}`

/** Pins are for the server the config points at: changing the endpoint (or the stdio entry) starts afresh. */
export const upstreamOf = (doc: McpConfig) =>
  createHash('sha256').update(`${doc.type}\u0000${doc.endpoint}\u0000${doc.config.catalog_id ?? ''}`).digest('base64url').slice(0, 22)

function snapOf(doc: PinsDoc): PinsSnap {
  const byKey = new Map<string, PinEntry>()
  const byShape = new Map<string, string[]>()
  for (const e of doc.entries) {
    byKey.set(e.key, e)
    const s = byShape.get(e.shape)
    if (s) s.push(e.key)
    else byShape.set(e.shape, [e.key])
  }
  return { doc, byKey, byShape }
}

const forThis = (s: PinsSnap | null, rec: Rec<McpConfig>) => (s && s.doc.upstream === upstreamOf(rec.data) ? s : null)

/** The config's pins of one kind (null: none, or for another server). `fresh` skips the cache. */
export async function loadPins(d: Deps, kind: PinKind, rec: Rec<McpConfig>, o: { fresh?: boolean } = {}): Promise<PinsSnap | null> {
  const id = pinsId(kind, rec.id)
  if (!o.fresh) {
    const hit = mem.get(id)
    if (hit !== undefined) return forThis(hit, rec)
  }
  const r = await (await d.store()).get<PinsRecord>(PINS, id)
  const snap = r ? snapOf(fromRecord(r.data)) : null
  mem.set(id, snap, TTL, weight(snap, r?.data.entries))
  return forThis(snap, rec)
}

function entryOf(kind: PinKind, a: Assessed, by: string, at: number, how: PinEntry['how'], acknowledged: boolean): PinEntry {
  return {
    key: a.key, fingerprint: a.fingerprint, shape: shapeOf(kind, a.def), critical: a.critical, acknowledged: a.critical && acknowledged, how, by, at,
    definition: coveredView(kind, a.def),
    findings: a.findings.slice(0, MAX_FINDINGS),
  }
}

/** Keeps the record under Firestore's document limit: the biggest entries lose their kept definition and findings first. */
function fit(doc: PinsDoc): PinsDoc {
  const stored = () => Buffer.byteLength(JSON.stringify(toRecord(doc)))
  let size = stored()
  if (size <= BUDGET) return doc
  // Sizes as they are stored: JSON text inside a JSON string, quotes escaped.
  const heavy = doc.entries
    .map((e, i) => [i, Buffer.byteLength(JSON.stringify(JSON.stringify([e.definition ?? null, e.findings ?? []])))] as const)
    .sort((a, b) => b[1] - a[1])
  for (const [i, n] of heavy) {
    if (size <= BUDGET && (size = stored()) <= BUDGET) break
    const { definition: _d, findings: _f, ...rest } = doc.entries[i]!
    doc.entries[i] = rest
    size -= n
  }
  // Still too big (thousands of long names): the last entries stay unpinned, so they read as pending.
  while (doc.entries.length && stored() > BUDGET) doc.entries.length = Math.floor(doc.entries.length * 0.9)
  return doc
}

async function write(d: Deps, kind: PinKind, rec: Rec<McpConfig>, change: (base: PinsDoc | null) => PinsDoc | null): Promise<PinsSnap | null> {
  const id = pinsId(kind, rec.id)
  const up = upstreamOf(rec.data)
  const doc = await (await d.store()).transact(async (tx) => {
    const cur = await tx.get<PinsRecord>(PINS, id)
    const base = cur && cur.data.upstream === up ? fromRecord(cur.data) : null
    const next = change(base)
    if (next && next !== base) tx.set(PINS, id, toRecord(fit(next)))
    return next
  })
  const snap = doc ? snapOf(doc) : null
  mem.set(id, snap, TTL, weight(snap))
  return snap
}

const fresh = (kind: PinKind, rec: Rec<McpConfig>, now: number): PinsDoc => ({ mcp_id: rec.id, kind, upstream: upstreamOf(rec.data), baseline: null, entries: [], updated_at: now })

/**
 * Records the first set: every definition listed (or first seen by a call)
 * when the owner, or an org admin, first used the config. Once per config
 * and kind; a concurrent first use elsewhere wins and is returned.
 */
export async function pinFirstSet(d: Deps, kind: PinKind, rec: Rec<McpConfig>, caller: Caller, items: readonly Assessed[], setFingerprint: string): Promise<PinsSnap | null> {
  const now = d.clock.now()
  return write(d, kind, rec, (base) => {
    if (base?.baseline) return base
    const doc = base ? { ...base, entries: [...base.entries] } : fresh(kind, rec, now)
    const have = new Set(doc.entries.map((e) => e.key))
    for (const a of items) {
      if (doc.entries.length >= MAX_PINNED) break
      if (have.has(a.key)) continue
      have.add(a.key)
      doc.entries.push(entryOf(kind, a, caller.sub, now, 'first_use', false))
    }
    return { ...doc, baseline: { at: now, by: caller.sub, fingerprint: setFingerprint }, updated_at: now }
  })
}

/** Approves exactly these versions (the caller has checked that they are the current ones). */
export async function approvePins(d: Deps, kind: PinKind, rec: Rec<McpConfig>, caller: Caller, items: readonly Assessed[], acknowledged: boolean): Promise<PinsSnap | null> {
  const now = d.clock.now()
  const snap = await write(d, kind, rec, (base) => {
    const doc = base ? { ...base, entries: [...base.entries] } : fresh(kind, rec, now)
    const at = new Map(doc.entries.map((e, i) => [e.key, i]))
    for (const a of items) {
      const e = entryOf(kind, a, caller.sub, now, 'approve', acknowledged)
      const i = at.get(a.key)
      if (i !== undefined) doc.entries[i] = e
      else {
        if (doc.entries.length >= MAX_PINNED) throw new AppError('conflict', `At most ${MAX_PINNED} definitions of one kind can be approved per MCP server.`)
        at.set(a.key, doc.entries.length)
        doc.entries.push(e)
      }
    }
    return { ...doc, updated_at: now }
  })
  if (!items.every((a) => snap?.byKey.get(a.key)?.fingerprint === a.fingerprint))
    throw new AppError('conflict', 'The pinned definitions of this MCP server fill their record; these could not be added.')
  return snap
}

/** With the config: its pins go too (best effort; pins of a deleted config are never read again). */
export async function deletePins(d: Deps, mcpId: string): Promise<void> {
  const store = await d.store()
  for (const kind of PIN_KINDS) {
    mem.delete(pinsId(kind, mcpId))
    await store.delete(PINS, pinsId(kind, mcpId))
  }
}
