/**
 * The first question of an execution is answered before its record is
 * stored (issue #13's bench goal: no durable write on the way of a round's
 * first request). Against a real LocalStore whose execution writes are held
 * until the test lets them through (a slow Firestore commit): the question
 * still reaches the caller, and this instance's reads, answers and cancels
 * wait for the write; a write that fails ends the call upstream; another
 * instance waits for a young execution to appear instead of answering 404.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ServerResponse } from 'node:http'
import { startGateway, type Gateway, type Res } from './support/gateway.js'
import { registerAsking, type AskingPair } from './support/asking.js'
import type { AskingHandle } from './servers/asking.js'
import { endEach } from './support/assert.js'
import { LocalStore } from '../shared/adapters/store-local.js'
import type { Store } from '../shared/ports.js'
import { EXECUTIONS, type Execution } from '../shared/executions/model.js'
import { executionId, loadExecution } from '../shared/executions/records.js'
import { newId } from '../shared/ids.js'

let logFrom = 0
const test = endEach(suite('executions answered before stored'), () => {
  for (const l of gw.logs.slice(logFrom)) assert.not.ok(l.includes('"status":500'), l.slice(0, 300))
})
let gw: Gateway
let dir: string
let real: LocalStore
let alice: string
let legacy: AskingHandle
let ids: Record<'legacy' | 'modern', string> = { legacy: '', modern: '' }
let asking: AskingPair | undefined
const FORM = { elicitation: { form: {} } }
const ANSWER = { action: 'accept', content: { name: 'Ada', age: 36 } }

/** While set, creating an execution record waits for it (then fails if `failCreate`). */
let held: Promise<void> | undefined
let failCreate = false
/** While set, a take's write resolves (is durable, to its caller) only once this does. */
let takeHeld: Promise<void> | undefined
/** While set, a result's write waits for `until` before it begins, and says when it got there. */
let resultHeld: { reached: () => void; until: Promise<void> } | undefined
/** Resolved when someone starts watching the execution with this id. */
const watching = new Map<string, () => void>()

/** What happened, in order: `end <path>` (a response written), `create`/`update <status>` (an execution write begun). */
const events: string[] = []
const endOf = ServerResponse.prototype.end
ServerResponse.prototype.end = function (this: ServerResponse, ...a: unknown[]) {
  if (this.req?.url) events.push(`end ${this.req.url}`)
  return (endOf as (...x: unknown[]) => ServerResponse).apply(this, a)
} as typeof endOf

/** The real store, with execution creates held at the gate and watches reported. */
const store = (s: LocalStore): Store =>
  new Proxy(s, {
    get(t, k) {
      if (k === 'create') {
        return async (col: string, id: string, data: unknown, o?: unknown) => {
          if (col === EXECUTIONS) events.push((o as { lazy?: boolean } | undefined)?.lazy ? 'create lazy' : 'create')
          if (col === EXECUTIONS && held) {
            await held
            if (failCreate) throw new Error('store unavailable (test)')
          }
          return t.create(col, id, data, o as never)
        }
      }
      if (k === 'update') {
        return async (col: string, id: string, fn: (x: Execution) => Execution, o?: unknown) => {
          if (col === EXECUTIONS && resultHeld && fn(JSON.parse(JSON.stringify((await t.get<Execution>(col, id))!.data))).status === 'completed') {
            resultHeld.reached()
            await resultHeld.until
          }
          const r = await t.update<Execution>(col, id, (x) => {
            const next = fn(x)
            if (col === EXECUTIONS) events.push(`update ${next.status}`)
            return next
          }, o as never)
          if (col === EXECUTIONS) events.push(`durable ${r.data.status}`)
          if (col === EXECUTIONS && takeHeld && r.data.status === 'working') await takeHeld
          return r
        }
      }
      if (k === 'watch') {
        return (col: string, id: string, on: (r: unknown) => void) => {
          if (col === EXECUTIONS) watching.get(id)?.()
          return t.watch(col, id, on)
        }
      }
      const v = Reflect.get(t, k) as unknown
      return typeof v === 'function' ? v.bind(t) : v
    },
  })

function gate(): () => void {
  let release!: () => void
  held = new Promise((r) => (release = r))
  return () => {
    release()
    held = undefined
  }
}

/** `p` if it settles within `ms`; else null (the execute that must not wait for a held write). */
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms).unref())])

