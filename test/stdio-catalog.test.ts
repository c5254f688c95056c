/** The stdio catalog refuses what could run something unintended, and builds argv without a shell. */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkChoice, choiceHash, loadCatalog, spawnSpec } from '../shared/stdio/catalog.js'

const test = suite('stdio catalog')
let dir: string

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cat-'))
})
test.after(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function load(servers: unknown[]) {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`)
  await writeFile(file, JSON.stringify({ servers }))
  return loadCatalog(file)
}

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
  const c = checkChoice(cat, { catalog_id: 'srv', params: { root: '/tmp/x y', verbose: true, n: 3 }, env: { API_KEY: 'k' } })
  const s = spawnSpec(cat, c, '/home/p1')
  assert.equal(s.args, ['fixed', '--root', '/tmp/x y', '-v', '3'])
  assert.equal(s.env, { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/home/p1', LANG: 'C.UTF-8', NODE_ENV: 'production', DATA: '/home/p1/data', API_KEY: 'k' })
  assert.is(choiceHash(c), choiceHash({ ...c, params: { n: 3, verbose: true, root: '/tmp/x y' } }), 'order does not matter')
  assert.is.not(choiceHash(c), choiceHash({ ...c, env: { API_KEY: 'other' } }), 'env is part of the hash')
})

test('node entries run the package script with a heap cap', async () => {
  const cat = await load([{ id: 'mem', command: 'node', package: '@modelcontextprotocol/server-memory', script: 'dist/index.js', limits: { memory_mb: 128 } }])
  const s = spawnSpec(cat, checkChoice(cat, { catalog_id: 'mem' }), '/h')
  assert.is(s.command, process.execPath)
  assert.is(s.args[0], '--max-old-space-size=128')
  assert.match(s.args[1], /server-memory\/dist\/index\.js$/)
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

test.run()
