/** Everything the local store holds on disk (snapshot and journal: shared/adapters/journal.ts), for tests that look for leaks. */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const storeText = (dataDir: string): string =>
  ['store.snap', 'store.jsonl'].map((f) => join(dataDir, 'store', f)).filter(existsSync).map((f) => readFileSync(f, 'utf8')).join('\n')
