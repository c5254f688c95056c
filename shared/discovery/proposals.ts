/**
 * An org admin's proposal to add a registry package to the operator's stdio
 * catalog. Only a record for the operator to read: the catalog file stays the
 * only thing that can run (docs/deploy.md, "Adding a registry package").
 */
import type { Caller } from '../auth/caller.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { newId } from '../ids.js'
import { check } from '../validate.js'
import { serverOf } from './cache.js'
import { entryFor } from './register.js'
import { proposalSchema } from './schema.js'
import { catalogMatches } from './view.js'

export const PROPOSALS = 'catalog_proposals'

export interface Proposal {
  org: string
  by: string
  name: string
  version: string
  source: string
  package: { registry_type: string; identifier: string; version: string | null; file_sha256: string | null; transport: string }
  note: string | null
  created_at: number
}

const adminOnly = (c: Caller) => {
  if (!c.org || !c.admin) throw new AppError('forbidden', 'Only org admins can propose catalog entries.')
}

const view = (id: string, p: Proposal) => ({ id, ...p, created_at: new Date(p.created_at).toISOString() })

/** `POST /registry/proposals` `{name, version, package?, note?}` → 201 with the stored proposal. */
export async function propose(d: Deps, caller: Caller, body: unknown) {
  adminOnly(caller)
  const b = check<{ name: string; version: string; package: number; note?: string }>(proposalSchema, body)
  const rec = await entryFor(d, b.name, b.version)
  const p = serverOf(rec.data).packages?.[b.package]
  if (!p) throw new AppError('invalid_request', `${b.name} ${b.version} has no package ${b.package}.`, { errors: [{ path: '/package', message: 'no such package' }] })
  if (p.transport?.type !== 'stdio') throw new AppError('invalid_request', 'Only stdio packages can go in the stdio catalog.', { errors: [{ path: '/package', message: 'is not a stdio package' }] })
  if (catalogMatches(d, p).length) throw new AppError('conflict', 'The catalog already runs this package version.')
  const doc: Proposal = {
    org: caller.org!, by: caller.sub, name: b.name, version: rec.data.version, source: rec.data.source,
    package: { registry_type: p.registryType, identifier: p.identifier, version: p.version ?? null, file_sha256: p.fileSha256 ?? null, transport: 'stdio' },
    note: b.note ?? null, created_at: d.clock.now(),
  }
  const id = newId()
  await (await d.store()).create(PROPOSALS, id, doc)
  return view(id, doc)
}

/** `GET /registry/proposals`: the caller's org's proposals (org admins). */
export async function proposals(d: Deps, caller: Caller, query: URLSearchParams) {
  adminOnly(caller)
  if ([...query.keys()].length) throw new AppError('invalid_request', 'No query parameters are taken.', { errors: [{ path: '/', message: 'no parameters' }] })
  const page = await (await d.store()).list<Proposal>(PROPOSALS, { where: { field: 'org', in: [caller.org!] }, limit: 100 })
  return { items: page.items.map((r) => view(r.id, r.data)), next_cursor: null }
}
