/**
 * Which environment variables the configuration reads, found by running it:
 * `parseConfig` is a pure function of an env object, so it is given a Proxy
 * that records every name it asks for, in both modes and with nothing set (so
 * every fallback is read too).
 */
import { parseConfig } from '../../shared/config.js'

export function envRead(): Set<string> {
  const names = new Set<string>()
  for (const mode of ['local', 'production']) {
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_t, k) => {
        if (typeof k !== 'string') return undefined
        names.add(k)
        return k === 'GATEWAY_MODE' ? mode : undefined
      },
      has: (_t, k) => (typeof k === 'string' && names.add(k), false),
    })
    parseConfig(env)
  }
  return names
}
