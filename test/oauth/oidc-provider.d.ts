/**
 * The slice of `oidc-provider` 9.x that test/oauth/provider.ts uses. The
 * package ships no typings and we do not depend on `@types/oidc-provider`
 * (it lags the 9.x line), so this ambient module keeps `strict` honest about
 * the calls we make and leaves configuration loosely typed.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface KoaContext {
    path: string
    method: string
    status: number
    body: unknown
    /** The response Content-Type (Koa's setter takes a type or a full header value). */
    type: string
    querystring: string
    query: Record<string, string | string[] | undefined>
    headers: Record<string, string | string[] | undefined>
    respond?: boolean
    req: IncomingMessage
    res: ServerResponse
    oidc?: {
      route?: string
      params?: Record<string, unknown>
      /** The parsed request body (form or JSON), once oidc-provider has read it. */
      body?: Record<string, unknown>
      client?: Client
    }
  }

  export type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>

  export interface InteractionDetails {
    uid: string
    params: Record<string, unknown> & { client_id: string; scope?: string; resource?: string | string[] }
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> }
    session?: { accountId?: string; uid?: string }
    grantId?: string
  }

  export interface Grant {
    addOIDCScope(scope: string): void
    addResourceScope(resource: string, scope: string): void
    save(): Promise<string>
  }

  export interface Client {
    clientId: string
    clientAuthMethod: string
    grantTypeAllowed(type: string): boolean
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    readonly issuer: string
    proxy: boolean
    use(fn: Middleware): this
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    on(event: string, listener: (...args: any[]) => void): this
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      opts?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    readonly Grant: {
      new (init: { accountId: string; clientId: string }): Grant
      find(id: string): Promise<Grant | undefined>
    }
    readonly Client: {
      find(id: string): Promise<Client | undefined>
    }
  }

  export default Provider
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** A fresh in-memory store for one provider; pass it on to another to keep clients and grants. */
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => unknown
}
