// Socket.IO: live events around the documents (who is in a session, rendered
// agenda text). Rooms live in the adapter, so a Redis adapter spreads them over
// several processes without changing this file.
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import { sessionJoinSchema, topicJoinSchema } from "~/utils/schemas";
import { LIVE_ACTIONS } from "~/models/live-actions.server";
import { liveState } from "~/models/live-session.server";
import { IllegalMove } from "~/models/topic-states";
import { InputRejected, RuleBroken } from "~/utils/errors";
import { NotFound, PermissionDenied, can, loadSessionResource, loadTopicResource } from "~/utils/permissions.server";
import { rooms } from "~/utils/realtime.server";
import { authenticateUpgrade, type RealtimeUser } from "./authenticate";

type Refusal = { ok: false; error: string; status: number; key?: string; values?: Record<string, unknown>; field?: string };
type Ack = (reply: { ok: true; [key: string]: unknown } | Refusal) => void;
type SocketData = { user: RealtimeUser };
const VIEWERS_EVERY_MS = 1000;

export function createSocketServer(httpServer: HttpServer) {
  const io = new Server<Record<string, never>, Record<string, (...args: unknown[]) => void>, Record<string, never>, SocketData>(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // Leave other upgrades (Yjs, Vite's HMR) to their own handlers.
    destroyUpgrade: false,
  });

  io.use(async (socket, next) => {
    try {
      const token = typeof socket.handshake.auth?.token === "string" ? socket.handshake.auth.token : null;
      const user = await authenticateUpgrade(socket.request, token);
      if (!user) return next(Object.assign(new Error("unauthorized: sign in or pass an API token"), { data: { status: 401 } }));
      socket.data.user = user;
      next();
    } catch (error) {
      next(error as Error);
    }
  });

  io.on("connection", (socket) => {
    // Each person's own room: notifications and their unread badge.
    void socket.join(rooms.user(socket.data.user.actor.userId));
    on(socket, "topic:join", topicJoinSchema, async ({ topicId }) => {
      const topic = await loadTopicResource(topicId);
      if (!topic) return { ok: false, status: 404, error: `no topic ${topicId}` };
      if (!can(socket.data.user.actor, "topic:view", topic)) return { ok: false, status: 403, error: "you may not follow this topic" };
      await socket.join(rooms.topic(topicId));
      return { ok: true };
    });
    on(socket, "topic:leave", topicJoinSchema, async ({ topicId }) => {
      await socket.leave(rooms.topic(topicId));
      return { ok: true };
    });
    on(socket, "session:join", sessionJoinSchema, async ({ sessionId }) => {
      const session = await loadSessionResource(sessionId);
      if (!session) return { ok: false, status: 404, error: `no session ${sessionId}` };
      if (!can(socket.data.user.actor, "session:view", session)) return { ok: false, status: 403, error: "you may not follow this session" };
      const room = `session:${sessionId}`;
      await socket.join(room);
      await announceViewers(room);
      // A client that (re)joins gets the whole current state at once.
      return { ok: true, state: await liveState(sessionId, socket.data.user.actor) };
    });
    for (const [name, a] of Object.entries(LIVE_ACTIONS)) {
      on(socket, name, a.schema, async (input) => {
        const result = await (a.run as (actor: typeof socket.data.user.actor, i: unknown) => Promise<unknown>)(socket.data.user.actor, input);
        return { ok: true, ...(result && typeof result === "object" ? result : {}) };
      });
    }
    on(socket, "session:leave", sessionJoinSchema, async ({ sessionId }) => {
      const room = `session:${sessionId}`;
      await socket.leave(room);
      await announceViewers(room);
      return { ok: true };
    });
    socket.on("disconnecting", () => {
      const rooms = [...socket.rooms].filter((r) => r.startsWith("session:"));
      setImmediate(() => rooms.forEach((r) => void announceViewers(r).catch(() => {})));
    });
  });

  /**
   * Who is following a session, across every process (fetchSockets asks the adapter).
   * At most once a second per room and the first 50 names: in a room of a thousand,
   * a list to everyone on every join would be a million messages.
   */
  const viewerTimers = new Map<string, NodeJS.Timeout>();
  async function announceViewers(room: string) {
    if (viewerTimers.has(room)) return;
    viewerTimers.set(
      room,
      setTimeout(async () => {
        viewerTimers.delete(room);
        const sockets = await io.in(room).fetchSockets().catch(() => []);
        const viewers = new Map<string, string>();
        for (const s of sockets) viewers.set(s.data.user.actor.userId, s.data.user.actor.displayName);
        io.to(room).emit("session:viewers", { count: viewers.size, viewers: [...viewers].slice(0, 50).map(([id, name]) => ({ id, name })) });
      }, VIEWERS_EVERY_MS),
    );
  }

  return io;
}

/**
 * One way to handle a client event: validate the payload with its zod schema,
 * answer through the acknowledgement, and never let a handler's error escape.
 * Refusals speak the app's one vocabulary (app/utils/refusal.server.ts):
 * { ok: false, status, key, message, field?, values? }, with `error` kept as
 * the message for clients written before it.
 */
function on<S extends z.ZodType>(
  socket: Socket,
  event: string,
  schema: S,
  handler: (payload: z.infer<S>) => Promise<Parameters<Ack>[0]>,
): void {
  socket.on(event, async (payload: unknown, ack: unknown) => {
    const reply: Ack = typeof ack === "function" ? (ack as Ack) : () => {};
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join(".") || "payload";
      return reply(await refusalAck(socket, new InputRejected(path, issueOf(path, issue?.message ?? "", "en").key)));
    }
    try {
      reply(await handler(parsed.data));
    } catch (error) {
      const refusal = await refusalAck(socket, error);
      if (refusal.status >= 500) console.error(`[socket] ${event} failed`, error);
      reply(refusal);
    }
  });
}

/** Anything thrown, as an acknowledgement in the asker's language (their language cookie, else Accept-Language). */
async function refusalAck(socket: Socket, error: unknown): Promise<Refusal & { message: string }> {
  const headers = socket.handshake.headers;
  const locale = await localeOfHeaders({ cookie: headers.cookie, acceptLanguage: headers["accept-language"] });
  const r = refusalOf(error, locale);
  return { ok: false, ...r, error: r.message };
}

// Imports for the error mapping above, kept beside it (the top of this file belongs to the connection layer).
import { issueOf, refusalOf } from "~/utils/refusal.server";
import { localeOfHeaders } from "~/utils/locale.server";
