/** `npm start`: every function on 127.0.0.1:$PORT in local mode. */
process.env.GATEWAY_MODE = 'local'
const { deps } = await import('../shared/deps.js')
const { startLocal } = await import('../shared/local/server.js')
const { handlers } = await import('../functions/names.js')
const { loadOrCreateLocalKey } = await import('../shared/auth/local-key.js')
const { VERSION } = await import('../shared/version.js')
const { devToken } = await import('../shared/auth/dev-token.js')

const { loadCatalogAtStart } = await import('../shared/stdio/load.js')

const fail = (msg: string): never => {
  process.stderr.write(`npm start: ${msg}\n`)
  process.exit(1)
}

let d: ReturnType<typeof deps>
try {
  d = deps()
} catch (e) {
  // parseConfig says which variable is wrong.
  fail((e as Error).message)
}
try {
  loadCatalogAtStart(d!.config.stdioCatalog)
} catch (e) {
  // A bad catalog stops start-up, with its message (file, entry, problem), not every stdio request later.
  fail((e as Error).message)
}
await loadOrCreateLocalKey(d!.config.dataDir)
const c = d!.config
const local = await startLocal({ port: c.port, handlers: handlers() }).catch((e: NodeJS.ErrnoException) =>
  fail(
    e?.code === 'EADDRINUSE' ? `port ${c.port} is in use (another gateway?): stop it, or set PORT to another port, e.g. PORT=8081 npm start`
    : e?.code === 'EACCES' ? `port ${c.port} needs privileges: set PORT to a port above 1023, e.g. PORT=8080 npm start`
    : String(e?.message ?? e),
  ),
)
const corsNote = c.appOrigins.length
  ? `  CORS: on for ${c.appOrigins.join(', ')}`
  : '  WARNING: APP_ORIGINS is empty, so CORS is off: no browser app can call this gateway (curl and servers can). Set APP_ORIGINS=http://localhost:5173 (your app\'s origin).'
// The console (public/) is served here, on the gateway's own origin: OAuth popups report back to it.
for (const o of [local.url, local.url.replace('127.0.0.1', 'localhost')]) if (!c.appOrigins.includes(o)) c.appOrigins.push(o)
// A dev token in the URL fragment (never sent to the server; the console moves it to sessionStorage).
const consoleToken = await devToken(c, { user: 'alice', ttlSec: 12 * 3600 })
process.stderr.write(
  [
    `MCP gateway ${VERSION} (local mode) listening on ${local.url}/api/v1`,
    `  console:  ${local.url}/#token=${consoleToken}`,
    '            (signed in as alice for 12 h; another user: npm run -s dev-token -- --user bob, and paste it)',
    `  data dir: ${c.dataDir} (embedded store + encrypted vault)`,
    corsNote,
    c.stdioCatalog
      ? `  stdio servers: on (catalog ${c.stdioCatalog})`
      : '  stdio servers: off (set STDIO_CATALOG=catalog/example.json to turn them on)',
    `  get a token:  TOKEN=$(npm run -s dev-token -- --user alice)`,
    `  then:         curl -H "Authorization: Bearer $TOKEN" ${local.url}/api/v1/mcps`,
    '',
  ].join('\n'),
)
let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  // Nothing below may keep the process alive: give up after 10 s.
  setTimeout(() => process.exit(1), 10_000).unref()
  await local.close()
  // Calls this process holds for interactive executions end now, saying so in their records.
  const { endRunning } = await import('../shared/executions/run.js')
  await Promise.race([endRunning(), new Promise((r) => setTimeout(r, 3000))])
  const { flushed } = await import('../shared/background.js')
  const { closeSessions } = await import('../shared/mcp/sessions.js')
  const { stopPool } = await import('../shared/stdio-pool/instance.js')
  // stdio children get their grace (SIGTERM, then SIGKILL), audit records are flushed.
  await Promise.race([Promise.all([flushed(), closeSessions(), stopPool()]), new Promise((r) => setTimeout(r, 8000))])
  await (await d!.store()).close().catch(() => {})
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
