/**
 * firebase.json is the single route table: Hosting uses its rewrites in
 * production, and local mode reads the same rewrites here.
 */
import { readFileSync } from 'node:fs'

export interface Rewrite { pattern: RegExp; fn: string }

export function loadRewrites(file: string): Rewrite[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { hosting?: { rewrites?: { regex?: string; source?: string; function?: { functionId?: string } | string }[] } }
  return (json.hosting?.rewrites ?? []).flatMap((r) => {
    const fn = typeof r.function === 'string' ? r.function : r.function?.functionId
    if (!fn) return []
    if (!r.regex) throw new Error(`firebase.json: rewrite for ${fn} must use "regex" so local mode matches exactly what Hosting matches`)
    return [{ pattern: new RegExp(r.regex), fn }]
  })
}

export const matchRewrite = (rewrites: Rewrite[], path: string) => rewrites.find((r) => r.pattern.test(path))?.fn
