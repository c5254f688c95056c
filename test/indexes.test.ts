/**
 * Firestore composite indexes: infra/firestore.tf (production) and
 * firestore.indexes.json (the emulator, via firebase.json) declare the same
 * ones, and every `Store.find` the code issues has one. The queries are
 * recorded from real requests (every filter of GET /api/v1/audit, for a user
 * and an org admin, and GET /mcps/{id}/usage) through a recording store.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mod, root } from './fixtures/terraform.js'
import { startGateway } from './support/gateway.js'
import { recorded, recordingStore } from './support/recording.js'
import { LocalStore } from '../shared/adapters/store-local.js'
import { ACTIONS } from '../shared/audit.js'

const test = suite('Firestore indexes')

/** `col|eq1,eq2|field:dir`, the form test/support/recording.ts's findShape gives, from an index's fields. */
function shape(col: string, fields: { path: string; order: string }[]): string {
  const last = fields[fields.length - 1]!
  const eq = fields.slice(0, -1)
  assert.ok(eq.every((f) => f.order === 'ASCENDING' && f.path.startsWith('d.')), `${col}: equality fields are d.* ascending`)
  assert.ok(last.path.startsWith('d.'))
  return `${col}|${eq.map((f) => f.path.slice(2)).sort().join(',')}|${last.path.slice(2)}:${last.order === 'ASCENDING' ? 'asc' : 'desc'}`
}

async function terraform(): Promise<Set<string>> {
  const m = await mod('infra')
  const map = m.locals.composite_indexes as Record<string, { field_path: string; order: string }[]>
  return new Set(Object.entries(map).map(([k, fs]) => shape(k.split('/')[0]!, fs.map((f) => ({ path: f.field_path, order: f.order })))))
}

function emulator(): Set<string> {
  const firebase = JSON.parse(readFileSync(join(root, 'firebase.json'), 'utf8'))
  assert.is(firebase.firestore?.indexes, 'firestore.indexes.json', 'firebase.json points the emulator at firestore.indexes.json')
  const doc = JSON.parse(readFileSync(join(root, firebase.firestore.indexes), 'utf8')) as { indexes: { collectionGroup: string; queryScope: string; fields: { fieldPath: string; order: string }[] }[] }
  return new Set(doc.indexes.map((i) => {
    assert.is(i.queryScope, 'COLLECTION')
    return shape(i.collectionGroup, i.fields.map((f) => ({ path: f.fieldPath, order: f.order })))
  }))
}

test('Terraform and firestore.indexes.json declare the same composite indexes', async () => {
  const tf = await terraform()
  const emu = emulator()
  assert.ok(tf.size > 0)
  assert.equal([...tf].sort(), [...emu].sort())
})

test('every query the audit and usage API issues has an index, and every index is used', async () => {
  const r = recorded()
  const gw = await startGateway({ over: { store: (() => { let s: Promise<LocalStore> | undefined; return async () => recordingStore(await (s ??= LocalStore.open({ dir: join(gw.dataDir, 'rec') })), r, new Set()) })() } })
  try {
    const alice = await gw.token('alice')
    const dave = await gw.token('dave', { org: 'acme', admin: true })
    const made = await gw.req('POST', '/mcps', { token: alice, body: { name: 'x', type: 'http', endpoint: 'https://mcp.example.com/mcp' } })
    assert.is(made.status, 201, made.text)
    for (const token of [alice, dave]) {
      for (const q of ['', `mcp_id=${made.json.id}`, `action=${ACTIONS[3]}`, `mcp_id=${made.json.id}&action=${ACTIONS[0]}&since=2026-01-01T00:00:00Z&until=2099-01-01T00:00:00Z`]) {
        const res = await gw.req('GET', `/audit?${q}`, { token })
        assert.is(res.status, 200, res.text)
      }
    }
    assert.is((await gw.req('GET', `/mcps/${made.json.id}/usage?window=7d`, { token: alice })).status, 200)
  } finally {
    await gw.close()
  }
  const issued = new Set([...r.found].flatMap(([col, shapes]) => [...shapes].map((s) => `${col}|${s}`)))
  const declared = await terraform()
  for (const q of issued) assert.ok(declared.has(q), `no composite index for ${q}`)
  for (const i of declared) assert.ok(issued.has(i), `index ${i} serves no query`)
})

test.run()
