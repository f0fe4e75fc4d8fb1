// Every WebSocket upgrade on the one port goes to exactly one owner:
// /socket.io → Socket.IO (it listens itself), /yjs/<doc> → Yjs,
// Vite's HMR in development → Vite; anything else is refused.
import type { Server } from "node:http";
import { refuseUpgrade } from "./http-upgrade";
import { YJS_PREFIX, type createYjsEndpoint } from "./yjs/endpoint";

export function routeUpgrades(server: Server, { yjs, dev }: { yjs: ReturnType<typeof createYjsEndpoint>; dev: boolean }): void {
  server.on("upgrade", (request, socket, head) => {
    socket.on("error", () => socket.destroy());
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    if (pathname === "/socket.io/" || pathname === "/socket.io") return;
    if (dev && request.headers["sec-websocket-protocol"] === "vite-hmr") return;
    if (pathname.startsWith(YJS_PREFIX)) {
      yjs.handleUpgrade(request, socket, head).catch((error) => {
        console.error("[yjs] upgrade failed", error);
        refuseUpgrade(socket, 500, "could not open the document");
      });
      return;
    }
    refuseUpgrade(socket, 404, `no WebSocket endpoint at ${pathname}`);
  });
}
