/**
 * Item 3: store and vault operations per `execute`, counted in-process: a
 * second gateway (test/support/gateway.ts) whose real LocalStore and
 * LocalVault are wrapped in counting proxies. The MCP uses a bearer token, so
 * the vault is on the path.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalStore } from '../shared/adapters/store-local.js'
import { LocalVault } from '../shared/adapters/vault-local.js'
import { startGateway } from '../test/support/gateway.js'
import { countingProxy, perCall, type Counts } from './counting.js'
import { ECHO } from './api.js'

type Ops = ReturnType<typeof perCall>
export interface StoreOps { server: string; cold: { store: Ops; vault: Ops }; warm: { store: Ops; vault: Ops }; warm_calls: number }

const clear = (c: Counts) => { for (const k of Object.keys(c)) delete c[k] }

export async function storeOps(server: string, url: string, upstreamToken: string, warmCalls: number): Promise<StoreOps> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-bench-ops-'))
  const storeCounts: Counts = {}
  const vaultCounts: Counts = {}
  const [store, vault] = await Promise.all([LocalStore.open({ dir: join(dir, 'store') }), LocalVault.open({ dir })])
  const gw = await startGateway({
    over: { store: async () => countingProxy(store, storeCounts), vault: async () => countingProxy(vault, vaultCounts) },
  }).catch(async (e) => { await store.close(); await vault.close(); throw e })
  try {
    const token = await gw.token('ops-user')
    const reg = await gw.req('POST', '/mcps', { token, body: { name: 'ops', type: 'http', endpoint: url, auth_type: 'bearer', config: { token: upstreamToken } } })
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${reg.text}`)
    const call = async () => {
      const r = await gw.req('POST', `/mcps/${reg.json.id}/tools/echo/execute`, { token, body: { arguments: ECHO } })
      if (r.status !== 200 || r.json.is_error !== false) throw new Error(`execute: ${r.status} ${r.text}`)
    }
    clear(storeCounts); clear(vaultCounts)
    await call()
    const cold = { store: perCall(storeCounts, 1), vault: perCall(vaultCounts, 1) }
    clear(storeCounts); clear(vaultCounts)
    for (let i = 0; i < warmCalls; i++) await call()
    const warm = { store: perCall(storeCounts, warmCalls), vault: perCall(vaultCounts, warmCalls) }
    return { server, cold, warm, warm_calls: warmCalls }
  } finally {
    await gw.close()
    await rm(dir, { recursive: true, force: true })
  }
}
