// Realtime connections authenticate exactly like pages: the session cookie, or
// an API token (Authorization header, ?token= for Yjs, auth.token for Socket.IO).
// The credentials are kept with the connection: when rights change, the same
// credentials are checked again (a signed-out cookie no longer opens anything).
import type { IncomingMessage } from "node:http";
import { authenticate, type Credentials } from "~/utils/auth.server";
import { loadActor, type Actor } from "~/utils/permissions.server";
import { hasBearer, isCrossSiteUpgrade } from "../origin";

export type RealtimeUser = { actor: Actor; credentials: Credentials };

export async function authenticateUpgrade(request: IncomingMessage, token?: string | null): Promise<RealtimeUser | null> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const queryToken = token ?? url.searchParams.get("token");
  // A page of another site may open a WebSocket to us and the browser adds the cookie:
  // such a connection is refused like an anonymous one (tokens are not sent by browsers on their own).
  if (isCrossSiteUpgrade(request.headers, Boolean(queryToken) || hasBearer(request.headers.authorization))) return null;
  return authenticateAgain({
    cookie: request.headers.cookie,
    authorization: request.headers.authorization,
    token: queryToken,
  });
}

/** The actor behind these credentials now, or null once they no longer sign anyone in. */
export async function authenticateAgain(credentials: Credentials): Promise<RealtimeUser | null> {
  const userId = await authenticate(credentials);
  if (!userId) return null;
  const actor = await loadActor(userId);
  return actor ? { actor, credentials } : null;
}
