/** What /health reports: adapters reachable, configuration shape, no secrets. */
import type { Deps } from './deps.js'
import { describeConfig } from './config.js'
import { VERSION } from './version.js'

async function probe(f: () => Promise<void>, ms = 3000): Promise<{ ok: boolean; latency_ms: number; error?: string }> {
  const t0 = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([f(), new Promise((_, rej) => (timer = setTimeout(() => rej(new Error('timeout')), ms)))])
    return { ok: true, latency_ms: Math.round(performance.now() - t0) }
  } catch (e: any) {
    // A code name only: adapter messages could carry resource names.
    return { ok: false, latency_ms: Math.round(performance.now() - t0), error: e?.code && typeof e.code === 'string' ? e.code : 'unreachable' }
  } finally {
    clearTimeout(timer)
  }
}

export async function health(d: Deps) {
  const [store, vault] = await Promise.all([probe(async () => (await d.store()).ping()), probe(async () => (await d.vault()).ping())])
  const configured = Boolean(d.config.auth.issuer && d.config.auth.audience && (d.config.auth.jwksUrl || d.config.mode === 'local'))
  const ok = store.ok && vault.ok && configured
  return {
    status: ok ? 'ok' : 'degraded',
    version: VERSION,
    store: { adapter: d.config.store, ...store },
    vault: { adapter: d.config.vault, ...vault },
    config: { ok: configured, ...describeConfig(d.config) },
  }
}
