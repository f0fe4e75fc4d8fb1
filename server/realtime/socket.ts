// Socket.IO: live events around the documents (who is in a session, rendered
// agenda text). Rooms live in the adapter, so a Redis adapter spreads them over
// several processes without changing this file.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { Server as Engine } from "engine.io";
import { Server, type Socket } from "socket.io";
import type { z } from "zod";
import { sessionJoinSchema, topicJoinSchema } from "~/utils/schemas";
import { taskJoinSchema } from "~/utils/task-schemas";
import { LIVE_ACTIONS } from "~/models/live-actions.server";
import { liveState } from "~/models/live-state.server";
import { InputRejected, Refusal as RefusalError } from "~/utils/errors";
import { nulField } from "~/utils/nul";
import { rateLimitsEnabled } from "~/utils/rate-limit.server";
import { DEFAULT_LOCALE, type Locale } from "~/utils/domain";
import { localeOfHeaders } from "~/utils/locale.server";
import { NotFound, can, type Actor, loadSessionResource, loadTaskResource, loadTopicResource, requirePermission } from "~/utils/permissions.server";
import { issueOf, refusalOf } from "~/utils/refusal.server";
import type { RightsChange } from "~/utils/rights.server";
import { socketRooms } from "~/utils/realtime.server";
import { authenticateAgain, authenticateUpgrade, type RealtimeUser } from "./authenticate";
import { sessionResourceForJoining } from "./connect-cache";
import { eventLimiter } from "./event-limits";

type Refusal = { ok: false; error: string; status: number; key?: string; values?: Record<string, unknown>; field?: string };
type Ack = (reply: { ok: true; [key: string]: unknown } | Refusal) => void;
type SocketData = { user: RealtimeUser; locale: Locale };
const VIEWERS_EVERY_MS = 1000;
export const SOCKET_IO_PATH = "/socket.io/";

/**
 * Socket.IO without an HTTP server of its own: the Node entry hands it the
 * requests and upgrades under /socket.io/, so it can be replaced (in
 * development, when the app's code changes) without touching the listener.
 */
type LiveSocket = Socket<Record<string, never>, Record<string, (...args: unknown[]) => void>, Record<string, never>, SocketData>;

