/**
 * Child process for test/store-retention.test.ts: opens a LocalStore in
 * argv[2] and rewrites one large record until compaction runs; at the step
 * named in argv[3] it kills itself (SIGKILL, as a power cut would):
 * `rename` just before the new snapshot is renamed into place, `truncate`
 * just before the journal is emptied. Prints `acked <n>` after each write the
 * store acknowledged.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { LocalStore } from '../../shared/adapters/store-local.js'

const [dir, step] = process.argv.slice(2) as [string, 'rename' | 'truncate']
const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs')
const die = () => process.kill(process.pid, 'SIGKILL')
if (step === 'rename') {
  const rename = fs.renameSync
  fs.renameSync = ((a: string, b: string) => (String(a).endsWith('store.snap.tmp') ? die() : rename(a, b))) as typeof fs.renameSync
} else {
  const open = fs.openSync
  fs.openSync = ((p: string, flags?: import('node:fs').OpenMode, mode?: number) => (String(p).endsWith('store.jsonl') && flags === 'w' ? die() : open(p, flags ?? 'r', mode))) as typeof fs.openSync
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
console.log('no compaction')
