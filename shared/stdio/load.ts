/** The catalog of this instance, read once from STDIO_CATALOG (null when stdio is not configured). */
import type { Deps } from '../deps.js'
import { loadCatalog, type Catalog } from './catalog.js'

let cached: { file: string; cat: Catalog } | undefined

export function catalogOf(d: Deps): Catalog | null {
  const file = (d.config as { stdioCatalog?: string | null }).stdioCatalog
  if (!file) return null
  if (cached?.file !== file) cached = { file, cat: loadCatalog(file) }
  return cached.cat
}
