/**
 * Validates tool arguments against the tool's own input schema before the
 * call, and structured results against its output schema (the SDK client's
 * `jsonSchemaValidator`). Upstream schemas are untrusted: past the limits in
 * schema-limits.ts, with patterns RE2 cannot run, or when compilation (in a
 * worker, schema-compile.ts) fails or runs out of time, the gateway does not
 * validate and leaves it to the server, and the listing says so.
 */
import { createHash } from 'node:crypto'
import type { JsonSchemaValidatorResult, jsonSchemaValidator } from '@modelcontextprotocol/client'
import { AppError } from '../errors.js'
import { Lru } from '../cache.js'
import { log } from '../log.js'
import { violations } from '../validate.js'
import { staticVerdict, type SkipReason } from './schema-limits.js'
import { compileInWorker, type Compiled } from './schema-compile.js'
import { plainCheck, type PlainCheck } from './plain-schema.js'
import { loadSdk } from './sdk.js'
import { INVALID_PARAMS } from './refusal.js'

/** Compiled validators and skip verdicts by schema hash, bounded in entries and in (approximate) bytes. */
export const VALIDATOR_CACHE = { entries: 500, bytes: 32 * 1024 * 1024 }
// A loaded validator's heap is about 1.3x its code plus code cache (measured); count 2x.
const weight = (c: Compiled) => ('fn' in c ? 2 * c.chars : 256)
const TTL = 3600_000
let cache = new Lru<Compiled>(VALIDATOR_CACHE.entries, Date.now, VALIDATOR_CACHE.bytes)
const inflight = new Map<string, Promise<Compiled>>()
/** A call waits at most this long for a compilation queued behind others before going unvalidated. */
const WAIT_MS = 10_000

const legacyDraft = (schema: Record<string, unknown>) => typeof schema.$schema === 'string' && /draft-0[467]/.test(schema.$schema)
const keyOf = (text: string, legacy: boolean) => createHash('sha256').update(legacy ? 'draft-07\n' : '2020-12\n').update(text).digest('base64url')

type Known = Compiled | undefined

// The static verdict and hash by schema object: a tool's definition stays one object while it is
// cached (state.ts), so the checks of a warm call (execute asks several times) walk and hash nothing.
const statics = new WeakMap<object, { key?: string; legacy: boolean; reason?: SkipReason }>()

/**
 * The verdict known without compiling: a static limit, or an earlier compilation's outcome.
 * `text` (the serialised schema) comes along when the static verdict was computed just now, so
 * that a compile miss walks and serialises the schema once; it is never kept.
 */
function known(schema: Record<string, unknown>): { key?: string; legacy: boolean; hit: Known; text?: string } {
  let s = statics.get(schema)
  let text: string | undefined
  if (!s) {
    const legacy = legacyDraft(schema)
    const v = staticVerdict(schema)
    if (v.ok) text = v.text
    s = v.ok ? { key: keyOf(v.text, legacy), legacy } : { legacy, reason: v.reason }
    statics.set(schema, s)
  }
  if (s.reason) return { legacy: s.legacy, hit: { reason: s.reason } }
  return { key: s.key, legacy: s.legacy, hit: cache.get(s.key!), ...(text === undefined ? {} : { text }) }
}

async function validatorFor(schema: Record<string, unknown>): Promise<Compiled> {
  const { key, legacy, hit, text } = known(schema)
  if (hit || !key) return hit!
  let p = inflight.get(key)
  if (!p) {
    // Known from an earlier look (its text not kept) whose compilation has since left the cache: serialised again.
    const v = text === undefined ? staticVerdict(schema) : { ok: true as const, text }
    if (!v.ok) return { reason: v.reason }
    p = compileInWorker(v.text, legacy).then((c) => {
      inflight.delete(key)
      if ('reason' in c) log('WARNING', 'tool schema not validated by the gateway', { reason: c.reason, detail: c.message })
      if (!('reason' in c && c.reason === 'compiler_busy')) cache.set(key, c, TTL, weight(c))
      return c
    })
    inflight.set(key, p)
  }
  let timer: NodeJS.Timeout | undefined
  const busy = new Promise<Compiled>((resolve) => { timer = setTimeout(() => resolve({ reason: 'compiler_busy' }), WAIT_MS) })
  try {
    return await Promise.race([p, busy])
  } finally {
    clearTimeout(timer)
  }
}

/** What a tool listing shows: whether the gateway validates this schema, and if not, why. */
export function validationOf(schema: unknown): { validation: 'gateway' | 'skipped'; validation_reason: SkipReason | null } {
  if (!schema || typeof schema !== 'object') return { validation: 'skipped', validation_reason: 'schema_invalid' }
  const { hit } = known(schema as Record<string, unknown>)
  return hit && 'reason' in hit ? { validation: 'skipped', validation_reason: hit.reason } : { validation: 'gateway', validation_reason: null }
}

// Plain schemas' quick checks (plain-schema.ts) by schema hash; null: not plain.
let plain = new Lru<PlainCheck | null>(VALIDATOR_CACHE.entries, Date.now)

