/** `registry`: MCP config CRUD under /api/v1/mcps. */
import { serve, header, type Route } from '../shared/http.js'
import { list, load } from '../shared/registry/read.js'
import { create, patch, remove } from '../shared/registry/write.js'
import { viewFor } from '../shared/oauth/view.js'
import { etag } from '../shared/registry/model.js'
import { catalogView } from '../shared/stdio/view.js'

const ONE = /^\/mcps\/(?<id>[^/]+)$/

const routes: Route[] = [
  {
    // What stdio servers users may register, and with which parameters and env vars (never the commands).
    method: 'GET', path: /^\/stdio\/catalog$/,
    run: async (c) => ({ status: 200, body: { items: catalogView(c.deps) } }),
  },
  {
    method: 'POST', path: /^\/mcps$/,
    run: async (c) => {
      const rec = await create(c.deps, c.caller, await c.body())
      return { status: 201, body: await viewFor(c.deps, c.caller, rec), headers: { ETag: etag(rec), Location: `/api/v1/mcps/${rec.id}` } }
    },
  },
  {
    method: 'GET', path: /^\/mcps$/,
    run: async (c) => {
      const page = await list(c.deps, c.caller, c.query)
      return { status: 200, body: { items: await Promise.all(page.items.map((r) => viewFor(c.deps, c.caller, r))), next_cursor: page.next } }
    },
  },
  {
    method: 'GET', path: ONE,
    run: async (c) => {
      const rec = await load(c.deps, c.caller, c.param('id'))
      return { status: 200, body: await viewFor(c.deps, c.caller, rec), headers: { ETag: etag(rec) } }
    },
  },
  {
    method: 'PATCH', path: ONE,
    run: async (c) => {
      const rec = await patch(c.deps, c.caller, c.param('id'), await c.body(), header(c.req, 'if-match'))
      return { status: 200, body: await viewFor(c.deps, c.caller, rec), headers: { ETag: etag(rec) } }
    },
  },
  {
    method: 'DELETE', path: ONE,
    run: async (c) => {
      await remove(c.deps, c.caller, c.param('id'), header(c.req, 'if-match'))
      return { status: 204 }
    },
  },
]

export const handler = serve('registry', routes)
