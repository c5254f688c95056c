/** The stdio catalog refuses what could run something unintended, and builds argv without a shell. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CatalogError, checkChoice, choiceHash, loadCatalog, spawnSpec } from '../shared/stdio/catalog.js'
import { rejects } from './support/assert.js'

const test = suite('stdio catalog')
let dir: string

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cat-'))
})
test.after(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function loadRaw(raw: unknown) {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`)
  await writeFile(file, JSON.stringify(raw))
  return loadCatalog(file)
}
const load = (servers: unknown[]) => loadRaw({ servers })

test('operators cannot list a relative command, npx, or a script outside its package', async () => {
  for (const bad of [
    { id: 'a', command: 'bash' },
    { id: 'b', command: 'npx', args: ['-y', 'some-server'] },
    { id: 'c', command: 'node', package: '@modelcontextprotocol/server-memory', script: '../../../etc/passwd' },
    { id: 'd', command: 'node', package: 'not-installed-anywhere', script: 'index.js' },
    { id: 'Bad Id', command: '/bin/true' },
  ]) {
    let threw = false
    try { await load([bad]) } catch (e) { threw = /stdio catalog/.test(String(e)) }
    assert.ok(threw, JSON.stringify(bad))
  }
})

test('a catalog that lets users set a loader variable fails to load, naming the entry and the variable', async () => {
  for (const name of ['NODE_OPTIONS', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'PYTHONSTARTUP', 'JAVA_TOOL_OPTIONS', 'BASH_ENV', 'PERL5OPT', 'RUBYOPT', 'GCONV_PATH', 'GIT_SSH_COMMAND', 'GIT_CONFIG_COUNT', 'NPM_CONFIG_SCRIPT_SHELL', 'CLASSPATH']) {
    const e = await rejects(() => load([{ id: 'good', command: '/bin/true' }, { id: 'sneaky', command: '/bin/true', env: { [name]: { description: 'tuning' } } }]))
    assert.instance(e, CatalogError)
    assert.match(e.message, /^stdio catalog \/.+\.json: entry "sneaky" declares /)
    assert.match(e.message, `${name} as a user env var`)
  }
})

test('operators cannot let users (or fixed_env) set loader variables', async () => {
  for (const name of ['NODE_OPTIONS', 'LD_PRELOAD', 'PATH', 'DYLD_INSERT_LIBRARIES', 'PYTHONPATH', 'GOOGLE_APPLICATION_CREDENTIALS', 'HOME']) {
    let threw = false
    try { await load([{ id: 'x', command: '/bin/true', env: { [name]: {} } }]) } catch { threw = true }
    assert.ok(threw, `env ${name}`)
    threw = false
    try { await load([{ id: 'y', command: '/bin/true', fixed_env: { [name]: 'v' } }]) } catch { threw = true }
    assert.ok(threw, `fixed_env ${name}`)
  }
})

test('argv comes from the entry and the checked choice, never a shell string', async () => {
  const cat = await load([{
    id: 'srv', command: '/usr/bin/env', args: ['fixed'],
    params: { root: { schema: { type: 'string', maxLength: 50 }, flag: '--root' }, verbose: { schema: { type: 'boolean' }, flag: '-v' }, n: { schema: { type: 'integer', minimum: 1 } } },
    env: { API_KEY: { secret: true } },
    fixed_env: { DATA: '{home}/data' },
  }])
  const c = checkChoice(cat, { catalog_id: 'srv', params: { root: 'x y', verbose: true, n: 3 }, env: { API_KEY: 'k' } })
  const s = spawnSpec(cat, c, '/home/p1')
  assert.equal(s.args, ['fixed', '--root', 'x y', '-v', '3'])
  assert.equal(s.env, { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/p1', LANG: 'C.UTF-8', NODE_ENV: 'production', DATA: '/home/p1/data', API_KEY: 'k' })
  assert.is(choiceHash(c), choiceHash({ ...c, params: { n: 3, verbose: true, root: 'x y' } }), 'order does not matter')
  assert.is.not(choiceHash(c), choiceHash({ ...c, env: { API_KEY: 'other' } }), 'env is part of the hash')
})

test('node entries run the package script with a heap cap', async () => {
  const cat = await load([{ id: 'mem', command: 'node', package: '@modelcontextprotocol/server-memory', script: 'dist/index.js', limits: { memory_mb: 128 } }])
  const s = spawnSpec(cat, checkChoice(cat, { catalog_id: 'mem' }), '/h')
  assert.is(s.command, process.execPath)
  assert.is(s.args[0], '--max-old-space-size=128')
  assert.match(s.args[1]!, /server-memory\/dist\/index\.js$/)
})

test('choices that do not fit are 400 with the path of the problem', async () => {
  const cat = await load([{ id: 'srv', command: '/bin/true', params: { name: { schema: { type: 'string' } } } }])
  const cases: [Record<string, unknown>, string][] = [
    [{ catalog_id: 'nope' }, '/config/catalog_id'],
    [{ catalog_id: 'srv', params: { other: 'x' } }, '/config/params/other'],
    [{ catalog_id: 'srv', params: { name: 5 } }, '/config/params/name'],
    [{ catalog_id: 'srv', params: { name: 'a`id`' } }, '/config/params/name'],
    [{ catalog_id: 'srv', params: { name: '--exec=evil' } }, '/config/params/name'],
    [{ catalog_id: 'srv', params: { name: '../../etc' } }, '/config/params/name'],
    [{ catalog_id: 'srv', env: { X: 'y' } }, '/config/env/X'],
  ]
  for (const [choice, path] of cases) {
    try {
      checkChoice(cat, choice)
      assert.unreachable(JSON.stringify(choice))
    } catch (e: any) {
      assert.is(e.code, 'invalid_request', JSON.stringify(choice))
      assert.is(e.extra.errors[0].path, path)
    }
  }
})

function pathError(f: () => unknown): { path: string; message: string } {
  try {
    f()
  } catch (e: any) {
    assert.is(e.code, 'invalid_request')
    return e.extra.errors[0]
  }
  assert.unreachable('accepted')
  throw new Error('unreachable')
}

test('path parameters resolve inside the process home; {home} works in args', async () => {
  const cat = await load([{
    id: 'fs', command: '/usr/bin/env', args: ['--data', '{home}/data'],
    params: { root: { kind: 'path', create: 'dir', schema: { type: 'string', maxLength: 100 }, required: true } },
    env: { DB_FILE: { kind: 'path' }, TOKEN: { secret: true } },
  }])
  const s = spawnSpec(cat, checkChoice(cat, { catalog_id: 'fs', params: { root: 'notes/2026' }, env: { DB_FILE: 'db.sqlite', TOKEN: '/looks/like/a/path' } }), '/pool/h1')
  assert.equal(s.args, ['--data', '/pool/h1/data', '/pool/h1/notes/2026'])
  assert.is(s.env.DB_FILE, '/pool/h1/db.sqlite')
  assert.is(s.env.TOKEN, '/looks/like/a/path', 'plain env values are opaque')
  assert.equal(spawnSpec(cat, checkChoice(cat, { catalog_id: 'fs', params: { root: '.' } }), '/pool/h1').args.at(-1), '/pool/h1')
  for (const [root, why] of [['/tmp/alice', /relative to your own directory/], ['..', /"\.\."/], ['a/../../b', /"\.\."/], ['', /empty/]] as const) {
    const e = pathError(() => checkChoice(cat, { catalog_id: 'fs', params: { root } }))
    assert.is(e.path, '/config/params/root', root)
    assert.match(e.message, why, root)
  }
  assert.is(pathError(() => checkChoice(cat, { catalog_id: 'fs', params: { root: 'a' }, env: { DB_FILE: '/etc/passwd' } })).path, '/config/env/DB_FILE')
})

test('absolute values only under a prefix the operator allowed (catalog-wide or per parameter)', async () => {
  const cat = await load([{
    id: 'srv', command: '/bin/true',
    params: {
      plain: { schema: { type: 'string' } },
      data: { schema: { type: 'string' }, allow_prefixes: ['/srv/data/'] },
      root: { kind: 'path', schema: { type: 'string' } },
    },
  }])
  assert.match(pathError(() => checkChoice(cat, { catalog_id: 'srv', params: { plain: '/etc/passwd' } })).message, 'may not be an absolute path')
  assert.ok(checkChoice(cat, { catalog_id: 'srv', params: { plain: 'relative/ok' } }))
  assert.ok(checkChoice(cat, { catalog_id: 'srv', params: { data: '/srv/data/x' } }))
  assert.ok(checkChoice(cat, { catalog_id: 'srv', params: { data: '/srv/data' } }))
  for (const v of ['/srv/data2/x', '/srv/dat', '/srv/data/../etc', '//srv/data/../../etc']) assert.ok(pathError(() => checkChoice(cat, { catalog_id: 'srv', params: { data: v } })), v)
  assert.ok(pathError(() => checkChoice(cat, { catalog_id: 'srv', params: { root: '/srv/data/x' } })))
  const wide = await loadRaw({ allow_prefixes: ['/srv/shared'], servers: [{ id: 'w', command: '/bin/true', params: { root: { kind: 'path', schema: { type: 'string' } } } }] })
  assert.is(spawnSpec(wide, checkChoice(wide, { catalog_id: 'w', params: { root: '/srv/shared/a' } }), '/h').args[0], '/srv/shared/a')
  assert.ok(pathError(() => checkChoice(wide, { catalog_id: 'w', params: { root: '/srv/other' } })))
})

test('operators cannot allow the whole filesystem, relative or dotted prefixes, or odd path rules', async () => {
  for (const raw of [
    { allow_prefixes: ['/'], servers: [] },
    { allow_prefixes: ['tmp'], servers: [] },
    { allow_prefixes: ['/tmp/../etc'], servers: [] },
    { allow_prefixes: '/tmp', servers: [] },
    { servers: [{ id: 'a', command: '/bin/true', params: { p: { schema: { type: 'string' }, allow_prefixes: ['//'] } } }] },
    { servers: [{ id: 'a', command: '/bin/true', params: { p: { kind: 'path', schema: { type: 'integer' } } } }] },
    { servers: [{ id: 'a', command: '/bin/true', params: { p: { kind: 'file', schema: { type: 'string' } } } }] },
    { servers: [{ id: 'a', command: '/bin/true', params: { p: { create: 'dir', schema: { type: 'string' } } } }] },
  ]) await rejects(() => loadRaw(raw), (e) => e instanceof CatalogError, JSON.stringify(raw))
})

test('the shipped example catalog loads, and its filesystem root is a path inside the home', async () => {
  const cat = loadCatalog(fileURLToPath(new URL('../../catalog/example.json', import.meta.url)))
  const fs = cat.entries.get('filesystem')!
  assert.is(fs.params.root!.kind, 'path')
  assert.is(fs.params.root!.allow_prefixes, undefined)
  assert.is(pathError(() => checkChoice(cat, { catalog_id: 'filesystem', params: { root: '/tmp/alice' } })).path, '/config/params/root')
  assert.is(spawnSpec(cat, checkChoice(cat, { catalog_id: 'filesystem', params: { root: 'notes' } }), '/pool/h').args.at(-1), '/pool/h/notes')
})

test.run()
