/**
 * The stdio catalog: the only commands the gateway will ever run. Operators
 * list them in a JSON file (STDIO_CATALOG); users pick an entry by id and fill
 * in the parameters and env vars the entry declares, nothing else. Commands are
 * never run through a shell; every argument is validated by its own schema.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join, posix, resolve } from 'node:path'
import { createHash } from 'node:crypto'
import { AppError } from '../errors.js'

/**
 * How a user's string value is read as a path. Every child runs as the same OS
 * user, so a path is the one value that could reach another owner's files.
 */
export interface PathRules {
  /**
   * `path`: relative to the process's own home (`{home}`), passed resolved;
   * `..`, absolute values and symlinks out of the home are refused. `value`
   * (the default) passes the value as given.
   */
  kind?: 'value' | 'path'
  /** `path` values: make the directory (`dir`) or its parent (`parent`) at spawn when missing. */
  create?: 'dir' | 'parent'
  /**
   * Absolute values are refused unless under one of these (the operator's explicit
   * choice, e.g. a shared read-only tree), added to the catalog's own `allow_prefixes`.
   */
  allow_prefixes?: string[]
}

export interface ParamSpec extends PathRules {
  /** JSON Schema of the value (a string, number or boolean). */
  schema: Record<string, unknown>
  /** Passed as `[flag, value]`, or as a bare value when absent. Booleans with a flag pass the flag alone when true. */
  flag?: string
  required?: boolean
  description?: string
}

/** Env values are opaque (often secrets) unless the entry says `kind: "path"`. */
export interface EnvSpec extends PathRules {
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
  /** Bytes of files a saved home may hold (persistent homes); a bigger home is not saved, never cut. At most 256 MiB. */
  home_max_bytes: number
}

