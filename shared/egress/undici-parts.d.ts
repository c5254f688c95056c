// undici's own modules behind shared/egress/undici.ts (CommonJS, no typings of their own).
declare module 'undici/lib/dispatcher/agent.js' {
  const Agent: unknown
  export default Agent
}
declare module 'undici/lib/core/connect.js' {
  const buildConnector: unknown
  export default buildConnector
}
declare module 'undici/lib/api/api-request.js' {
  const request: unknown
  export default request
}
