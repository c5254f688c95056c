/**
 * The check before a tool runs or a prompt is got (docs/security.md
 * "Pinning"): the config's deny and allow lists, then the approval of the
 * definition the gateway knows for the caller. No upstream request of its
 * own: the caller hands in the definitions it already has, and asks
 * `needsDefinitions()` whether to fetch them when it has none.
 *
 * Refusals are `Blocked` errors: 404 for a denied tool (as for a tool that
 * does not exist), 409 `tool_not_approved` with the diff otherwise. Each one
 * is an audit record `tool.blocked` (`auditBlock`) and so a log-based metric.
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { audit } from '../audit.js'
import { AppError, type Code } from '../errors.js'
import type { Rec } from '../ports.js'
import { mutable, type McpConfig } from '../registry/model.js'
import { assess, assessIn, type Assessed } from './assess.js'
import { definitionKey } from './definition.js'
import { diff, type DefinitionDiff } from './diff.js'
import { setFingerprint } from './fingerprint.js'
import { loadPins, pinFirstSet } from './pins.js'
import type { PinKind, PinsSnap } from './model.js'
import { permits, policyOf } from './policy.js'

export type BlockCode = 'tool_not_approved' | 'tool_blocked' | 'tool_denied'

/** A refusal by the tool policy; `block` is the audit code. */
export class Blocked extends AppError {
  constructor(code: Code, message: string, extra: Record<string, unknown> | undefined, readonly block: BlockCode) {
    super(code, message, extra)
  }
}

export const blockOf = (e: unknown): BlockCode | undefined => (e instanceof Blocked ? e.block : undefined)

/** The audit record of a refusal outside execute (which writes its own, as `tool.blocked`). */
export function auditBlock(d: Deps, caller: Caller, mcpId: string, kind: PinKind, name: string, code: BlockCode): void {
  audit(d, { actor: caller.sub, org: caller.org ?? null, action: 'tool.blocked', kind, mcp_id: mcpId, tool: name.slice(0, 128), outcome: 'denied', code, duration_ms: 0 })
}

const quoted = (s: string) => JSON.stringify(s.slice(0, 128))

/** The approved version a pending one is compared with: the pin under its key, or under its old name. */
export function diffOf(kind: PinKind, a: Assessed, snap: PinsSnap | null, limit: number): DefinitionDiff | null {
  const pinned = snap?.byKey.get(a.renamed_from ?? a.key)
  if (!pinned?.definition || a.change === null) return null
  return diff(kind, pinned.definition, a.def, limit)
}

function refusal(kind: PinKind, a: Assessed, snap: PinsSnap | null): Blocked {
  const what = kind === 'tool' ? 'tool' : 'prompt'
  const blocked = a.approval === 'blocked'
  const message = blocked
    ? `The ${what} ${quoted(a.key)} is blocked: its definition has critical scanner findings. The owner or an org admin can approve it with acknowledge_findings.`
    : a.reason === 'not_yet_approved'
      ? `No definition of this MCP server has been approved yet: the owner (or an org admin) approves them by listing its ${what}s.`
      : `The ${what} ${quoted(a.key)} is ${a.reason === 'new' ? 'new' : a.reason === 'renamed' ? 'renamed' : 'changed'} since its definitions were approved; the owner or an org admin must approve it.`
  return new Blocked('tool_not_approved', message, {
    [what]: a.key, approval: a.approval, approval_reason: a.reason, fingerprint: a.fingerprint, approved_fingerprint: a.approved_fingerprint,
    diff: diffOf(kind, a, snap, 50), findings: a.findings,
  }, blocked ? 'tool_blocked' : 'tool_not_approved')
}

export interface Gate {
  /** Whether the caller's definitions must be known (fetched if need be) before the call: there are pins to compare with. */
  needsDefinitions(): Promise<boolean>
  /** Refuses unless the named definition among `defs` is approved; `defs` undefined: none known for this caller. */
  check(defs: readonly unknown[] | undefined): Promise<void>
}

/**
 * The gate for one call. Throws at once (404) for a tool the policy denies.
 * Before anything is pinned, the owner's (user scope) calls pass: the first
 * definitions the gateway sees for them, from a listing or a call, become
 * the pinned set. An org admin's first call has the definitions fetched and
 * pinned, because members wait on them; members are refused until then.
 */
export function gateFor(d: Deps, caller: Caller, rec: Rec<McpConfig>, kind: 'tool' | 'prompt', name: string): Gate {
  if (kind === 'tool' && !permits(rec, name))
    throw new Blocked('not_found', `The MCP server has no tool named ${quoted(name)}.`, undefined, 'tool_denied')
  const { mode } = policyOf(rec.data)
  const approver = mutable(rec.data, caller)
  let snap: PinsSnap | null | undefined
  let reread = false
  const pins = async (fresh = false) => {
    if (fresh && !reread) {
      reread = true
      snap = await loadPins(d, kind, rec, { fresh: true })
    } else if (snap === undefined) snap = await loadPins(d, kind, rec)
    return snap
  }
  const notYet = () => refusal(kind, { key: name, fingerprint: '', findings: [], critical: false, approval: 'pending', reason: 'not_yet_approved', change: 'new', approved_fingerprint: null, def: undefined }, null)

  return {
    async needsDefinitions() {
      if (mode === 'open') return false
      if (await pins()) return true
      if (approver) return rec.data.scope === 'org'
      // A member: look in the store before refusing (another instance may have pinned since).
      return Boolean(await pins(true))
    },
    async check(defs) {
      if (!defs) {
        // Nothing to compare: only the owner's or an admin's calls before anything is pinned, or open mode, pass.
        if (mode === 'open' || approver) return
        throw notYet()
      }
      let s = await pins()
      let a = assessIn(kind, defs, name, s, mode)
      // Not among the definitions: the caller answers 404.
      if (!a || a.approval === 'approved') return
      if (mode === 'pin' && approver && !s?.doc.baseline) {
        s = snap = await pinFirst(d, caller, rec, kind, defs, s)
        a = assessIn(kind, defs, name, s, mode)!
        if (a.approval === 'approved') return
      }
      if (!reread) {
        s = await pins(true)
        a = assessIn(kind, defs, name, s, mode)!
        if (a.approval === 'approved') return
      }
      throw refusal(kind, a, s)
    },
  }
}

/** Pins the definitions the policy lets through as the first set. */
export async function pinFirst(d: Deps, caller: Caller, rec: Rec<McpConfig>, kind: PinKind, defs: readonly unknown[], snap: PinsSnap | null): Promise<PinsSnap | null> {
  const listed = kind === 'tool' ? defs.filter((x) => permits(rec, definitionKey(kind, x))) : defs
  const keys = new Set(listed.map((x) => definitionKey(kind, x)))
  const items = listed.map((x) => assess(kind, x, snap, 'pin', (k) => keys.has(k)))
  return pinFirstSet(d, kind, rec, caller, items, setFingerprint(kind, items.map((a) => [a.key, a.fingerprint] as const)))
}