export function createSocketServer() {
  const io = new Server<Record<string, never>, Record<string, (...args: unknown[]) => void>, Record<string, never>, SocketData>({
    path: SOCKET_IO_PATH,
    serveClient: false,
    // A phone that drops off for a moment (a lift, a tunnel) gets back its rooms and the events it
    // missed, from any node (the Redis streams adapter keeps the session). Only what it may still
    // have: guardRecovery (below) re-authenticates the session before anything is restored.
    // YISHI_SOCKET_RECOVERY=0 turns it off.
    ...(process.env.YISHI_SOCKET_RECOVERY !== "0" ? { connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false } } : {}),
  });
  // Paths are routed by the Node entry; the engine sees only requests under /socket.io/.
  const engine = new Engine();
  io.bind(engine);

  io.use(async (socket, next) => {
    try {
      // auth: { token } or auth: { ticket } (a realtime ticket is accepted wherever a token is).
      const given = socket.handshake.auth?.token ?? socket.handshake.auth?.ticket;
      const token = typeof given === "string" ? given : null;
      const user = await authenticateUpgrade(socket.request, token);
      if (!user) return next(Object.assign(new Error("unauthorized: sign in or pass an API token"), { data: { status: 401, key: "errors.unauthorized" } }));
      socket.data.user = user;
      // The asker's language, once: every refusal on this connection is in it (and a refusal costs no cookie parsing).
      const headers = socket.handshake.headers;
      socket.data.locale = await localeOfHeaders({ cookie: headers.cookie, acceptLanguage: headers["accept-language"] });
      next();
    } catch (error) {
      next(error as Error);
    }
  });

  // Every event of every connection passes its connection's and its person's token bucket
  // (server/realtime/event-limits.ts) before anything else: before validation, before any
  // database work, also for event names nobody handles. A refusal is a ready-made
  // acknowledgement, so a flood costs this process a subtraction and a small write per event.
  const limiter = eventLimiter();
  // What a connection may ask, declared once for every connection: each event's zod schema and
  // handler. A connection holds one middleware closure that limits and dispatches, not a
  // listener per event (25 closures and an event table per phone, about 5 KB: issue 16).
  const handlers = new Map<string, Handler>();
  const handle = <S extends z.ZodType>(event: string, schema: S, run: (socket: LiveSocket, payload: z.infer<S>) => Promise<Parameters<Ack>[0]>) =>
    handlers.set(event, { schema, run: run as Handler["run"] });
  handle("topic:join", topicJoinSchema, async (socket, { topicId }) => {
    const topic = await loadTopicResource(topicId);
    if (!topic) throw new NotFound("topic");
    await requireFresh(socket, (actor) => requirePermission(actor, "topic:view", topic));
    await socket.join(socketRooms.topic(topicId));
    return { ok: true };
  });
  handle("topic:leave", topicJoinSchema, async (socket, { topicId }) => {
    await socket.leave(socketRooms.topic(topicId));
    return { ok: true };
  });
  // A task's page follows its progress live (app/models/task.server.ts publishes task:changed).
  handle("task:join", taskJoinSchema, async (socket, { taskId }) => {
    const task = await loadTaskResource(taskId);
    if (!task) throw new NotFound("task");
    await requireFresh(socket, (actor) => requirePermission(actor, "task:view", task));
    await socket.join(`task:${taskId}`);
    return { ok: true };
  });
  handle("task:leave", taskJoinSchema, async (socket, { taskId }) => {
    await socket.leave(`task:${taskId}`);
    return { ok: true };
  });
  handle("session:join", sessionJoinSchema, async (socket, { sessionId }) => {
    const session = await sessionResourceForJoining(sessionId);
    if (!session) throw new NotFound("session");
    await requireFresh(socket, (actor) => requirePermission(actor, "session:view", session));
    const room = socketRooms.session(sessionId);
    await socket.join(room);
    await announceViewers(room);
    // A client that (re)joins gets the whole current state at once.
    return { ok: true, state: await liveState(sessionId, socket.data.user.actor) };
  });
  for (const [name, a] of Object.entries(LIVE_ACTIONS)) {
    handle(name, a.schema, async (socket, input) => {
      const result = await (a.run as (actor: Actor, i: unknown) => Promise<unknown>)(socket.data.user.actor, input);
      return { ok: true, ...(result && typeof result === "object" ? result : {}) };
    });
  }
  handle("session:leave", sessionJoinSchema, async (socket, { sessionId }) => {
    const room = socketRooms.session(sessionId);
    await socket.leave(room);
    await announceViewers(room);
    return { ok: true };
  });

  io.on("connection", (socket) => {
    // The handshake request (an IncomingMessage with its parser state and raw headers) would stay
    // referenced by engine.io for the connection's life; everything needed from it was read by the
    // middleware above (Socket.IO's "memory usage" page). socket.handshake keeps its headers.
    (socket.conn as unknown as { request: IncomingMessage | null }).request = null;
    const budget = rateLimitsEnabled() ? limiter.connection(socket.data.user.actor.userId) : null;
    if (budget) socket.once("disconnect", () => budget.release());
    let tooFast: Refusal | undefined;
    // Every event of every connection passes its connection's and its person's token bucket
    // (server/realtime/event-limits.ts) before anything else: before validation, before any
    // database work, also for event names nobody handles. A refusal is a ready-made
    // acknowledgement, so a flood costs this process a subtraction and a small write per event.
    socket.use((packet, next) => {
      if (budget) {
        const verdict = budget.admit();
        if (verdict === "disconnect") {
          // Packets already decoded still arrive here after the first disconnect: end it once.
          if (!socket.connected) return;
          console.warn(`[socket] ${socket.data.user.actor.userId} keeps flooding live events; disconnecting`);
          socket.disconnect(true);
          // A WebSocket close is a handshake: until the flooder answers it, ws would go on parsing
          // everything it already sent (thousands of frames). Dropping the TCP connection stops that.
          const transport = socket.conn.transport as unknown as { name: string; socket?: { terminate?: () => void } };
          if (transport.name === "websocket") transport.socket?.terminate?.();
          return;
        }
        if (verdict !== "ok") {
          const ack = packet[packet.length - 1];
          if (typeof ack !== "function") return; // dropped: no one is waiting for an answer
          tooFast ??= refusalReply(socket, new RefusalError(429, "errors.tooManyRequests", {}, undefined, "live events too fast"));
          (ack as Ack)(tooFast);
          return;
        }
      }
      const handler = handlers.get(packet[0] as string);
      if (!handler) return next();
      void dispatch(socket, packet[0] as string, handler, packet.slice(1));
    });
    // Recovered (connectionStateRecovery): its rooms came back with it; rights may have changed meanwhile.
    if (socket.recovered) void recheckSocket(socket).catch((e) => console.error("[socket] recheck", e));
    // Each person's own room: notifications and their unread badge.
    void socket.join(socketRooms.user(socket.data.user.actor.userId));
    socket.on("disconnecting", onDisconnecting);
  });

  /** Shared by every connection (EventEmitter calls it with the socket as `this`): the sessions it followed see it go. */
  function onDisconnecting(this: LiveSocket): void {
    const sessions = [...this.rooms].filter((r) => r.startsWith("session:"));
    setImmediate(() => sessions.forEach((r) => void announceViewers(r).catch(() => {})));
  }

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
        const sockets = await io
          .in(room)
          .fetchSockets()
          .catch(() => []);
        const viewers = new Map<string, string>();
        for (const s of sockets) viewers.set(s.data.user.actor.userId, s.data.user.actor.displayName);
        io.to(room).emit("session:viewers", { count: viewers.size, viewers: [...viewers].slice(0, 50).map(([id, name]) => ({ id, name })) });
      }, VIEWERS_EVERY_MS),
    );
  }

  /**
   * A right changed: this process's sockets of the people it touches get their
   * credentials and actor checked again; a socket whose credentials no longer
   * sign anyone in is told and disconnected, and one that may no longer see a
   * topic or session is told and leaves its room.
   */
  async function recheck(change: RightsChange): Promise<void> {
    if (!("userId" in change) && !("communityId" in change) && !("everyone" in change)) return; // sessions and items change documents' rights, not who may follow what
    // This process's own sockets: every process hears the change and handles its own.
    const touched = (socket: LiveSocket) =>
      "everyone" in change ||
      ("userId" in change
        ? socket.data.user.actor.userId === change.userId
        : socket.data.user.actor.memberships.some((m) => m.communityId === change.communityId));
    const sockets = [...io.of("/").sockets.values()].filter(touched);
    await Promise.all(sockets.map(recheckSocket));
  }

  /** One socket's sign-in and rooms, checked again (a right changed, or it came back with its rooms restored). */
  async function recheckSocket(socket: LiveSocket): Promise<void> {
    const now = await authenticateAgain(socket.data.user.credentials, { fresh: true });
    if (!now) {
      // With connection-state recovery, socket.emit goes through the adapter (Redis first, to get
      // an offset), so it would land after the disconnect below and never reach the client: this
      // one is written at once, on this node (`local`; socket.local would mean everyone else).
      io.local.to(socket.id).emit("rights:revoked", { status: 401, key: "errors.signedOut" });
      socket.disconnect(true);
      return;
    }
    socket.data.user = now;
    for (const room of socket.rooms) {
      if (await roomAllowed(now, room)) continue;
      socket.leave(room);
      socket.emit("rights:left", { room, status: 403, key: "errors.forbidden" });
      if (room.startsWith("session:")) void announceViewers(room);
    }
  }

  /**
   * Connection-state recovery, made safe. Socket.IO restores a session (its rooms, and the
   * packets it missed, written to the client at once) before any middleware runs, so neither the
   * sign-in check nor the rights check would come in time. Here the session's own credentials are
   * checked again before anything is restored: signed out (or the account gone), nothing is
   * recovered; a room it may no longer follow, and the whole recovery is refused, since the missed
   * packets no longer say which room they were for. The client then connects afresh, through the
   * sign-in check, and joins again what it may (as without recovery). The pid that asks is a
   * secret only that connection's client was told. Call again after the adapter changes.
   */
  function guardRecovery(): void {
    const adapter = io.of("/").adapter as unknown as { restoreSession: (pid: string, offset: string) => Promise<unknown> };
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid: string, offset: string) => {
      const session = (await restore(pid, offset)) as { rooms: string[]; data?: Partial<SocketData> } | undefined | null;
      if (!session) return session;
      const credentials = session.data?.user?.credentials;
      const now = credentials ? await authenticateAgain(credentials).catch(() => null) : null;
      if (!now) return Promise.reject(new Error("the session's sign-in no longer holds"));
      for (const room of session.rooms) if (!(await roomAllowed(now, room))) return Promise.reject(new Error(`${room} is no longer allowed`));
      session.data = { ...session.data, user: now } as SocketData;
      return session;
    };
  }
  guardRecovery();

  return {
    io,
    recheck,
    guardRecovery,
    handleRequest: (request: IncomingMessage, response: ServerResponse) => engine.handleRequest(request, response),
    handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => engine.handleUpgrade(request, socket, head),
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

/**
 * A join the connection's actor is refused is decided again on a fresh read of the person
 * (connect-cache.ts: a refusal is never decided from the cache), and the fresh actor is kept.
 */
async function requireFresh(socket: LiveSocket, check: (actor: Actor) => void): Promise<void> {
  try {
    return check(socket.data.user.actor);
  } catch (refused) {
    const now = await authenticateAgain(socket.data.user.credentials, { fresh: true });
    if (!now) throw refused;
    socket.data.user = now;
    check(now.actor);
  }
}

type Handler = { schema: z.ZodType; run: (socket: LiveSocket, payload: unknown) => Promise<Parameters<Ack>[0]> };

/**
 * One client event: validate the payload with its zod schema, answer through
 * the acknowledgement, and never let a handler's error escape.
 * Refusals speak the app's one vocabulary (app/utils/refusal.server.ts):
 * { ok: false, status, key, message, field?, values? }, with `error` kept as
 * the message for clients written before it.
 */
async function dispatch(socket: LiveSocket, event: string, handler: Handler, args: unknown[]): Promise<void> {
  // Socket.IO appends the acknowledgement as the last argument: with no payload it is the
  // first, with extra arguments it is not the second. Either way it is answered (the
  // hostile-input suite found both unanswered).
  const ack = typeof args[args.length - 1] === "function" ? args.pop() : undefined;
  const payload = args[0];
  const reply: Ack = typeof ack === "function" ? (ack as Ack) : () => {};
  const nul = nulField(payload);
  if (nul) return reply(await refusalAck(socket, new InputRejected(nul, "errors.invalidInput")));
  const parsed = handler.schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") || "payload";
    return reply(await refusalAck(socket, new InputRejected(path, issueOf(path, issue?.message ?? "", "en").key)));
  }
  try {
    reply(await handler.run(socket, parsed.data));
  } catch (error) {
    const refusal = await refusalAck(socket, error);
    if (refusal.status >= 500) console.error(`[socket] ${event} failed`, error);
    reply(refusal);
  }
}

