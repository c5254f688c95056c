/**
 * What the gateway uses of the MCP client SDK, named, so the bundle keeps only
 * these (and what they need): `import()` of the package itself keeps every
 * export (auth extensions, DPoP, cross-app access, middleware, ...). Load it
 * through `loadSdk` (sdk.ts), never statically.
 */
export {
  Client, StreamableHTTPClientTransport, SSEClientTransport,
  ProtocolError, SdkError, SdkErrorCode, SdkHttpError, SseError, UnauthorizedError, InsufficientScopeError,
  registerClient, startAuthorization, validateAuthorizationResponseIssuer,
  discoverAuthorizationServerMetadata, discoverOAuthProtectedResourceMetadata,
  resourceUrlFromServerUrl, extractWWWAuthenticateParams, checkResourceAllowed, parseJSONRPCMessage,
} from '@modelcontextprotocol/client'
