/**
 * Listings under the tool policy (docs/security.md "Pinning"): which
 * definitions are shown, each with its fingerprint, approval and findings;
 * the first set, pinned when the owner (or an org admin) lists; the pending
 * ones with their diffs (`GET /mcps/{id}/tools/changes`); and what an
 * approval (`POST /mcps/{id}/tools/approve`) would pin.
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import type { Rec } from '../ports.js'
import { mutable, type McpConfig } from '../registry/model.js'
import { assess, type Assessed, type ScanContext } from './assess.js'
import { coveredView, definitionKey } from './definition.js'
import { setFingerprint } from './fingerprint.js'
import { diffOf } from './gate.js'
import { loadPins, pinFirstSet } from './pins.js'
import type { PinKind, PinsSnap } from './model.js'
import { permits, policyOf } from './policy.js'

export interface Review {
  kind: PinKind
  /** The definitions shown (the policy's allow and deny applied to tools), assessed. */
  assessed: Assessed[]
  /** Of the listing shown: additions, removals and renames change it. */
  fingerprint: string
  snap: PinsSnap | null
  present: Set<string>
}

/**
 * Assesses a listing. With `record`, the owner's (or an org admin's) listing
 * of a config with nothing pinned yet pins what it shows. A listing that would
 * show something unapproved looks at the store again first, in case another
 * instance approved it meanwhile.
 */
export async function review(d: Deps, caller: Caller, rec: Rec<McpConfig>, kind: PinKind, defs: readonly unknown[], o: { scan: ScanContext; record: boolean }): Promise<Review> {
  const { mode } = policyOf(rec.data)
  let snap = await loadPins(d, kind, rec)
  // A cached listing (the same definitions array) is assessed once per config version, scan context and pins snapshot.
  const key = `${kind}:${rec.id}:${rec.version}:${o.scan.key}`
  const hit = reviewed.get(defs)
  if (hit && hit.key === key && hit.r.snap === snap) return hit.r
  const listed = kind === 'tool' ? defs.filter((x) => permits(rec, definitionKey(kind, x))) : defs
  const present = new Set(listed.map((x) => definitionKey(kind, x)))
  // Assessed in slices, yielding between them: a server listing 10,000 tools must not hold other users' calls.
  const run = async () => {
    const out: Assessed[] = []
    for (let i = 0; i < listed.length; i++) {
      if (i > 0 && i % SLICE === 0) await new Promise<void>((r) => setImmediate(r))
      out.push(assess(kind, listed[i], snap, mode, (k) => present.has(k), o.scan))
    }
    return out
  }
  let assessed = await run()
  const fingerprint = setFingerprint(kind, assessed.map((a) => [a.key, a.fingerprint] as const))
  if (o.record && mode === 'pin' && !snap?.doc.baseline && mutable(rec.data, caller)) {
    snap = await pinFirstSet(d, kind, rec, caller, assessed, fingerprint)
    assessed = await run()
  } else if (assessed.some((a) => a.approval !== 'approved')) {
    snap = await loadPins(d, kind, rec, { fresh: true })
    assessed = await run()
  }
  const r = { kind, assessed, fingerprint, snap, present }
  // Only all-approved results are reused: one showing something unapproved looks at the store again next time.
  if (assessed.every((a) => a.approval === 'approved')) reviewed.set(defs, { key, r })
  return r
}

/** Definitions assessed between two yields to the event loop (about 25 ms of work). */
const SLICE = 250

const reviewed = new WeakMap<readonly unknown[], { key: string; r: Review }>()

/** What a listing shows of each definition's governance. */
export const approvalView = (a: Assessed) => ({ fingerprint: a.fingerprint, approval: a.approval, approval_reason: a.reason, findings: a.findings })

const keyName = (kind: PinKind) => (kind === 'resource' ? 'uri' : 'name')

/** The pending and blocked definitions with their diffs against the approved versions, and the approved ones no longer listed. */
export function changes(r: Review) {
  const k = keyName(r.kind)
  const renamed = new Set(r.assessed.flatMap((a) => (a.renamed_from !== undefined ? [a.renamed_from] : [])))
  return {
    pending: r.assessed.filter((a) => a.approval !== 'approved').map((a) => ({
      [k]: a.key, change: a.change, approval: a.approval, approval_reason: a.reason, fingerprint: a.fingerprint,
      approved_fingerprint: a.approved_fingerprint, renamed_from: a.renamed_from ?? null, findings: a.findings,
      diff: diffOf(r.kind, a, r.snap, 100), definition: coveredView(r.kind, a.def),
    })),
    removed: (r.snap?.doc.entries ?? []).filter((e) => !r.present.has(e.key) && !renamed.has(e.key)).map((e) => ({ [k]: e.key, approved_fingerprint: e.fingerprint })),
  }
}

export interface Selection {
  items: Assessed[]
  /** Keys whose submitted fingerprint is not the current one (current null: not listed). */
  conflicts: Record<string, { submitted: string; current: string | null }>
  /** Keys with critical findings, approved without `acknowledge_findings`. */
  unacknowledged: string[]
}

/** Matches an approval's `{key: fingerprint}` against the current definitions (compare-and-swap). */
export function select(r: Review, wanted: Record<string, string>, acknowledged: boolean): Selection {
  const byKey = new Map(r.assessed.map((a) => [a.key, a]))
  const out: Selection = { items: [], conflicts: {}, unacknowledged: [] }
  for (const [key, fp] of Object.entries(wanted)) {
    const a = byKey.get(key)
    if (!a || a.fingerprint !== fp) out.conflicts[key] = { submitted: fp, current: a?.fingerprint ?? null }
    else {
      if (a.critical && !acknowledged) out.unacknowledged.push(key)
      out.items.push(a)
    }
  }
  return out
}