/** Anything thrown, as an acknowledgement in the asker's language (their language cookie, else Accept-Language). */
async function refusalAck(socket: Socket, error: unknown): Promise<Refusal & { message: string }> {
  return refusalReply(socket, error);
}

/** refusalAck without waiting: the locale was read once when the connection was authenticated. */
function refusalReply(socket: Socket, error: unknown): Refusal & { message: string } {
  const r = refusalOf(error, (socket.data as Partial<SocketData>).locale ?? DEFAULT_LOCALE);
  return { ok: false, ...r, error: r.message };
}

/** Whether someone may (still) be in a room: a topic, task or session they may view, their own room, a socket's own id (rooms are listed in socketRooms). */
async function roomAllowed(user: RealtimeUser, room: string): Promise<boolean> {
  const [kind, id] = room.split(":") as [string, string | undefined];
  if (!id) return true; // a socket's own room (its id)
  if (kind === "topic") {
    const topic = await loadTopicResource(id);
    return !!topic && can(user.actor, "topic:view", topic);
  }
  if (kind === "task") {
    const task = await loadTaskResource(id);
    return !!task && can(user.actor, "task:view", task);
  }
  if (kind === "session") {
    const session = await loadSessionResource(id);
    return !!session && can(user.actor, "session:view", session);
  }
  if (kind === "user") return id === user.actor.userId;
  return false; // a room this list does not know: not restored unchecked
}
