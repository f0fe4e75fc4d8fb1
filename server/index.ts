// The Node entry: HTTP, static files (or Vite in development), WebSocket
// upgrade routing and shutdown. It imports nothing of the app: pages, the API
// and the realtime layer all come from the Remix server build, one module graph
// (docs/decisions/0004-one-module-graph.md).
import http from "node:http";
import path from "node:path";
import type { Duplex } from "node:stream";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { ViteDevServer } from "vite";
import { httpSecurity } from "./http-security";
import { writeUpgradeAnswer } from "./http-upgrade";

/** What the build's entry module exports besides Remix's own (app/entry.server.tsx). */
type Runtime = {
  handleRequest(request: http.IncomingMessage, response: http.ServerResponse): boolean;
  handleUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
  stop(): Promise<void>;
};
type AppBuild = ServerBuild & {
  entry: { module: { startRuntime(): Promise<Runtime>; env(): { PORT: number; HOST: string; TRUST_PROXY: string } } };
};

// The entry's own concerns: which build to run. Everything else is parsed by the app (app/utils/env.server.ts).
const production = process.env.NODE_ENV === "production";

const app = express();
app.disable("x-powered-by");
app.use(httpSecurity());
app.use(compression());
const server = http.createServer((request, response) => {
  if (!current?.runtime.handleRequest(request, response)) app(request, response);
});

let loadBuild: () => Promise<AppBuild>;
let vite: ViteDevServer | undefined;
if (production) {
  const root = path.resolve(process.env.YISHI_BUILD_DIR ?? "build");
  app.use("/assets", express.static(path.join(root, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(root, "client"), { maxAge: "1h" }));
  const build = (await import(pathToFileURL(path.join(root, "server/index.js")).href)) as AppBuild;
  loadBuild = async () => build;
} else {
  vite = await (await import("vite")).createServer({ server: { middlewareMode: true, hmr: { server } } });
  app.use(vite.middlewares);
  loadBuild = () => vite!.ssrLoadModule("virtual:remix/server-build") as Promise<AppBuild>;
}
// A bad variable stops the start here, with the app's message naming it.
const { PORT: port, HOST: host, TRUST_PROXY } = (await loadBuild()).entry.module.env();
// Behind a TLS-terminating proxy on this machine, believe its X-Forwarded-Proto (Secure cookies).
app.set("trust proxy", TRUST_PROXY);
app.all(
  "*",
  createRequestHandler({
    build: production ? await loadBuild() : loadBuild,
    mode: production ? "production" : "development",
    getLoadContext: (req) => ({ clientAddress: req.ip }),
  }),
);

// The realtime layer of the build now serving pages. In development an edit to the
// app gives a new build: the old layer closes (its clients reconnect) and the new
// one starts, so Socket.IO and Yjs never run older model code than the pages.
let current: { module: AppBuild["entry"]["module"]; runtime: Runtime } | null = null;
let switching: Promise<void> | null = null;
async function switchToLatestRuntime(): Promise<void> {
  const { module } = (await loadBuild()).entry;
  if (current?.module === module) return;
  const previous = current;
  current = null;
  await previous?.runtime.close();
  current = { module, runtime: await module.startRuntime() };
  if (previous) console.log("[yishi] the app changed: realtime layer restarted");
}
const latestRuntime = () => (switching ??= switchToLatestRuntime().finally(() => (switching = null)));
await latestRuntime();
if (vite) vite.watcher.on("change", () => setTimeout(() => void latestRuntime().catch((e) => console.error("[yishi] restarting the realtime layer", e)), 100));

server.on("upgrade", (request, socket, head) => {
  socket.on("error", () => socket.destroy());
  if (vite && request.headers["sec-websocket-protocol"] === "vite-hmr") return;
  if (current?.runtime.handleUpgrade(request, socket, head)) return;
  // Only between two runtimes in development: the app (and its translations) is not loaded.
  writeUpgradeAnswer(
    socket,
    503,
    JSON.stringify({ status: 503, key: "errors.restarting", message: "正在重启，请稍后再试 · restarting, try again in a moment" }),
  );
});

server.listen(port, host, () => {
  console.log(`[yishi] listening on http://localhost:${port} (${production ? "production" : "development"})`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[yishi] ${signal}: committing open documents and stopping`);
  server.close();
  await switching;
  await current?.runtime.stop();
  await vite?.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
