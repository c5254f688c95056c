/**
 * The stdio catalog: the only commands the gateway will ever run. Operators
 * list them in a JSON file (STDIO_CATALOG); users pick an entry by id and fill
 * in the parameters and env vars the entry declares, nothing else. Commands are
 * never run through a shell; every argument is validated by its own schema.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { createHash } from 'node:crypto'
import { AppError } from '../errors.js'

export interface ParamSpec {
  /** JSON Schema of the value (a string, number or boolean). */
  schema: Record<string, unknown>
  /** Passed as `[flag, value]`, or as a bare value when absent. Booleans with a flag pass the flag alone when true. */
  flag?: string
  required?: boolean
  description?: string
}

export interface EnvSpec {
  /** Secret values live in the vault and never appear in logs or responses. */
  secret?: boolean
  required?: boolean
  description?: string
}

export interface Limits {
  /** Processes of this entry per pool instance. */
  max_processes: number
  /** Processes of this entry per owner. */
  max_per_owner: number
  idle_ttl_ms: number
  /** For `node` entries: the V8 heap cap (--max-old-space-size). */
  memory_mb: number
  request_timeout_ms: number
}

export interface CatalogEntry {
  id: string
  description?: string
  /** Absolute path of the executable. For `node` entries, `process.execPath`. */
  command: string
  /** Fixed leading arguments (for `node` entries: the resolved script first). */
  args: string[]
  params: Record<string, ParamSpec>
  env: Record<string, EnvSpec>
  /** Operator-set env; `{home}` is the process's own directory (per owner, MCP and config). */
  fixed_env: Record<string, string>
  limits: Limits
}

export interface Catalog {
  entries: Map<string, CatalogEntry>
}

/** The validated request to run an entry for a user. */
export interface StdioChoice {
  catalog_id: string
  params: Record<string, string | number | boolean>
  env: Record<string, string>
}

/** What is spawned: argv without a shell, and the whole environment. */
export interface SpawnSpec {
  command: string
  args: string[]
  env: Record<string, string>
  limits: Limits
}

const DEFAULT_LIMITS: Limits = { max_processes: 20, max_per_owner: 3, idle_ttl_ms: 5 * 60_000, memory_mb: 256, request_timeout_ms: 60_000 }