const exec = (era: 'legacy' | 'modern') => gw.req('POST', `/mcps/${ids[era]}/tools/ask_form/execute`, { token: alice, body: { arguments: {}, capabilities: FORM } })
const ok = (r: Res, status = 200) => assert.is(r.status, status, r.text)

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-behind-'))
  real = await LocalStore.open({ dir })
  gw = await startGateway({ over: { store: async () => store(real) } })
  alice = await gw.token('alice')
  asking = await registerAsking(gw, alice)
  legacy = asking.legacy
  ids = asking.ids
})
test.after(async () => {
  held = undefined
  await gw?.close()
  await asking?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})
test.before.each(() => {
  logFrom = gw.logs.length
  failCreate = false
})

for (const era of ['legacy', 'modern'] as const) {
  test(`${era}: the question reaches the caller while its write is on its way; GET and the answer here wait for it`, async () => {
    const release = gate()
    let r: Res | null
    try {
      // Before: execute answered only once the question was stored, so never while the write is held.
      r = await within(exec(era), 10_000)
    } finally {
      if (!held) release()
    }
    assert.ok(r, 'execute waited for the question to be stored')
    ok(r)
    assert.is(r.json.status, 'input_required')
    const view = gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })
    release()
    const v = await view
    ok(v)
    assert.is(v.json.status, 'input_required')
    assert.equal(v.json.input_requests, r.json.input_requests)
    const key = Object.keys(r.json.input_requests)[0]!
    const a = await gw.req('POST', `/executions/${r.json.execution_id}/input`, { token: alice, body: { responses: { [key]: ANSWER } } })
    ok(a)
    assert.is(a.json.status, 'completed')
    assert.equal(a.json.content, [{ type: 'text', text: 'hello Ada (36)' }])
  })

  test(`${era}: a cancel sent while the question's write is on its way cancels it`, async () => {
    const release = gate()
    const r = await within(exec(era), 10_000)
    const del = r ? gw.req('DELETE', `/executions/${r.json.execution_id}`, { token: alice }) : undefined
    release()
    assert.ok(r, 'execute waited for the question to be stored')
    ok(await del!, 204)
    const v = await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })
    assert.is(v.json.status, 'cancelled', v.text)
  })
}

for (const era of ['legacy', 'modern'] as const) {
  test(`${era}: the question and the result go out before their records' writes begin (not on the answer's way)`, async () => {
    events.length = 0
    const r = await exec(era)
    ok(r)
    const id = r.json.execution_id as string
    const key = Object.keys(r.json.input_requests)[0]!
    const a = await gw.req('POST', `/executions/${id}/input`, { token: alice, body: { responses: { [key]: ANSWER } } })
    ok(a)
    assert.is(a.json.status, 'completed')
    // This instance reads the stored result (it waits for the write).
    const v = await gw.req('GET', `/executions/${id}`, { token: alice })
    assert.is(v.json.status, 'completed', v.text)
    const at = (e: string) => events.indexOf(e)
    const execute = at(`end /api/v1/mcps/${ids[era]}/tools/ask_form/execute`)
    const input = at(`end /api/v1/executions/${id}/input`)
    assert.ok(execute >= 0 && input >= 0, events.join(', '))
    // Before: each write began while the answer was still being written, so ahead of it.
    // ... and asks for no flush of its own, which the answer's take would queue behind: the take's covers it.
    assert.ok(execute < at('create lazy'), events.join(', '))
    // The result's write begins after the answer went out, unless the answer was still waiting for
    // its own take to be durable (then nothing of it waits for the write).
    const result = at('update completed')
    assert.ok(input < result || result < at('durable working'), events.join(', '))
    // The answer itself is taken, and durable, before its response, as the contract says.
    assert.ok(at('durable working') < input, events.join(', '))
  })
}

test('legacy: a call its holder ends before the take is durable is answered without waiting for the result to be stored', async () => {
  const r = await exec('legacy')
  ok(r)
  const id = r.json.execution_id as string
  let letTake!: () => void
  takeHeld = new Promise((res) => (letTake = res))
  let letResult!: () => void
  let reached!: () => void
  const atResult = new Promise<void>((res) => (reached = res))
  resultHeld = { reached, until: new Promise((res) => (letResult = res)) }
  try {
    const key = Object.keys(r.json.input_requests)[0]!
    const answer = gw.req('POST', `/executions/${id}/input`, { token: alice, body: { responses: { [key]: ANSWER } } })
    // The holder has the answer (at the take's commit) and has ended the call: its result is on its way to the store.
    await atResult
    letTake()
    // Before: the answer looked for the end only once its take was durable, in the store, so waited for the held write.
    const a = await within(answer, 10_000)
    assert.ok(a, 'the answer waited for the result to be stored')
    ok(a)
    assert.is(a.json.status, 'completed')
    assert.equal(a.json.content, [{ type: 'text', text: 'hello Ada (36)' }])
  } finally {
    takeHeld = undefined
    resultHeld = undefined
    letTake()
    letResult()
  }
  const v = await gw.req('GET', `/executions/${id}`, { token: alice })
  assert.is(v.json.status, 'completed', v.text)
})

