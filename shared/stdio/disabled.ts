/** stdio servers are off on this gateway: no catalog (`STDIO_CATALOG`) is configured. */
import { AppError } from '../errors.js'

/** The registration refusal's message (400, at `/type`). */
export const STDIO_OFF = 'is "stdio", but stdio servers are disabled on this gateway: the operator has not set STDIO_CATALOG (the stdio catalog)'

/** Using a stdio config registered before the catalog was removed: 503, naming the setting. */
export const stdioDisabled = () =>
  new AppError('unavailable', 'stdio servers are disabled on this gateway: the operator has not set STDIO_CATALOG (the stdio catalog), so this server cannot run until it is set again.', { reason: 'stdio_disabled' })
