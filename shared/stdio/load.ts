/** The catalog of this instance, read once from STDIO_CATALOG (null when stdio is not configured). */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { log } from '../log.js'
import { loadCatalog, type Catalog } from './catalog.js'

let cached: { file: string; cat: Catalog } | undefined

function load(file: string): Catalog {
  if (cached?.file !== file) cached = { file, cat: loadCatalog(file) }
  return cached.cat
}

/**
 * Start-up: reads the catalog now, so a bad one (say, an entry that lets users
 * set NODE_OPTIONS) stops the process with the catalog's own message, instead
 * of failing every stdio request later. Throws `CatalogError`.
 */
export function loadCatalogAtStart(file: string | null | undefined): Catalog | null {
  return file ? load(file) : null
}

export function catalogOf(d: Deps): Catalog | null {
  const file = (d.config as { stdioCatalog?: string | null }).stdioCatalog
  if (!file) return null
  try {
    return load(file)
  } catch (e) {
    // Start-up refuses a bad catalog; this is a catalog changed or removed since.
    log('ERROR', 'stdio catalog failed to load', { error: String((e as Error)?.message ?? e) })
    throw new AppError('unavailable', 'The stdio catalog could not be loaded.')
  }
}
