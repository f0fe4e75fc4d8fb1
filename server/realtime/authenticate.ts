// Realtime connections authenticate exactly like pages: the session cookie, or
// an API token (Authorization header, ?token= for Yjs, auth.token for Socket.IO).
import type { IncomingMessage } from "node:http";
import { authenticate } from "~/utils/auth.server";
import { prisma } from "~/utils/db.server";
import { loadActor, type Actor } from "~/utils/permissions.server";

export type RealtimeUser = { actor: Actor; displayName: string };

export async function authenticateUpgrade(request: IncomingMessage, token?: string | null): Promise<RealtimeUser | null> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const userId = await authenticate({
    cookie: request.headers.cookie,
    authorization: request.headers.authorization,
    token: token ?? url.searchParams.get("token"),
  });
  if (!userId) return null;
  const [actor, user] = await Promise.all([loadActor(userId), prisma.user.findUnique({ where: { id: userId }, select: { displayName: true } })]);
  if (!actor || !user) return null;
  return { actor, displayName: user.displayName };
}

const CARET_COLORS = ["#d4380d", "#1677ff", "#389e0d", "#c41d7f", "#d48806", "#08979c", "#531dab", "#7c5c00"];

/** A stable caret colour per person, so everyone sees the same colour for the same name. */
export function colorFor(userId: string): string {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return CARET_COLORS[h % CARET_COLORS.length]!;
}
