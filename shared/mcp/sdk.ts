/**
 * The MCP client SDK, imported on first use: a cold instance that never calls
 * upstream (CRUD, a tool listing served from the store) never loads it. Every
 * module that needs it at run time goes through `loadSdk`.
 */
/** The parts of the SDK the gateway uses (client-sdk.ts). */
export type Sdk = typeof import('./client-sdk.js')

let loading: Promise<Sdk> | undefined
let loaded: Sdk | undefined

export const loadSdk = (): Promise<Sdk> => (loading ??= import('./client-sdk.js').then((m) => (loaded = m)))

/** The SDK once loaded, else undefined: an error can only be one of its classes if it has been. */
export const sdkIfLoaded = (): Sdk | undefined => loaded
