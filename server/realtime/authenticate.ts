// Realtime connections authenticate exactly like pages: the session cookie, or
// an API token (Authorization header, ?token= for Yjs, auth.token for Socket.IO),
// or a single-use realtime ticket (?ticket= for Yjs; a ticket is also accepted
// where a token is), which keeps long-lived tokens out of URLs and proxy logs.
import type { IncomingMessage } from "node:http";
import { authenticate } from "~/utils/auth.server";
import { loadActor, type Actor } from "~/utils/permissions.server";

export type RealtimeUser = { actor: Actor };

export async function authenticateUpgrade(request: IncomingMessage, token?: string | null): Promise<RealtimeUser | null> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const userId = await authenticate({
    cookie: request.headers.cookie,
    authorization: request.headers.authorization,
    token: token ?? url.searchParams.get("token"),
    ticket: url.searchParams.get("ticket"),
  });
  if (!userId) return null;
  const actor = await loadActor(userId);
  return actor ? { actor } : null;
}
