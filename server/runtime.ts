// Everything the one process does besides HTTP plumbing: the database brought
// up to date, Socket.IO, Yjs rooms, the Redis relay and the rights fan-out.
// It is part of the Remix server build (app/entry.server.tsx re-exports
// startRuntime), so it shares one module graph with the pages: one Prisma
// client, one copy of every model and error class. The Node entry
// (server/index.ts) only calls it and routes requests and upgrades to it.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { isEmpty, seedDemo } from "../prisma/seed";
import { startScheduler } from "~/models/jobs.server";
import { issueSetupCode, needsSetup } from "~/models/setup.server";
import { prisma, provider } from "~/utils/db.server";
import { closeSqliteWriters } from "~/utils/sqlite-writer.server";
import { env } from "~/utils/env.server";
import { attachRealtime } from "~/utils/realtime.server";
import { attachDocumentAccessor } from "~/models/minutes/live-doc.server";
import { refuseUpgrade } from "./realtime/refuse-upgrade";
import { migrateDatabase } from "./migrate";
import { connectRedis } from "./realtime/redis";
import { enforceRightsChanges } from "./realtime/rights";
import { SOCKET_IO_PATH, createSocketServer } from "./realtime/socket";
import { YJS_PREFIX, createYjsEndpoint } from "./yjs/endpoint";
import { renderedCopyHooks } from "./yjs/rendered-copy";
import { Rooms } from "./yjs/rooms";
import { PrismaDocumentStore } from "./yjs/store";

export type Runtime = {
  /** True when the request was the runtime's (Socket.IO's long-polling). */
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean;
  /** Every upgrade but Vite's: Socket.IO, Yjs, and a refusal in the vocabulary for anything else. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Commits open documents and closes every connection (in development, before the next code takes over). */
  close(): Promise<void>;
  /** close(), then the database: the process is about to exit. */
  stop(): Promise<void>;
};

/** How often a node re-reads its loaded documents when it shares them with others (Rooms.catchUpAll). */
const CATCH_UP_MS = Number(process.env.YISHI_YJS_CATCH_UP_MS ?? 10_000);

const pathOf = (request: IncomingMessage) => new URL(request.url ?? "/", "http://localhost").pathname;

export async function startRuntime(): Promise<Runtime> {
  const { applied } = await migrateDatabase();
  if (applied.length) console.log(`[db] applied migrations: ${applied.join(", ")}`);
  if (provider === "sqlite") {
    // Every commit is synced to disk (FULL; better-sqlite3's WAL default is NORMAL, which survives a
    // crashed process but not a power cut in the community office), and deleted rows (a secret
    // vote's ballots) are overwritten on disk, not just unlinked.
    await prisma.$queryRawUnsafe("PRAGMA synchronous = FULL");
    await prisma.$queryRawUnsafe("PRAGMA secure_delete = ON");
  } else {
    // PostgreSQL's counterparts: a commit waits for the WAL flush unless the server was told
    // otherwise, which would break store-then-relay (0005); refuse to run on such a server.
    // Erasure is VACUUM after the delete (eraseDeletedRows, 0010).
    const [row] = await prisma.$queryRawUnsafe<{ synchronous_commit: string; fsync: string }[]>(
      "SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync",
    );
    if (row?.synchronous_commit === "off")
      throw new Error("PostgreSQL runs with synchronous_commit = off: an acknowledged ballot or edit could be lost; turn it on");
    if (row?.fsync === "off") console.warn("[db] PostgreSQL runs with fsync = off: fine for tests, never for a real council");
  }
  // The demo (published password) only when asked for; a real install starts with first-run setup.
  if (env().YISHI_DEMO === "1" && (await isEmpty())) {
    await seedDemo();
    console.log("[db] seeded the demo community (accounts in README.md; every password is public: never expose this site)");
  } else if (await needsSetup()) {
    console.log(`[setup] no account yet: open /setup with the one-time code ${await issueSetupCode()} (or run npm run setup on this machine)`);
  }

  const socket = createSocketServer();
  const { REDIS_URL } = env();
  const redis = REDIS_URL ? await connectRedis(REDIS_URL) : null;
  if (redis) {
    await redis.attach(socket.io);
    socket.guardRecovery(); // the Redis adapter replaced the one guarded at creation
    console.log("[redis] Socket.IO rooms, Yjs documents and rights changes are shared with the other processes");
  }
  const rooms = new Rooms(
    new PrismaDocumentStore(prisma),
    renderedCopyHooks(prisma, (room, event, payload) => socket.io.to(room).emit(event, payload)),
    redis?.relay,
  );
  // With several nodes, a loaded document is re-read from the database after Redis comes back
  // and now and then: an update stored by a node that died before publishing it still arrives.
  let catchUp: NodeJS.Timeout | undefined;
  if (redis) {
    redis.onReconnect(() => void rooms.catchUpAll());
    catchUp = setInterval(() => void rooms.catchUpAll(), CATCH_UP_MS);
    catchUp.unref();
  }
  const yjs = createYjsEndpoint(rooms);
  const stopRights = await enforceRightsChanges([yjs.recheck, socket.recheck], redis?.rights);
  attachRealtime({ emitter: socket.io, stats: () => ({ documentsLoaded: rooms.size, connections: rooms.connections }) });
  // Server-side changes of co-edited documents (the minutes' fact blocks) go through the rooms.
  attachDocumentAccessor({ change: (name, fn) => rooms.change(name, fn), read: (name, fn) => rooms.read(name, fn) });
  // Reminders and roll-ups: every process runs the scheduler; the lease in the database runs each job once.
  const scheduler = startScheduler(prisma);

  async function close() {
    // First, so a job in hand finishes (and logs) while the database and sockets are still there.
    await scheduler.stop();
    clearInterval(catchUp);
    stopRights();
    attachRealtime(null);
    attachDocumentAccessor(null);
    await socket.close();
    await rooms.closeAll();
    await redis?.close();
  }

  return {
    handleRequest(request, response) {
      if (!pathOf(request).startsWith(SOCKET_IO_PATH)) return false;
      socket.handleRequest(request, response);
      return true;
    },
    handleUpgrade(request, duplex, head) {
      const pathname = pathOf(request);
      if (pathname.startsWith(SOCKET_IO_PATH)) {
        socket.handleUpgrade(request, duplex, head);
        return true;
      }
      if (pathname.startsWith(YJS_PREFIX)) {
        yjs.handleUpgrade(request, duplex, head).catch((error) => {
          console.error("[yjs] upgrade failed", error);
          refuseUpgrade(duplex, 500, "could not open the document", request);
        });
        return true;
      }
      refuseUpgrade(duplex, 404, `no WebSocket endpoint at ${pathname}`, request);
      return true;
    },
    close,
    async stop() {
      await close();
      closeSqliteWriters();
      await prisma.$disconnect();
    },
  };
}
