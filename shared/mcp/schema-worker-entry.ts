/**
 * The schema worker's entry (schema-compile.ts starts it). Node's module compile
 * cache is per thread: turned on here, before ajv and schema-worker.ts load, a new
 * instance's worker reads them from the cache the deploy build filled, as the main
 * thread does (docs/performance.md).
 */
import { useCompileCache } from '../compile-cache.js'

useCompileCache()
await import('./schema-worker.js')
