// The one Node process: Remix pages and API, Socket.IO and Yjs sync on one port.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { prisma } from "~/utils/db.server";
import { singleton } from "~/utils/singleton.server";
import { isEmpty, seedDemo } from "../prisma/seed";
import { issueSetupCode, needsSetup } from "~/models/setup.server";
import { migrate } from "./migrate";
import { connectRedis } from "./realtime/redis";
import { createSocketServer } from "./realtime/socket";
import { routeUpgrades } from "./upgrade";
import { createYjsEndpoint } from "./yjs/endpoint";
import { renderedCopyHooks } from "./yjs/rendered-copy";
import { Rooms } from "./yjs/rooms";
import { PrismaDocumentStore } from "./yjs/store";

const production = process.env.NODE_ENV === "production";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

const { applied } = migrate();
if (applied.length) console.log(`[db] applied migrations: ${applied.join(", ")}`);
// Every commit is synced to disk (FULL; better-sqlite3's WAL default is NORMAL, which survives a
// crashed process but not a power cut in the community office), and deleted rows (a secret
// vote's ballots) are overwritten on disk, not just unlinked.
await prisma.$queryRawUnsafe("PRAGMA synchronous = FULL");
await prisma.$queryRawUnsafe("PRAGMA secure_delete = ON");
// The demo (published password) only when asked for; a real install starts with first-run setup.
if (process.env.YISHI_DEMO === "1" && (await isEmpty())) {
  await seedDemo();
  console.log("[db] seeded the demo community (accounts in README.md; every password is public: never expose this site)");
} else if (await needsSetup()) {
  console.log(`[setup] no account yet: open /setup with the one-time code ${await issueSetupCode()} (or run npm run setup on this machine)`);
}

const app = express();
app.disable("x-powered-by");
// Behind a TLS-terminating proxy on this machine, believe its X-Forwarded-Proto (Secure cookies).
app.set("trust proxy", process.env.TRUST_PROXY ?? "loopback");
app.use(compression());
const server = http.createServer(app);

const io = singleton("io", () => createSocketServer(server));
const redis = process.env.REDIS_URL ? await connectRedis(process.env.REDIS_URL) : null;
if (redis) {
  redis.attach(io);
  console.log("[redis] Socket.IO rooms and Yjs documents are shared with the other processes");
}
const rooms = singleton(
  "rooms",
  () => new Rooms(new PrismaDocumentStore(prisma), renderedCopyHooks(prisma, (room, event, payload) => io.to(room).emit(event, payload)), redis?.relay),
);
const yjs = createYjsEndpoint(rooms);
routeUpgrades(server, { yjs, dev: !production });

let build: ServerBuild | (() => Promise<ServerBuild>);
if (production) {
  const root = path.resolve(process.env.YISHI_BUILD_DIR ?? "build");
  app.use("/assets", express.static(path.join(root, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "client"), { maxAge: "1h" }));
  build = (await import(pathToFileURL(path.join(root, "server/index.js")).href)) as ServerBuild;
} else {
  const vite = await import("vite");
  const viteServer = await vite.createServer({ server: { middlewareMode: true, hmr: { server } } });
  app.use(viteServer.middlewares);
  build = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
}
app.all("*", createRequestHandler({ build, mode: production ? "production" : "development", getLoadContext: (req) => ({ clientAddress: req.ip }) }));

server.listen(port, host, () => {
  console.log(`[yishi] listening on http://localhost:${port} (${production ? "production" : "development"})`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[yishi] ${signal}: committing open documents and stopping`);
  server.close();
  io.close();
  await rooms.closeAll();
  await redis?.close();
  await prisma.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
