/**
 * The approval of each definition: its fingerprint and scanner findings,
 * against the config's pins and mode (docs/security.md "Pinning").
 *
 * - approved: the pinned fingerprint, or any in `open` mode, without an
 *   unacknowledged critical finding;
 * - blocked: a critical finding not acknowledged for this very fingerprint,
 *   in every mode;
 * - pending (`pin` mode): nothing approved yet (`not_yet_approved`), or a new,
 *   changed or renamed definition.
 *
 * Everything is cached so the warm execute path hashes and scans nothing:
 * fingerprints per definition object (definitions the gateway knows are kept
 * as the same objects until replaced), findings per fingerprint, and the
 * verdicts of a definitions array per pins snapshot and mode.
 */
import { createHash } from 'node:crypto'
import { Lru } from '../cache.js'
import { definitionKey } from './definition.js'
import { fingerprint } from './fingerprint.js'
import { compileScanner, worst, type Finding } from './scanner.js'
import type { PinKind, PinsSnap } from './model.js'
import type { Mode } from './policy.js'

export type Approval = 'approved' | 'pending' | 'blocked'
/** How a definition differs from the pinned ones: null when it is the pinned version. */
export type Change = 'new' | 'changed' | 'renamed'
export type Reason = Change | 'not_yet_approved' | 'critical_findings'

export interface Assessed {
  /** Name, or URI for resources. */
  key: string
  fingerprint: string
  findings: Finding[]
  critical: boolean
  approval: Approval
  /** Why it is not approved (null when it is). */
  reason: Reason | null
  change: Change | null
  /** The pinned fingerprint under this key, if any. */
  approved_fingerprint: string | null
  /** For `renamed`: the pinned key it was approved under. */
  renamed_from?: string
  def: unknown
}

const fps = new WeakMap<object, string>()
const shapes = new WeakMap<object, string>()

/** Fingerprint of a definition, once per definition object. */
export function fpOf(kind: PinKind, def: unknown): string {
  if (typeof def !== 'object' || def === null) return fingerprint(kind, def)
  let fp = fps.get(def)
  if (fp === undefined) fps.set(def, (fp = fingerprint(kind, def)))
  return fp
}

const keyField = (kind: PinKind) => (kind === 'resource' ? 'uri' : 'name')

/** Fingerprint of a definition without its name (or URI): equal for a renamed, otherwise unchanged one. */
export function shapeOf(kind: PinKind, def: unknown): string {
  if (typeof def !== 'object' || def === null) return ''
  let s = shapes.get(def)
  if (s === undefined) shapes.set(def, (s = fingerprint(kind, { ...(def as object), [keyField(kind)]: '' })))
  return s
}

/** What blocks (critical findings) never depends on the caller's other tools, so the execute path scans without them. */
const plain = compileScanner()
// Findings by fingerprint (and scan context), bounded in entries and approximate bytes.
const scanned = new Lru<Finding[]>(5000, Date.now, 16 * 1024 * 1024)
const scanners = new Lru<ReturnType<typeof compileScanner>>(200)

/** A scanner with the caller's other servers' tool names, and a key for its results. */
export interface ScanContext { key: string; scan: ReturnType<typeof compileScanner> }

export function scanContext(otherTools: readonly string[], ownTools: readonly string[]): ScanContext {
  if (!otherTools.length) return { key: '', scan: plain }
  const key = createHash('sha256').update(JSON.stringify([[...otherTools].sort(), [...ownTools].sort()])).digest('base64url').slice(0, 22)
  let scan = scanners.get(key)
  if (!scan) scanners.set(key, (scan = compileScanner({ otherTools, ownTools })), 3600_000)
  return { key, scan }
}

export function findingsOf(kind: PinKind, def: unknown, fp: string, ctx?: ScanContext): Finding[] {
  const k = ctx?.key ? `${fp}|${ctx.key}` : fp
  let f = scanned.get(k)
  if (!f) scanned.set(k, (f = (ctx?.scan ?? plain)(kind, def)), 3600_000, 100 + f.length * 400)
  return f
}

/** Approval of one definition (see the module comment). `present` says whether a key is in the current listing. */
export function assess(kind: PinKind, def: unknown, snap: PinsSnap | null, mode: Mode, present: (key: string) => boolean, ctx?: ScanContext): Assessed {
  const key = definitionKey(kind, def)
  const fp = fpOf(kind, def)
  const findings = findingsOf(kind, def, fp, ctx)
  const critical = worst(findings) === 'critical'
  const pinned = snap?.byKey.get(key)
  let change: Change | null = null
  let renamed_from: string | undefined
  if (pinned) change = pinned.fingerprint === fp ? null : 'changed'
  else {
    renamed_from = snap ? (snap.byShape.get(shapeOf(kind, def)) ?? []).find((k) => k !== key && !present(k)) : undefined
    change = renamed_from !== undefined ? 'renamed' : 'new'
  }
  let approval: Approval = 'approved'
  let reason: Reason | null = null
  if (critical && !(change === null && pinned!.acknowledged)) [approval, reason] = ['blocked', 'critical_findings']
  else if (change !== null && mode === 'pin') [approval, reason] = ['pending', snap?.doc.baseline ? change : 'not_yet_approved']
  return {
    key, fingerprint: fp, findings, critical, approval, reason, change, approved_fingerprint: pinned?.fingerprint ?? null,
    ...(renamed_from !== undefined ? { renamed_from } : {}), def,
  }
}

const verdicts = new WeakMap<readonly unknown[], { snap: PinsSnap | null; mode: Mode; keys: Set<string>; by: Map<string, Assessed | null> }>()

/**
 * The execute path: the approval of the definition named `key` among `defs`
 * (undefined when it is not there), cached per definitions array, pins
 * snapshot and mode.
 */
export function assessIn(kind: PinKind, defs: readonly unknown[], key: string, snap: PinsSnap | null, mode: Mode): Assessed | undefined {
  let v = verdicts.get(defs)
  if (!v || v.snap !== snap || v.mode !== mode) {
    v = { snap, mode, keys: new Set(defs.map((d) => definitionKey(kind, d))), by: new Map() }
    verdicts.set(defs, v)
  }
  let a = v.by.get(key)
  if (a === undefined) {
    const def = defs.find((d) => definitionKey(kind, d) === key)
    const keys = v.keys
    a = def === undefined ? null : assess(kind, def, snap, mode, (k) => keys.has(k))
    v.by.set(key, a)
  }
  return a ?? undefined
}
