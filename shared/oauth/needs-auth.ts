/**
 * 409 authorization_required for an OAuth config: the user has to connect
 * (again). Every one names its cause (`reason`) and its way out (`start_url`).
 */
import { AppError } from '../errors.js'

export type NeedsAuthReason =
  /** Never connected, or disconnected. */
  | 'not_connected'
  /** The provider refused the refresh token (`invalid_grant`): revoked or expired there. */
  | 'revoked'
  /** The access token expired and there is no refresh token. */
  | 'expired'
  /** The provider no longer knows the gateway's client (`invalid_client`); the next start registers anew. */
  | 'invalid_client'
  /** The gateway's registration was replaced or dropped since this connection was made. */
  | 'registration_gone'
  /** The pre-registered client (`config.oauth.client_id`) changed or was removed. */
  | 'client_changed'
  /** The MCP server's endpoint changed: tokens go only to the server they were issued for. */
  | 'endpoint_changed'
  /** The provider refused the client for this grant (`unauthorized_client`). */
  | 'unauthorized_client'
  /** A connection marked as needing the user for a reason recorded before reasons were kept. */
  | 'needs_auth'

/** Where the user connects this MCP server: the one builder of `start_url`. */
export const startUrl = (mcpId: string) => `/api/v1/mcps/${mcpId}/oauth/start`

export const needsAuth = (mcpId: string, reason: NeedsAuthReason, message = 'Connect this MCP server first.', extra: Record<string, unknown> = {}) =>
  new AppError('authorization_required', message, { start_url: startUrl(mcpId), reason, ...extra })
