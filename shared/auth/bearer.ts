/**
 * The token of `Authorization: Bearer <token>` (RFC 6750 §2.1), when it has a
 * JWT's shape. The scheme is case-insensitive (RFC 7235 §2.1: `bearer` and
 * `BEARER` are `Bearer`), then one or more spaces, then the token.
 */
export const bearerJwt = (authorization: string | undefined): string | undefined =>
  /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+) *$/i.exec(authorization ?? '')?.[1]