export interface CatalogEntry {
  id: string
  description?: string
  /** Absolute path of the executable. For `node` entries, `process.execPath`. */
  command: string
  /** Fixed leading arguments (for `node` entries: the resolved script first); `{home}` is the process's own directory. */
  args: string[]
  params: Record<string, ParamSpec>
  env: Record<string, EnvSpec>
  /** Operator-set env; `{home}` is the process's own directory (per owner, MCP and config). */
  fixed_env: Record<string, string>
  limits: Limits
  /**
   * The registry package this entry runs, matched against registry entries
   * (shared/discovery): `node` entries name their installed package and version;
   * others may declare `registry_package` in the catalog.
   */
  registry_package?: { registry_type: string; identifier: string; version: string }
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

const DEFAULT_LIMITS: Limits = { max_processes: 20, max_per_owner: 3, idle_ttl_ms: 5 * 60_000, memory_mb: 256, request_timeout_ms: 60_000, home_max_bytes: 16 << 20 }
/** Saved homes are packed in memory: the largest cap an entry may set. */
const MAX_HOME_BYTES = 256 << 20

// Names that change how a program loads or links, or whose credentials it uses: never
// user-settable, whatever an entry says.
export const FORBIDDEN_ENV = new RegExp('^(' + [
  'PATH', 'HOME', 'USER', 'SHELL', 'PWD', 'TMPDIR', 'BASH_ENV', 'ENV', 'IFS',
  // loaders and runtimes: each of these makes a program load or run other code
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_ENV', 'NPM_CONFIG_.*',
  'LD_.*', 'DYLD_.*', 'GCONV_PATH', 'GLIBC_TUNABLES', 'PYTHON.*', 'PERL5?LIB', 'PERL5OPT', 'RUBYLIB', 'RUBYOPT', 'LUA_(INIT|PATH|CPATH).*',
  'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH', 'CORECLR_.*', 'DOTNET_STARTUP_HOOKS', 'PHPRC', 'PHP_INI_SCAN_DIR',
  'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_CONFIG.*',
  // the platform's identity and metadata
  'GOOGLE_.*', 'GCLOUD_.*', 'CLOUDSDK_.*', 'K_.*', 'FUNCTION_.*', 'METADATA_.*',
  // where traffic goes and which certificates it trusts
  'HTTPS?_PROXY', 'ALL_PROXY', 'NO_PROXY', 'SSL_CERT_.*', 'OPENSSL_.*', 'CURL_CA_BUNDLE', 'REQUESTS_CA_BUNDLE',
].join('|') + ')$', 'i')
const ENV_NAME = /^[A-Z][A-Z0-9_]{0,63}$/
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/
// Characters a shell would give meaning to. We never use a shell, but a value that reaches
// a program which does (or logs it) should not carry them unless its schema says so.
const SHELL_META = /[;&|`$<>\\\n\r\0'"*?(){}[\]!#~]/

/** A catalog the operator must fix; its message names the file, the entry and what is wrong. */
export class CatalogError extends Error {
  override name = 'CatalogError'
}

function fail(message: string): never {
  throw new CatalogError(message)
}

/** Absolute, normalised, not `/` itself: what an operator may allow users to name. */
function prefixes(v: unknown, where: string): string[] {
  if (v === undefined) return []
  if (!Array.isArray(v)) fail(`${where}: allow_prefixes must be an array of absolute paths`)
  return v.map((p) => {
    if (typeof p !== 'string' || !p.startsWith('/') || /(^|\/)\.\.?(\/|$)/.test(p) || p.includes('\0')) fail(`${where}: allow_prefixes entry ${JSON.stringify(p)} must be an absolute path without . or .. segments`)
    const n = posix.normalize(p).replace(/\/+$/, '')
    if (!n) fail(`${where}: allow_prefixes may not allow the whole filesystem`)
    return n
  })
}

function pathRules(v: Record<string, any>, where: string, catalogPrefixes: string[], type: unknown): PathRules {
  const kind = v.kind ?? 'value'
  if (kind !== 'value' && kind !== 'path') fail(`${where}: kind must be "value" or "path"`)
  if (kind === 'path' && type !== 'string') fail(`${where}: path parameters must be strings`)
  if (v.create !== undefined && (kind !== 'path' || !['dir', 'parent'].includes(v.create))) fail(`${where}: create is "dir" or "parent", for path parameters only`)
  const allow = [...catalogPrefixes, ...prefixes(v.allow_prefixes, where)]
  return { kind, ...(v.create ? { create: v.create } : {}), ...(allow.length ? { allow_prefixes: allow } : {}) }
}

// npm's rules for a package name (lower case, optional scope): never a path.
const PACKAGE = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/

/**
 * The directory of an installed package, looked up the way Node looks up a bare
 * name (each `node_modules` from `from` upwards), without resolving anything
 * through the package's `exports`: many packages do not export `./package.json`
 * (e.g. time-mcp) or map it elsewhere (`"./*": "./dist/*"`), and a package with
 * only a `bin` exports nothing at all. Symlinks are followed, as Node does.
 */
function packageDir(name: string, from: string): string | undefined {
  for (const dir of createRequire(from).resolve.paths(name) ?? []) {
    try {
      const real = realpathSync(join(dir, name))
      if ((JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as { name?: unknown }).name === name) return real
    } catch { /* not here: the next node_modules up */ }
  }
  return undefined
}

/** Reads and checks the catalog file. A bad catalog stops start-up (and the pool), loudly: the message names the file, the entry and the problem. */
export function loadCatalog(file: string): Catalog {
  try {
    return parseCatalog(JSON.parse(readFileSync(file, 'utf8')), dirname(resolve(file)))
  } catch (e) {
    throw new CatalogError(`stdio catalog ${file}: ${e instanceof CatalogError ? e.message : `cannot be read (${(e as Error)?.message ?? e})`}`)
  }
}

function parseCatalog(raw: { servers?: unknown[]; allow_prefixes?: unknown }, base: string): Catalog {
  if (!raw || !Array.isArray(raw.servers)) fail('expected {"servers": [...]}')
  const catalogPrefixes = prefixes(raw.allow_prefixes, 'allow_prefixes')
  const entries = new Map<string, CatalogEntry>()
  for (const s of raw.servers as Record<string, any>[]) {
    if (!s || typeof s !== 'object') fail('every server must be an object')
    if (typeof s.id !== 'string' || !ID.test(s.id)) fail(`bad id ${JSON.stringify(s.id)}`)
    if (entries.has(s.id)) fail(`duplicate id ${s.id}`)
    let command: string
    let args: string[]
    let registry_package: CatalogEntry['registry_package']
    if (s.command === 'node') {
      // `node` plus a script of a package installed with the deployment; never npx, never an install at request time.
      if (typeof s.package !== 'string' || typeof s.script !== 'string') fail(`${s.id}: node entries need "package" and "script"`)
      if (!PACKAGE.test(s.package)) fail(`${s.id}: ${JSON.stringify(s.package)} is not a package name`)
      // Installed with the gateway (its own node_modules), or next to the catalog file.
      const pkgDir = packageDir(s.package, import.meta.url) ?? packageDir(s.package, join(base, 'noop.js'))
      if (!pkgDir) fail(`${s.id}: package ${s.package} is not installed`)
      const script = resolve(pkgDir, s.script)
      if (!script.startsWith(pkgDir + '/')) fail(`${s.id}: script escapes its package`)
      if (!existsSync(script)) fail(`${s.id}: package ${s.package} has no script ${s.script}`)
      command = process.execPath
      args = [script, ...strings(s.args, s.id)]
      try {
        const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version
        if (typeof version === 'string') registry_package = { registry_type: 'npm', identifier: s.package, version }
      } catch { /* no readable package.json: not matched to registry entries */ }
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
      params[name] = { schema: p.schema, flag: p.flag, required: Boolean(p.required), description: p.description, ...pathRules(p, `${s.id}: parameter ${name}`, catalogPrefixes, p.schema.type) }
    }
    const env: Record<string, EnvSpec> = {}
    for (const [name, e] of Object.entries((s.env ?? {}) as Record<string, any>)) {
      if (FORBIDDEN_ENV.test(name))
        fail(`entry "${s.id}" declares ${name} as a user env var, which users may never set: it changes how the program loads, links or authenticates (loader and runtime variables such as NODE_OPTIONS, LD_*, PYTHON*, PATH, HOME; Google credentials). Remove it from "env".`)
      if (!ENV_NAME.test(name)) fail(`entry "${s.id}": env ${name} is not a valid name (A-Z, 0-9, _)`)
      env[name] = { secret: Boolean(e?.secret), required: Boolean(e?.required), description: e?.description, ...pathRules(e ?? {}, `${s.id}: env ${name}`, catalogPrefixes, 'string') }
    }
    const fixed_env: Record<string, string> = {}
    for (const [name, v] of Object.entries((s.fixed_env ?? {}) as Record<string, unknown>)) {
      if (!ENV_NAME.test(name) || FORBIDDEN_ENV.test(name)) fail(`entry "${s.id}": fixed_env ${name} is not allowed (a loader, runtime or credential variable, or not a valid name)`)
      if (typeof v !== 'string') fail(`${s.id}: fixed_env ${name} must be a string`)
      if (env[name]) fail(`${s.id}: ${name} is both fixed and user-supplied`)
      fixed_env[name] = v
    }
    const limits = { ...DEFAULT_LIMITS, ...(s.limits ?? {}) }
    for (const [k, v] of Object.entries(limits)) if (!Number.isInteger(v) || (v as number) <= 0) fail(`${s.id}: limit ${k} must be a positive integer`)
    if (limits.home_max_bytes > MAX_HOME_BYTES) fail(`${s.id}: limit home_max_bytes may be at most ${MAX_HOME_BYTES} (256 MiB)`)
    const rp = s.registry_package
    if (rp !== undefined) {
      if (!rp || typeof rp.registry_type !== 'string' || typeof rp.identifier !== 'string' || typeof rp.version !== 'string')
        fail(`${s.id}: registry_package needs registry_type, identifier and version (strings)`)
      registry_package = { registry_type: rp.registry_type, identifier: rp.identifier, version: rp.version }
    }
    entries.set(s.id, { id: s.id, description: s.description, command, args, params, env, fixed_env, limits, ...(registry_package ? { registry_package } : {}) })
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

// A `..` segment walks out of whatever directory a pattern meant to confine the value to.
const DOTDOT = /(^|[\\/])\.\.([\\/]|$)/
/** `p` is `dir` or below it (both absolute and normalised). */
export const within = (p: string, dir: string) => p === dir || p.startsWith(dir === '/' ? dir : dir + '/')

/** One user-supplied string value with the rules it is read under. */
export interface UserValue { where: string; value: string; rules: PathRules }

/** The string values of a choice that carry path rules: every string parameter, and `kind: "path"` env vars. */
export function userValues(cat: Catalog, c: StdioChoice): UserValue[] {
  const e = cat.entries.get(c.catalog_id)
  if (!e) return []
  const out: UserValue[] = []
  for (const [k, v] of Object.entries(c.params)) if (typeof v === 'string' && e.params[k]) out.push({ where: `/config/params/${k}`, value: v, rules: e.params[k] })
  for (const [k, v] of Object.entries(c.env)) if (e.env[k]?.kind === 'path') out.push({ where: `/config/env/${k}`, value: v, rules: e.env[k] })
  return out
}

/** Why a value breaks its path rules (lexically), or null. Absolute values only under an allowed prefix. */
function pathProblem(v: string, rules: PathRules): string | null {
  if (DOTDOT.test(v)) return 'may not contain ".." path segments'
  if (v.startsWith('/')) {
    if ((rules.allow_prefixes ?? []).some((p) => within(posix.normalize(v), p))) return null
    return rules.kind === 'path' ? 'must be a path relative to your own directory (absolute paths are not allowed here)' : 'may not be an absolute path'
  }
  if (rules.kind === 'path' && !v) return 'may not be empty'
  return null
}

/** Where a value points for the process whose home is `home`: `path` values below the home, others as given. */
export function resolveValue(v: string, rules: PathRules, home: string): string {
  if (rules.kind !== 'path') return v
  return v.startsWith('/') ? posix.normalize(v) : posix.join(home, v)
}

/**
 * Checks a user's choice against the entry: known id, only declared parameters
 * (each valid under its schema, no shell metacharacters unless the schema's own
 * pattern allows them, no `..`, no absolute path outside the operator's
 * `allow_prefixes`), only declared env names. Nothing is started here.
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
    if (typeof v === 'string' && /\0/.test(v)) throw bad(`/config/params/${k}`, 'may not contain NUL')
    if (typeof v === 'string' && v.startsWith('-') && !spec.flag) throw bad(`/config/params/${k}`, 'may not start with "-"')
    const why = typeof v === 'string' ? pathProblem(v, spec) : null
    if (why) throw bad(`/config/params/${k}`, why)
    params[k] = v as string | number | boolean
  }
  for (const [k, spec] of Object.entries(e.params)) if (spec.required && params[k] === undefined) throw bad(`/config/params/${k}`, 'is required')
  const env: Record<string, string> = {}
  const givenEnv = (c.env ?? {}) as Record<string, unknown>
  if (typeof givenEnv !== 'object' || Array.isArray(givenEnv)) throw bad('/config/env', 'must be an object')
  for (const [k, v] of Object.entries(givenEnv)) {
    if (!e.env[k]) throw bad(`/config/env/${k}`, 'is not an env var this catalog entry accepts')
    if (typeof v !== 'string' || v.length > 8192 || /[\0\r\n]/.test(v)) throw bad(`/config/env/${k}`, 'must be a single-line string')
    const why = e.env[k].kind === 'path' ? pathProblem(v, e.env[k]) : null
    if (why) throw bad(`/config/env/${k}`, why)
    env[k] = v
  }
  for (const [k, spec] of Object.entries(e.env)) if (spec.required && env[k] === undefined) throw bad(`/config/env/${k}`, 'is required')
  return { catalog_id: c.catalog_id, params, env }
}

/** The safe base every child gets, and nothing from the gateway's own environment. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', NODE_ENV: 'production' }
}

/** argv and env for a checked choice; `{home}` in args and fixed_env, and `path` values, resolve to `home`. */
export function spawnSpec(cat: Catalog, c: StdioChoice, home: string): SpawnSpec {
  const e = cat.entries.get(c.catalog_id)
  if (!e) throw bad('/config/catalog_id', 'is not in the stdio catalog')
  const args = e.args.map((a) => a.replaceAll('{home}', home))
  if (e.command === process.execPath) args.unshift(`--max-old-space-size=${e.limits.memory_mb}`)
  for (const [name, spec] of Object.entries(e.params)) {
    const given = c.params[name]
    if (given === undefined) continue
    const v = typeof given === 'string' ? resolveValue(given, spec, home) : given
    if (typeof v === 'boolean') {
      if (spec.flag && v) args.push(spec.flag)
      else if (!spec.flag) args.push(String(v))
    } else if (spec.flag) args.push(spec.flag, String(v))
    else args.push(String(v))
  }
  const fixed = Object.fromEntries(Object.entries(e.fixed_env).map(([k, v]) => [k, v.replaceAll('{home}', home)]))
  const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, e.env[k] ? resolveValue(v, e.env[k], home) : v]))
  return { command: e.command, args, env: { ...baseEnv(home), ...fixed, ...env }, limits: e.limits }
}

/** A stable hash of what is run: one process per (owner, MCP, config hash). */
export const choiceHash = (c: StdioChoice) =>
  createHash('sha256').update(JSON.stringify([c.catalog_id, Object.entries(c.params).sort(), Object.entries(c.env).sort()])).digest('hex').slice(0, 24)
