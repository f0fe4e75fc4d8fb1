// The peers start empty; before a run they are given the same first state that
// Yishi's agenda item has in its database, through an ordinary client.
import { HocuspocusProvider } from "@hocuspocus/provider";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { sleep, waitFor } from "./clock";
import type { RunningServer } from "./servers";

export async function prime(server: RunningServer, room: string, update: Uint8Array): Promise<void> {
  const doc = new Y.Doc();
  if (server.target === "y-websocket-server") {
    const provider = new WebsocketProvider(server.wsBase, room, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    await waitFor("the priming client to sync", () => provider.synced, 10_000, 20);
    Y.applyUpdate(doc, update);
    await sleep(300);
    provider.destroy();
  } else if (server.target === "hocuspocus") {
    const provider = new HocuspocusProvider({
      url: server.wsBase,
      name: room,
      document: doc,
      token: "bench",
      WebSocketPolyfill: WebSocket,
    } as ConstructorParameters<typeof HocuspocusProvider>[0]);
    await waitFor("the priming client to sync", () => provider.isSynced, 10_000, 20);
    Y.applyUpdate(doc, update);
    await waitFor("the primed state to reach the server", () => !provider.hasUnsyncedChanges, 10_000, 20);
    provider.destroy();
    await sleep(300);
  }
  doc.destroy();
}
