/**
 * The Cloud Storage adapter through the real `@google-cloud/storage` client,
 * against a local server speaking the JSON API (test/support/gcs-fake.ts).
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { GcsBlobStore } from '../shared/adapters/homes-gcs.js'
import { AppError } from '../shared/errors.js'
import { startGcsFake, type GcsFake } from './support/gcs-fake.js'
import { blobContract } from './homes.contract.js'
import { rejects } from './support/assert.js'

let fake: GcsFake
blobContract('GcsBlobStore', async () => {
  fake = await startGcsFake({ maxObjectBytes: 2 << 20 })
  return { store: new GcsBlobStore({ bucket: 'homes', apiEndpoint: fake.url }), cleanup: () => fake.stop() }
})

test('GcsBlobStore: uploads are multipart with ifGenerationMatch, downloads alt=media', async () => {
  const s = new GcsBlobStore({ bucket: 'homes', apiEndpoint: fake.url })
  await s.put('h/x/y', Buffer.from('data'), '0')
  await s.get('h/x/y')
  assert.ok(fake.calls.some((c) => c.method === 'POST' && c.upload === 'multipart'), JSON.stringify(fake.calls))
  assert.is(fake.objects('homes').get('h/x/y')!.data.toString(), 'data')
})

test('GcsBlobStore: an object over the service limit is refused, a 503 is unavailable', async () => {
  const s = new GcsBlobStore({ bucket: 'homes', apiEndpoint: fake.url })
  await rejects(() => s.put('h/x/big', Buffer.alloc(3 << 20), '0'), (e) => !(e instanceof AppError && e.code === 'precondition_failed'))
  assert.is(fake.objects('homes').get('h/x/big'), undefined)
  fake.failNext(503, 10)
  await rejects(() => s.get('h/x/y'), (e) => e instanceof AppError && e.code === 'unavailable')
  fake.failNext(0, 0)
})

test.run()