/** The schema's quick check on the main thread, when it is plain (and within the static limits). */
function plainOf(schema: Record<string, unknown>): PlainCheck | undefined {
  const { key } = known(schema)
  if (!key) return undefined
  let c = plain.get(key)
  if (c === undefined) plain.set(key, (c = plainCheck(schema) ?? null), TTL)
  return c ?? undefined
}

/** Whether `value` surely conforms to `schema` without asking ajv: the schema is plain and its quick check accepts. */
export const plainlyValid = (schema: Record<string, unknown>, value: unknown): boolean => plainOf(schema)?.(value) ?? false

/** Whether the schema is plain: its values can be checked after the fact without a compiled validator. */
export const isPlain = (schema: unknown): boolean => Boolean(schema && typeof schema === 'object' && plainOf(schema as Record<string, unknown>))

export async function checkArguments(schema: Record<string, unknown> | undefined, args: Record<string, unknown>): Promise<void> {
  if (!schema) return
  // Conforming arguments to a plain schema need no compiled validator (nor the worker); anything else asks ajv.
  if (plainlyValid(schema, args)) return
  const c = await validatorFor(schema)
  if (!('fn' in c) || c.fn(args)) return
  const errors = violations(c.fn.errors).map((e) => ({ path: `/arguments${e.path === '/' ? '' : e.path}`, message: e.message }))
  throw new AppError('invalid_request', `The arguments do not match the tool's input schema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors })
}

/**
 * Where `value` breaks `schema` (an upstream's elicitation `requestedSchema`), as
 * `[{path, message}]` under `at`; empty when it conforms or the schema cannot be
 * compiled safely (then the server checks it, as MCP requires of it anyway).
 */
export async function schemaViolations(schema: Record<string, unknown>, value: unknown, at: string): Promise<{ path: string; message: string }[]> {
  const c = await validatorFor(schema)
  if (!('fn' in c) || c.fn(value)) return []
  return violations(c.fn.errors).map((e) => ({ path: `${at}${e.path === '/' ? '' : e.path}`, message: e.message }))
}

/**
 * Where a structured result breaks the tool's output schema, worded as the SDK
 * words it, or undefined when it conforms (or the schema is not validated by the
 * gateway). For output schemas checked after the call instead of compiled before it.
 */
export async function structuredViolation(schema: Record<string, unknown>, value: unknown): Promise<string | undefined> {
  if (plainlyValid(schema, value)) return undefined
  const c = await validatorFor(schema)
  if (!('fn' in c) || c.fn(value)) return undefined
  return violations(c.fn.errors).map((e) => `${e.path} ${e.message}`).join('; ')
}

/**
 * Refuses a tool result whose structured content breaks the tool's output
 * schema, as the SDK does (and worded as it words it): the gateway answers 502.
 * For paths that check after the call (plain schemas on a plain execute; every
 * schema on an execution's leg, whose call does not carry the definition).
 */
export async function checkOutput(schema: unknown, r: { structuredContent?: unknown; isError?: unknown }): Promise<void> {
  if (!schema || typeof schema !== 'object' || r.structuredContent === undefined || r.isError === true) return
  const bad = await structuredViolation(schema as Record<string, unknown>, r.structuredContent)
  if (bad) throw new (await loadSdk()).ProtocolError(INVALID_PARAMS, `Structured content does not match the tool's output schema: ${bad}`)
}

/** Compiles an output schema ahead of the call, so `outputValidators` has it. */
export async function prepareSchema(schema: unknown): Promise<void> {
  if (schema && typeof schema === 'object') await validatorFor(schema as Record<string, unknown>)
}

const pass = <T>(input: unknown): JsonSchemaValidatorResult<T> => ({ valid: true, data: input as T, errorMessage: undefined })

/**
 * The SDK client's schema validator (its `jsonSchemaValidator` option, used
 * for structured results). Synchronous, so it never compiles: a schema that
 * `prepareSchema` compiled is enforced; one that is skipped, or was not
 * prepared (the SDK's own tools cache, which the gateway does not fill), passes.
 */
export const outputValidators: jsonSchemaValidator = {
  getValidator<T>(schema: object) {
    const { hit } = known(schema as Record<string, unknown>)
    if (!hit || !('fn' in hit)) return pass<T>
    const fn = hit.fn
    return (input: unknown): JsonSchemaValidatorResult<T> =>
      fn(input) ? pass<T>(input) : { valid: false, data: undefined, errorMessage: violations(fn.errors).map((e) => `${e.path} ${e.message}`).join('; ') }
  },
}

/** Tests: the validator cache's entries and weight, and a fresh one with other bounds. */
export const _validatorCache = {
  stats: () => ({ entries: cache.size, bytes: cache.bytes, max_bytes: VALIDATOR_CACHE.bytes }),
  reset(bounds: Partial<typeof VALIDATOR_CACHE> = {}) {
    Object.assign(VALIDATOR_CACHE, bounds)
    cache = new Lru<Compiled>(VALIDATOR_CACHE.entries, Date.now, VALIDATOR_CACHE.bytes)
    plain = new Lru<PlainCheck | null>(VALIDATOR_CACHE.entries, Date.now)
  },
}
