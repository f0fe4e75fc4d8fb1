// Realtime connections authenticate exactly like pages: the session cookie, or
// an API token (Authorization header, ?token= for Yjs, auth.token for Socket.IO).
import type { IncomingMessage } from "node:http";
import { authenticate } from "~/utils/auth.server";
import { loadActor, type Actor } from "~/utils/permissions.server";
import { hasBearer, isCrossSiteUpgrade } from "../origin";

export type RealtimeUser = { actor: Actor };

export async function authenticateUpgrade(request: IncomingMessage, token?: string | null): Promise<RealtimeUser | null> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const queryToken = token ?? url.searchParams.get("token");
  // A page of another site may open a WebSocket to us and the browser adds the cookie:
  // such a connection is refused like an anonymous one (tokens are not sent by browsers on their own).
  if (isCrossSiteUpgrade(request.headers, Boolean(queryToken) || hasBearer(request.headers.authorization))) return null;
  const userId = await authenticate({
    cookie: request.headers.cookie,
    authorization: request.headers.authorization,
    token: queryToken,
  });
  if (!userId) return null;
  const actor = await loadActor(userId);
  return actor ? { actor } : null;
}
