/**
 * The project runs on the user's own Node: no dependency puts a `node` of its
 * own in front of it, npm scripts get the same binary the user runs, and the
 * declared `engines` range holds this Node. `.ci/run` runs the suite once on
 * the machine's Node and once on Node 22, and sets EXPECT_NODE_VERSION so this
 * suite proves which one really ran it.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { root } from './fixtures/terraform.js'

const test = suite('runtime')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

test('no dependency links a node binary into node_modules/.bin', () => {
  assert.not.ok(existsSync(join(root, 'node_modules/.bin/node')), 'node_modules/.bin/node shadows the user\'s node in every npm script')
})

/** The user's `node`: the first on PATH outside any node_modules/.bin (which npm puts in front). */
function userNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || /node_modules[\\/]\.bin[\\/]?$/.test(dir)) continue
    const p = join(dir, 'node')
    if (existsSync(p)) return realpathSync(p)
  }
  throw new Error('no node on PATH')
}

test('an npm script runs on the user\'s node, not one from node_modules', async () => {
  // `npm exec -c` runs a command with the PATH an npm script gets (node_modules/.bin first).
  const { stdout } = await promisify(execFile)('npm', ['exec', '-c', 'node -p process.execPath'], { cwd: root, encoding: 'utf8', timeout: 60_000 })
  assert.is(realpathSync(stdout.trim()), userNode())
  assert.is(realpathSync(process.execPath), userNode(), 'this suite itself runs on the user\'s node')
})

test('engines.node declares a range that includes this Node (20, 22, 24)', () => {
  const range: string = pkg.engines?.node
  assert.type(range, 'string')
  const m = /^>=\s*(\d+)$/.exec(range)
  assert.ok(m, `engines.node ${range}: expected ">=N"`)
  const major = Number(process.versions.node.split('.')[0])
  assert.ok(major >= Number(m![1]), `Node ${process.version} is outside engines.node ${range}`)
  for (const v of [22, 24]) assert.ok(v >= Number(m![1]), `Node ${v} must be supported`)
})

test('runs on the Node that CI asked for (EXPECT_NODE_VERSION)', () => {
  const want = process.env.EXPECT_NODE_VERSION
  if (!want) return // outside CI any Node in engines will do
  assert.is(process.version, want)
  console.log(`  running on Node ${process.version} (${process.execPath})`)
})

test.run()
