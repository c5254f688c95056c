/**
 * Functions Framework entry point: registers every function by name. Nothing
 * heavy is imported here; each function's module loads on its first request.
 */
import { useCompileCache } from '../shared/compile-cache.js'
import { http } from '@google-cloud/functions-framework'
import { FUNCTIONS, lazy } from './names.js'
import { installBodyErrorHandler } from '../shared/body-errors.js'
import { installShutdown, onShutdown } from '../shared/shutdown.js'
import { parseConfig } from '../shared/config.js'
import { loadCatalogAtStart } from '../shared/stdio/load.js'

// A bad setting (e.g. RATE_LIMIT_USER=lots) stops the instance at start-up, naming the variable,
// instead of failing its first request; so does a bad stdio catalog (say, one that lets users set
// NODE_OPTIONS), with the catalog's own message, instead of failing every stdio request later.
// The catalog is the one the configuration names, as scripts/local.ts reads it.
loadCatalogAtStart(parseConfig(process.env).stdioCatalog)

// Every module loaded from here on (each function's chunk on its first call, the clients it
// loads) is read from the compile cache the deploy build filled, when there is one.
useCompileCache()

installBodyErrorHandler()
installShutdown()
// Audit records and learned state written in the background, and warm upstream sessions.
onShutdown(async () => (await import('../shared/background.js')).flushed())
onShutdown(async () => (await import('../shared/mcp/sessions.js')).closeSessions())
for (const name of Object.keys(FUNCTIONS)) http(name, lazy(name))