test('legacy: a question whose write fails ends its call upstream, and the execution is not found', async () => {
  const release = gate()
  failCreate = true
  const cancelled = legacy.cancelled
  const r = await within(exec('legacy'), 10_000)
  release()
  assert.ok(r, 'execute waited for the question to be stored')
  assert.is(r.json.status, 'input_required')
  const deadline = Date.now() + 20_000
  while (legacy.cancelled === cancelled) {
    assert.ok(Date.now() < deadline, 'the upstream request was never cancelled')
    await new Promise((res) => setTimeout(res, 50))
  }
  const v = await gw.req('GET', `/executions/${r.json.execution_id}`, { token: alice })
  assert.is(v.status, 404, v.text)
  assert.ok(gw.logs.slice(logFrom).some((l) => l.includes('execution question not stored')))
})

const doc = (owner: string): Execution => {
  const now = Date.now()
  return {
    owner, org: null, mcp_id: 'm', op: 'tool', name: 't', declared: FORM, era: 'modern', status: 'input_required', round: 1, progress: null,
    input_requests: {}, answer_by: now + 60_000, answers: null, resume: null, result: null, result_parts: 0, error: null, created_at: now, updated_at: now, expires_at: now + 60_000,
  }
}

test('another instance waits for a young execution to be stored; an unknown or foreign one is 404', async () => {
  const d = gw.deps
  const caller = { sub: 'alice', admin: false }
  for (const owner of ['alice', 'bob']) {
    const id = executionId(d)
    const watched = new Promise<void>((r) => watching.set(id, r))
    // No write of this instance is pending for it: as on an instance that did not answer the question.
    const got = loadExecution(d, caller, id).then((rec) => rec.data.owner, (e) => e.code as string)
    await watched
    await real.create(EXECUTIONS, id, doc(owner))
    assert.is(await got, owner === 'alice' ? 'alice' : 'not_found')
    watching.delete(id)
  }
  // Never made here (or made long ago): no wait for the store.
  const t0 = performance.now()
  for (const id of [newId(), `${newId()}${(Date.now() - 60_000).toString(36).padStart(9, '0')}`]) {
    const e = await loadExecution(d, caller, id).then(() => null, (x) => x)
    assert.is(e?.code, 'not_found')
  }
  assert.ok(performance.now() - t0 < 5_000, 'an unknown execution waited for the store')
})

test('one user waits for at most EXECUTION_YOUNG_WAITS_PER_USER young ids at once: the next is 404 at once, another user\'s wait still works', async () => {
  const d = gw.deps
  const max = d.config.youngWaitsPerUser
  const alice = { sub: 'alice', admin: false }
  const made = Array.from({ length: max }, () => executionId(d))
  const watched = made.map((id) => new Promise<void>((r) => watching.set(id, r)))
  const held = made.map((id) => loadExecution(d, alice, id).then((rec) => rec.data.owner, (e) => e.code as string))
  await Promise.all(watched)
  // One more of alice's, made up like the others: no wait, no watch.
  const extra = executionId(d)
  let waited = false
  watching.set(extra, () => { waited = true })
  const t0 = performance.now()
  const e = await loadExecution(d, alice, extra).then(() => null, (x) => x)
  assert.is(e?.code, 'not_found')
  assert.not.ok(waited, 'the wait past the limit watched the store')
  assert.ok(performance.now() - t0 < 5_000, `${performance.now() - t0} ms`)
  // bob's young execution, stored while alice's waits are held, is found.
  const id = executionId(d)
  const seen = new Promise<void>((r) => watching.set(id, r))
  const bobs = loadExecution(d, { sub: 'bob', admin: false }, id).then((rec) => rec.data.owner, (x) => x.code as string)
  await seen
  await real.create(EXECUTIONS, id, doc('bob'))
  assert.is(await bobs, 'bob')
  // alice's waits end as their records land, and her next wait is a wait again.
  for (const m of made) await real.create(EXECUTIONS, m, doc('alice'))
  assert.equal(await Promise.all(held), made.map(() => 'alice'))
  const again = executionId(d)
  const watchedAgain = new Promise<void>((r) => watching.set(again, r))
  const got = loadExecution(d, alice, again).then((rec) => rec.data.owner, (x) => x.code as string)
  await watchedAgain
  await real.create(EXECUTIONS, again, doc('alice'))
  assert.is(await got, 'alice')
  for (const k of [...made, extra, id, again]) watching.delete(k)
})

test.run()
