/**
 * A function's modules load on its first request outside the Functions
 * Framework's per-request domain (functions/names.ts): the framework runs each
 * request in a `domain`, whose async hook would otherwise mark and enter the
 * domain around every promise of the module loading. The handler itself still
 * runs in the request's domain.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as domain from 'node:domain'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { FUNCTIONS, lazy } from '../functions/names.js'

test("a function's module loads outside the request's domain; its handler runs inside it", async () => {
  const seen: { loading?: unknown; handler?: unknown } = {}
  FUNCTIONS['domain-probe'] = async () => {
    await null // a continuation of the loading, as a module graph's evaluation is
    seen.loading = (process as { domain?: unknown }).domain
    return { handler: async () => { seen.handler = (process as { domain?: unknown }).domain } }
  }
  try {
    const d = domain.create()
    const handle = lazy('domain-probe')
    await new Promise<void>((resolve, reject) => d.run(() => { handle({} as IncomingMessage, {} as ServerResponse).then(resolve, reject) }))
    assert.ok(!seen.loading, 'the module loaded inside the request domain')
    assert.is(seen.handler, d, 'the handler ran outside the request domain')
  } finally {
    delete FUNCTIONS['domain-probe']
  }
})

test.run()
