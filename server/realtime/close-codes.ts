// WebSocket close codes the server uses when it ends a connection on purpose,
// in the application range (4000–4999): the HTTP status they echo, plus 4000.
// A client can tell "sign in again" from "you lost access" from "it is gone".
export const CLOSE = {
  /** The credentials no longer sign anyone in (signed out, token revoked or expired). */
  signedOut: 4401,
  /** Still signed in, but no longer allowed to open this document. */
  forbidden: 4403,
  /** The document was removed (its agenda item left the agenda). */
  gone: 4404,
} as const;
