/** Module resolve hook for trace-imports.ts: appends each newly resolved npm package name to a file. */
import { appendFileSync } from 'node:fs'

/** `…/node_modules/@scope/name/…` or `…/node_modules/name/…` → the package name. */
export function packageOf(pathOrUrl: string): string | undefined {
  const p = pathOrUrl.replace(/\\/g, '/')
  const i = p.lastIndexOf('node_modules/')
  if (i < 0) return undefined
  const [a, b] = p.slice(i + 'node_modules/'.length).split('/')
  if (!a) return undefined
  return a.startsWith('@') ? (b ? `${a}/${b}` : undefined) : a
}

let out: string | undefined
const seen = new Set<string>()

export function initialize(data: { out: string }): void {
  out = data.out
}

type Next = (s: string, c: unknown) => Promise<{ url: string }>
export async function resolve(specifier: string, context: unknown, next: Next): Promise<{ url: string }> {
  const r = await next(specifier, context)
  const name = packageOf(r.url)
  if (out && name && !seen.has(name)) {
    seen.add(name)
    appendFileSync(out, name + '\n')
  }
  return r
}
