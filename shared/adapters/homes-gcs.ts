/**
 * Saved homes in Cloud Storage: one object per name, written with a multipart
 * upload conditional on `ifGenerationMatch` (412 → precondition_failed), read
 * with `alt=media` together with the generation it came from
 * (`x-goog-generation`), checked against the CRC32C the service sends.
 * The client is imported on first use: only the pool loads it.
 */
import type { Bucket } from '@google-cloud/storage'
import { AppError } from '../errors.js'
import type { Blob, BlobStore } from '../ports.js'

export interface GcsBlobStoreOptions {
  bucket: string
  projectId?: string
  /** Tests: a local server speaking the JSON API (no credentials are sent to it). */
  apiEndpoint?: string
}

const status = (e: unknown) => Number((e as { code?: unknown })?.code)

function fail(op: string, e: unknown): never {
  const s = status(e)
  if (s === 412) throw new AppError('precondition_failed', 'The saved home was changed by another instance.')
  if (s === 429 || s >= 500 || Number.isNaN(s)) throw new AppError('unavailable', 'Cloud Storage unavailable', undefined, { cause: e })
  throw new Error(`homes: ${op} failed (HTTP ${s})`, { cause: e })
}

export class GcsBlobStore implements BlobStore {
  private bucket?: Promise<Bucket>
  constructor(private readonly o: GcsBlobStoreOptions) {}

  private b(): Promise<Bucket> {
    return (this.bucket ??= import('@google-cloud/storage').then(({ Storage }) =>
      new Storage({ ...(this.o.projectId ? { projectId: this.o.projectId } : {}), ...(this.o.apiEndpoint ? { apiEndpoint: this.o.apiEndpoint } : {}), retryOptions: { maxRetries: 2 } }).bucket(this.o.bucket)))
  }

  async get(name: string): Promise<Blob | null> {
    const file = (await this.b()).file(name)
    return new Promise<Blob | null>((resolve, reject) => {
      const chunks: Buffer[] = []
      let generation = ''
      file.createReadStream({ validation: 'crc32c' })
        .on('response', (res: { headers: Record<string, string | undefined> }) => (generation = String(res.headers['x-goog-generation'] ?? '')))
        .on('data', (c: Buffer) => chunks.push(c))
        .on('error', (e) => (status(e) === 404 ? resolve(null) : reject(e)))
        .on('end', () => (generation ? resolve({ data: Buffer.concat(chunks), generation }) : reject(new Error('homes: no generation in the download'))))
    }).catch((e) => fail('download', e))
  }

  async put(name: string, data: Buffer, ifGeneration: string): Promise<string> {
    const file = (await this.b()).file(name)
    try {
      // Multipart (not resumable): homes are capped well under what one request carries.
      await file.save(data, { resumable: false, validation: 'crc32c', contentType: 'application/octet-stream', preconditionOpts: { ifGenerationMatch: ifGeneration } })
    } catch (e) {
      fail('upload', e)
    }
    return String(file.metadata.generation)
  }

  async deletePrefix(prefix: string): Promise<number> {
    const bucket = await this.b()
    try {
      const [files] = await bucket.getFiles({ prefix })
      await Promise.all(files.map((f) => f.delete({ ignoreNotFound: true })))
      return files.length
    } catch (e) {
      fail('delete', e)
    }
  }

  async close(): Promise<void> {}
}
