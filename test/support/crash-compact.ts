/**
 * Child process for test/store-retention.test.ts: opens a LocalStore in
 * argv[2] and rewrites one large record until compaction runs (in the
 * background, while the writes go on); at the step named in argv[3] it kills
 * itself (SIGKILL, as a power cut would): `rename` just before the new
 * snapshot is renamed into place, `drop` just before the files it replaces
 * are deleted. Prints `acked <n>` after each write the store acknowledged.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { LocalStore } from '../../shared/adapters/store-local.js'

const [dir, step] = process.argv.slice(2) as [string, 'rename' | 'drop']
const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs')
const die = () => process.kill(process.pid, 'SIGKILL')
if (step === 'rename') {
  const rename = fs.promises.rename
  fs.promises.rename = ((a: string, b: string) => (String(a).endsWith('.snap.tmp') ? die() : rename(a, b))) as typeof fs.promises.rename
} else {
  const rm = fs.promises.rm
  fs.promises.rm = ((p: string, o?: import('node:fs').RmOptions) => (/store(\.\d+)?\.jsonl$/.test(String(p)) ? die() : rm(p, o))) as typeof fs.promises.rm
}
syncBuiltinESMExports()

const s = await LocalStore.open({ dir })
for (let i = 0; i < 5; i++) await s.create('keep', `k${i}`, { n: i })
console.log('acked keep')
const pad = 'x'.repeat(64 * 1024)
await s.create('big', 'x', { i: -1, pad })
for (let i = 0; i < 200; i++) {
  await s.update('big', 'x', () => ({ i, pad }))
  console.log(`acked ${i}`)
}
await s.compacted()
console.log('no crash')
