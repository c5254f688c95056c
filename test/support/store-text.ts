/** Everything the local store holds on disk (snapshots and journals: shared/adapters/journal.ts), for tests that look for leaks. */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export const storeText = (dataDir: string): string => {
  const dir = join(dataDir, 'store')
  if (!existsSync(dir)) return ''
  return readdirSync(dir).filter((f) => /\.(snap|jsonl)$/.test(f)).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n')
}
