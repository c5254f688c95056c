/** The discovery routes' work: search, one server's detail, and the scheduled refresh. */
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { check } from '../validate.js'
import { verifyServiceToken } from '../auth/service-token.js'
import { searchPage, versionsOf } from './cache.js'
import { ensureFresh, refreshAll } from './refresh.js'
import { detailView, itemView } from './view.js'
import { entryFor } from './register.js'
import { searchQuerySchema } from './schema.js'

const NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/

/** `GET /registry/servers?search=&cursor=&limit=` → `{items, next_cursor}` (latest versions, deleted ones left out). */
export async function search(d: Deps, query: URLSearchParams) {
  const q = check<{ search?: string; limit?: string; cursor?: string }>(searchQuerySchema, Object.fromEntries(query), 'query')
  await ensureFresh(d)
  const page = await searchPage(d, q.search ?? '', Number(q.limit ?? 50), q.cursor)
  return { items: page.items.map((r) => itemView(d, r)), next_cursor: page.next }
}

/** `GET /registry/servers/{name}[?version=]` → the version (latest by default) with its forms, and every known version. */
export async function detail(d: Deps, name: string, query: URLSearchParams) {
  const version = query.get('version') ?? 'latest'
  if ([...query.keys()].some((k) => k !== 'version') || version.length > 255 || !version)
    throw new AppError('invalid_request', 'The only query parameter is version (1-255 characters).', { errors: [{ path: '/', message: 'only version is allowed' }] })
  if (!NAME.test(name) || name.length > 200) throw new AppError('not_found', 'No such server in the registry.')
  await ensureFresh(d)
  const shown = await entryFor(d, name, version)
  return detailView(d, shown, await versionsOf(d, name))
}

/** `POST /registry/refresh`: Cloud Scheduler's call, checked like the pool's service tokens but for its own audience. */
export async function scheduledRefresh(d: Deps, authorization: string | undefined) {
  const { refreshAudience, refreshInvokers } = d.config.discovery
  await verifyServiceToken(d, authorization, { audience: refreshAudience, invokers: refreshInvokers })
  return { sources: await refreshAll(d) }
}
