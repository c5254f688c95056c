/** `registry`: MCP config CRUD under /api/v1/mcps, and discovery under /api/v1/registry. */
import { serve, header, type Ctx, type Route } from '../shared/http.js'
import { list, load } from '../shared/registry/read.js'
import { create, patch, remove } from '../shared/registry/write.js'
import { viewFor } from '../shared/oauth/view.js'
import { etag, type McpConfig } from '../shared/registry/model.js'
import type { Rec } from '../shared/ports.js'
import { catalogView } from '../shared/stdio/view.js'

const ONE = /^\/mcps\/(?<id>[^/]+)$/

/** The config view, with the registry's latest version and flags for configs registered from one. */
async function show(c: Ctx, rec: Rec<McpConfig>) {
  const v = await viewFor(c.deps, c.caller, rec)
  if (!rec.data.registry) return v
  const { registryStatus } = await import('../shared/discovery/register.js')
  return { ...v, registry: { ...(v as { registry?: object }).registry, ...(await registryStatus(c.deps, rec.data)) } }
}

const routes: Route[] = [
  {
    // What stdio servers users may register, and with which parameters and env vars (never the commands).
    method: 'GET', path: /^\/stdio\/catalog$/,
    run: async (c) => ({ status: 200, body: { items: catalogView(c.deps) } }),
  },
  {
    method: 'POST', path: /^\/mcps$/,
    run: async (c) => {
      const body = await c.body()
      const fromRegistry = body !== null && typeof body === 'object' && 'from_registry' in body
      const rec = fromRegistry
        ? await (await import('../shared/discovery/register.js')).createFromRegistry(c.deps, c.caller, body)
        : await create(c.deps, c.caller, body)
      return { status: 201, body: await show(c, rec), headers: { ETag: etag(rec), Location: `/api/v1/mcps/${rec.id}` } }
    },
  },
  {
    method: 'GET', path: /^\/mcps$/,
    run: async (c) => {
      const page = await list(c.deps, c.caller, c.query)
      return { status: 200, body: { items: await Promise.all(page.items.map((r) => show(c, r))), next_cursor: page.next } }
    },
  },
  {
    method: 'GET', path: ONE,
    run: async (c) => {
      const rec = await load(c.deps, c.caller, c.param('id'))
      return { status: 200, body: await show(c, rec), headers: { ETag: etag(rec) } }
    },
  },
  {
    method: 'PATCH', path: ONE,
    run: async (c) => {
      const rec = await patch(c.deps, c.caller, c.param('id'), await c.body(), header(c.req, 'if-match'))
      return { status: 200, body: await show(c, rec), headers: { ETag: etag(rec) } }
    },
  },
  {
    method: 'DELETE', path: ONE,
    run: async (c) => {
      await remove(c.deps, c.caller, c.param('id'), header(c.req, 'if-match'))
      return { status: 204 }
    },
  },
  // ---- audit and usage (shared/usage) ----
  {
    method: 'GET', path: /^\/audit$/,
    run: async (c) => ({ status: 200, body: await (await import('../shared/usage/audit-read.js')).auditPage(c.deps, c.caller, c.query) }),
  },
  {
    method: 'GET', path: /^\/mcps\/(?<id>[^/]+)\/usage$/,
    run: async (c) => ({ status: 200, body: await (await import('../shared/usage/read.js')).usage(c.deps, c.caller, c.param('id'), c.query) }),
  },
  // ---- discovery (shared/discovery) ----
  {
    method: 'POST', path: /^\/mcps\/(?<id>[^/]+)\/upgrade$/,
    run: async (c) => {
      const { upgrade } = await import('../shared/discovery/register.js')
      const rec = await upgrade(c.deps, c.caller, c.param('id'), await c.body())
      return { status: 200, body: await show(c, rec), headers: { ETag: etag(rec) } }
    },
  },
  {
    method: 'GET', path: /^\/registry\/servers$/,
    run: async (c) => ({ status: 200, body: await (await import('../shared/discovery/api.js')).search(c.deps, c.query) }),
  },
  {
    // The name as is (`io.github.user/server`: names have exactly one slash) or with the slash percent-encoded.
    method: 'GET', path: /^\/registry\/servers\/(?<name>[^/]+(?:\/[^/]+)?)$/,
    run: async (c) => ({ status: 200, body: await (await import('../shared/discovery/api.js')).detail(c.deps, c.param('name'), c.query) }),
  },
  {
    // Cloud Scheduler's call (a Google-signed service token for REGISTRY_REFRESH_AUDIENCE), never a user's.
    method: 'POST', path: /^\/registry\/refresh$/, auth: false,
    run: async (c) => ({ status: 200, body: await (await import('../shared/discovery/api.js')).scheduledRefresh(c.deps, header(c.req, 'authorization')) }),
  },
  {
    method: 'POST', path: /^\/registry\/proposals$/,
    run: async (c) => ({ status: 201, body: await (await import('../shared/discovery/proposals.js')).propose(c.deps, c.caller, await c.body()) }),
  },
  {
    method: 'GET', path: /^\/registry\/proposals$/,
    run: async (c) => ({ status: 200, body: await (await import('../shared/discovery/proposals.js')).proposals(c.deps, c.caller, c.query) }),
  },
]

export const handler = serve('registry', routes)
