/** `npm start`: every function on 127.0.0.1:$PORT in local mode. */
process.env.GATEWAY_MODE = 'local'
const { deps } = await import('../shared/deps.js')
const { startLocal } = await import('../shared/local/server.js')
const { loadOrCreateLocalKey } = await import('../shared/auth/local-key.js')

const { loadCatalogAtStart } = await import('../shared/stdio/load.js')

const d = deps()
try {
  loadCatalogAtStart(d.config.stdioCatalog)
} catch (e) {
  // A bad catalog stops start-up, with its message (file, entry, problem), not every stdio request later.
  process.stderr.write(`${(e as Error).message}\n`)
  process.exit(1)
}
await loadOrCreateLocalKey(d.config.dataDir)
const local = await startLocal({ port: d.config.port })
process.stderr.write(
  [
    `MCP gateway (local mode) listening on ${local.url}/api/v1`,
    `  data dir: ${d.config.dataDir} (embedded store + encrypted vault)`,
    `  get a token:  TOKEN=$(npm run -s dev-token -- --user alice)`,
    `  then:         curl -H "Authorization: Bearer $TOKEN" ${local.url}/api/v1/mcps`,
    '',
  ].join('\n'),
)
const stop = async () => {
  await local.close()
  const { flushed } = await import('../shared/background.js')
  const { closeAll } = await import('../shared/mcp/connect.js')
  const { stopPool } = await import('../shared/pool/instance.js')
  // stdio children get their grace (SIGTERM, then SIGKILL), audit records are flushed.
  await Promise.race([Promise.all([flushed(), closeAll(), stopPool()]), new Promise((r) => setTimeout(r, 8000))])
  await (await d.store()).close().catch(() => {})
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