// Names that change how a program loads or links: never user-settable, whatever an entry says.
const FORBIDDEN_ENV = /^(PATH|HOME|USER|SHELL|PWD|TMPDIR|NODE_OPTIONS|NODE_PATH|NODE_EXTRA_CA_CERTS|NODE_TLS_REJECT_UNAUTHORIZED|NODE_ENV|LD_.*|DYLD_.*|PYTHON.*|PERL5?LIB|RUBYLIB|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|GOOGLE_.*|GCLOUD_.*|CLOUDSDK_.*|K_.*|FUNCTION_.*|METADATA_.*|BASH_ENV|ENV|IFS|HTTPS?_PROXY|NO_PROXY|SSL_CERT_.*|OPENSSL_.*)$/i
const ENV_NAME = /^[A-Z][A-Z0-9_]{0,63}$/
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/
// Characters a shell would give meaning to. We never use a shell, but a value that reaches
// a program which does (or logs it) should not carry them unless its schema says so.
const SHELL_META = /[;&|`$<>\\\n\r\0'"*?(){}[\]!#~]/

function fail(message: string): never {
  throw new Error(`stdio catalog: ${message}`)
}

/** Reads and checks the catalog file. A bad catalog stops the pool from starting, loudly. */
export function loadCatalog(file: string): Catalog {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { servers?: unknown[] }
  if (!Array.isArray(raw.servers)) fail('expected {"servers": [...]}')
  const base = dirname(resolve(file))
  const entries = new Map<string, CatalogEntry>()
  for (const s of raw.servers as Record<string, any>[]) {
    if (typeof s.id !== 'string' || !ID.test(s.id)) fail(`bad id ${JSON.stringify(s.id)}`)
    if (entries.has(s.id)) fail(`duplicate id ${s.id}`)
    let command: string
    let args: string[]
    if (s.command === 'node') {
      // `node` plus a script of a package installed with the deployment; never npx, never an install at request time.
      if (typeof s.package !== 'string' || typeof s.script !== 'string') fail(`${s.id}: node entries need "package" and "script"`)
      // Installed with the gateway (its own node_modules), or next to the catalog file.
      let pkgDir: string | undefined
      for (const from of [import.meta.url, join(base, 'noop.js')]) {
        try {
          pkgDir = dirname(createRequire(from).resolve(`${s.package}/package.json`))
          break
        } catch { /* try the next place */ }
      }
      if (!pkgDir) fail(`${s.id}: package ${s.package} is not installed`)
      const script = resolve(pkgDir, s.script)
      if (!script.startsWith(pkgDir + '/')) fail(`${s.id}: script escapes its package`)
      command = process.execPath
      args = [script, ...strings(s.args, s.id)]
    } else {
      if (typeof s.command !== 'string' || !isAbsolute(s.command)) fail(`${s.id}: command must be an absolute path or "node"`)
      command = s.command
      args = strings(s.args, s.id)
    }
    const params: Record<string, ParamSpec> = {}
    for (const [name, p] of Object.entries((s.params ?? {}) as Record<string, any>)) {
      if (!/^[a-z][a-z0-9_]{0,63}$/.test(name)) fail(`${s.id}: bad parameter name ${name}`)
      if (!p || typeof p.schema !== 'object') fail(`${s.id}: parameter ${name} needs a schema`)
      if (!['string', 'number', 'integer', 'boolean'].includes(p.schema.type)) fail(`${s.id}: parameter ${name} must be a string, number, integer or boolean`)
      if (p.flag !== undefined && (typeof p.flag !== 'string' || !/^--?[A-Za-z0-9][A-Za-z0-9-]*$/.test(p.flag))) fail(`${s.id}: bad flag for ${name}`)
      params[name] = { schema: p.schema, flag: p.flag, required: Boolean(p.required), description: p.description }
    }
    const env: Record<string, EnvSpec> = {}
    for (const [name, e] of Object.entries((s.env ?? {}) as Record<string, any>)) {
      if (!ENV_NAME.test(name) || FORBIDDEN_ENV.test(name)) fail(`${s.id}: env ${name} may not be user-supplied`)
      env[name] = { secret: Boolean(e?.secret), required: Boolean(e?.required), description: e?.description }
    }
    const fixed_env: Record<string, string> = {}
    for (const [name, v] of Object.entries((s.fixed_env ?? {}) as Record<string, unknown>)) {
      if (!ENV_NAME.test(name) || FORBIDDEN_ENV.test(name)) fail(`${s.id}: fixed_env ${name} is not allowed`)
      if (typeof v !== 'string') fail(`${s.id}: fixed_env ${name} must be a string`)
      if (env[name]) fail(`${s.id}: ${name} is both fixed and user-supplied`)
      fixed_env[name] = v
    }
    const limits = { ...DEFAULT_LIMITS, ...(s.limits ?? {}) }
    for (const [k, v] of Object.entries(limits)) if (!Number.isInteger(v) || (v as number) <= 0) fail(`${s.id}: limit ${k} must be a positive integer`)
    entries.set(s.id, { id: s.id, description: s.description, command, args, params, env, fixed_env, limits })
  }
  return { entries }
}

function strings(v: unknown, id: string): string[] {
  if (v === undefined) return []
  if (!Array.isArray(v) || v.some((a) => typeof a !== 'string')) fail(`${id}: args must be strings`)
  return v as string[]
}

const bad = (path: string, message: string) => new AppError('invalid_request', `${path} ${message}`, { errors: [{ path, message }] })

/** What a parameter's value must look like, in words: from its schema, and its description when the entry has one. */
function shapeOf(spec: { schema: Record<string, unknown>; description?: string }): string {
  const s = spec.schema
  const parts: string[] = []
  if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.map((x) => JSON.stringify(x)).join(', ')}`)
  else {
    parts.push(s.type === 'integer' ? 'a whole number' : typeof s.type === 'string' ? `${/^[aeiou]/.test(s.type) ? 'an' : 'a'} ${s.type}` : 'a value')
    if (typeof s.pattern === 'string') parts.push(`matching ${s.pattern}`)
    if (typeof s.minimum === 'number' || typeof s.maximum === 'number') parts.push(`from ${s.minimum ?? 'any'} to ${s.maximum ?? 'any'}`)
    if (typeof s.maxLength === 'number') parts.push(`of at most ${s.maxLength} characters`)
  }
  return parts.join(' ') + (spec.description ? ` (${spec.description.replace(/\.$/, '')})` : '')
}

