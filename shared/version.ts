/**
 * The gateway's version: package.json's, read once, here only. Found by
 * walking up from this module, which works from dist/shared/, from the
 * bundle (dist/bundle/) and from the staged deploy source alike.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const NAME = 'mcp-gateway-gcp'

function read(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (!existsSync(file)) continue
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
    if (pkg.name === NAME && pkg.version) return pkg.version
  }
  return '0.0.0-unknown'
}

export const VERSION = read()
