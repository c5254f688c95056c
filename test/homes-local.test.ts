import { test } from 'uvu'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalBlobStore } from '../shared/adapters/homes-local.js'
import { blobContract } from './homes.contract.js'

blobContract('LocalBlobStore', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'homes-local-'))
  return { store: new LocalBlobStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }) }
})

test.run()