let ajv: import('ajv').Ajv | undefined
function validateValue(schema: Record<string, unknown>, v: unknown): boolean {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv')
  ajv ??= new Ajv({ strict: false })
  return ajv.validate(schema, v) as boolean
}

/**
 * Checks a user's choice against the entry: known id, only declared parameters
 * (each valid under its schema, no shell metacharacters unless the schema's own
 * pattern allows them), only declared env names. Nothing is started here.
 */
export function checkChoice(cat: Catalog, c: { catalog_id?: unknown; params?: unknown; env?: unknown }): StdioChoice {
  if (typeof c.catalog_id !== 'string' || !cat.entries.has(c.catalog_id)) throw bad('/config/catalog_id', 'is not in the stdio catalog')
  const e = cat.entries.get(c.catalog_id)!
  const params: Record<string, string | number | boolean> = {}
  const given = (c.params ?? {}) as Record<string, unknown>
  if (typeof given !== 'object' || Array.isArray(given)) throw bad('/config/params', 'must be an object')
  for (const [k, v] of Object.entries(given)) {
    const spec = e.params[k]
    if (!spec) throw bad(`/config/params/${k}`, 'is not a parameter of this catalog entry')
    if (!validateValue(spec.schema, v)) throw bad(`/config/params/${k}`, `must be ${shapeOf(spec)}`)
    if (typeof v === 'string' && SHELL_META.test(v) && typeof spec.schema.pattern !== 'string') throw bad(`/config/params/${k}`, 'contains characters this parameter does not allow')
    if (typeof v === 'string' && v.startsWith('-') && !spec.flag) throw bad(`/config/params/${k}`, 'may not start with "-"')
    // A `..` segment walks out of whatever directory a pattern meant to confine the value to.
    if (typeof v === 'string' && /(^|[\\/])\.\.([\\/]|$)/.test(v)) throw bad(`/config/params/${k}`, 'may not contain ".." path segments')
    params[k] = v as string | number | boolean
  }
  for (const [k, spec] of Object.entries(e.params)) if (spec.required && params[k] === undefined) throw bad(`/config/params/${k}`, 'is required')
  const env: Record<string, string> = {}
  const givenEnv = (c.env ?? {}) as Record<string, unknown>
  if (typeof givenEnv !== 'object' || Array.isArray(givenEnv)) throw bad('/config/env', 'must be an object')
  for (const [k, v] of Object.entries(givenEnv)) {
    if (!e.env[k]) throw bad(`/config/env/${k}`, 'is not an env var this catalog entry accepts')
    if (typeof v !== 'string' || v.length > 8192 || /[\0\r\n]/.test(v)) throw bad(`/config/env/${k}`, 'must be a single-line string')
    env[k] = v
  }
  for (const [k, spec] of Object.entries(e.env)) if (spec.required && env[k] === undefined) throw bad(`/config/env/${k}`, 'is required')
  return { catalog_id: c.catalog_id, params, env }
}

/** The safe base every child gets, and nothing from the gateway's own environment. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', NODE_ENV: 'production' }
}

/** argv and env for a checked choice. */
export function spawnSpec(cat: Catalog, c: StdioChoice, home: string): SpawnSpec {
  const e = cat.entries.get(c.catalog_id)
  if (!e) throw bad('/config/catalog_id', 'is not in the stdio catalog')
  const args = [...e.args]
  if (e.command === process.execPath) args.unshift(`--max-old-space-size=${e.limits.memory_mb}`)
  for (const [name, spec] of Object.entries(e.params)) {
    const v = c.params[name]
    if (v === undefined) continue
    if (typeof v === 'boolean') {
      if (spec.flag && v) args.push(spec.flag)
      else if (!spec.flag) args.push(String(v))
    } else if (spec.flag) args.push(spec.flag, String(v))
    else args.push(String(v))
  }
  const fixed = Object.fromEntries(Object.entries(e.fixed_env).map(([k, v]) => [k, v.replaceAll('{home}', home)]))
  return { command: e.command, args, env: { ...baseEnv(home), ...fixed, ...c.env }, limits: e.limits }
}

/** A stable hash of what is run: one process per (owner, MCP, config hash). */
export const choiceHash = (c: StdioChoice) =>
  createHash('sha256').update(JSON.stringify([c.catalog_id, Object.entries(c.params).sort(), Object.entries(c.env).sort()])).digest('hex').slice(0, 24)
