// /yjs/<docName>: authenticate, authorize, then speak the stock y-websocket
// protocol to the room. Refusals happen on the HTTP upgrade, before any byte
// of the document leaves the server.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import { documentAccess } from "~/utils/permissions.server";
import { authenticateUpgrade, type RealtimeUser } from "../realtime/authenticate";
import { refuseUpgrade } from "../http-upgrade";
import { CLOSE, LIMITS, connectionRate } from "./limits";
import { decodeClientMessage, permissionDeniedMessage } from "./protocol";
import type { Peer } from "./room";
import type { Rooms } from "./rooms";

export const YJS_PREFIX = "/yjs/";
const PING_INTERVAL_MS = 30_000;
/** A client that cannot keep up this far behind is dropped; it resyncs when it reconnects. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export function createYjsEndpoint(rooms: Rooms) {
  // A larger frame is refused by ws itself, before it is buffered, with close code 1009.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxMessageBytes });

  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    let docName: string;
    try {
      docName = decodeURIComponent(url.pathname.slice(YJS_PREFIX.length));
    } catch {
      return refuseUpgrade(socket, 400, "document name is not valid URL encoding");
    }
    const user = await authenticateUpgrade(request);
    if (!user) return refuseUpgrade(socket, 401, "sign in or pass an API token to open a document");
    const access = await documentAccess(user.actor, docName);
    if (access === "missing") return refuseUpgrade(socket, 404, `no document named "${docName}"`);
    if (access === "none") return refuseUpgrade(socket, 403, "you may not open this document");
    wss.handleUpgrade(request, socket, head, (ws) => void connect(ws, docName, user, access === "read"));
  }

  async function connect(ws: WebSocket, docName: string, user: RealtimeUser, readOnly: boolean): Promise<void> {
    ws.binaryType = "arraybuffer";
    // Without a listener, a protocol error (an oversized frame, say) would be thrown and end the process.
    ws.on("error", (error) => console.warn(`[yjs] connection error on ${docName}: ${error.message}`));
    const early: Uint8Array[] = [];
    // The rate applies from the first message, also to those that wait for the document to load.
    const rate = connectionRate();
    const tooFast = (): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      console.warn(`[yjs] ${user.actor.userId} sends too fast on ${docName}; closing`);
      ws.send(permissionDeniedMessage("too many messages; slow down and reconnect"));
      ws.close(CLOSE.tooFast, "too fast");
    };
    let onMessage = (data: Uint8Array): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (rate.admit(data.length)) early.push(data);
      else tooFast();
    };
    ws.on("message", (data: ArrayBuffer) => onMessage(new Uint8Array(data)));

    const peer: Peer = {
      user: { id: user.actor.userId, name: user.actor.displayName },
      readOnly,
      send(message) {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return void ws.terminate();
        ws.send(message, (err) => err && ws.terminate());
      },
      close: (code, reason) => ws.close(code, reason),
    };

    let room;
    try {
      room = await rooms.open(docName);
    } catch (error) {
      console.error(`[yjs] loading ${docName} failed`, error);
      return void ws.close(1011, "could not load the document");
    }
    room.join(peer);
    onMessage = (data) => {
      if (rate.admit(data.length)) handle(data);
      else tooFast();
    };
    const handle = (data: Uint8Array): void => {
      // Whatever a closing connection still had in flight is not worth decoding.
      if (ws.readyState !== WebSocket.OPEN) return;
      try {
        const message = decodeClientMessage(data);
        switch (message.type) {
          case "syncStep1":
            return room.answerSyncStep1(peer, message.stateVector);
          case "update":
            // The room decides, at every update, whether this peer may edit (Peer.readOnly) and whether the update fits.
            return room.acceptUpdate(peer, message.update);
          case "awareness":
            return room.acceptAwareness(peer, message.update);
          case "queryAwareness":
            return room.answerAwarenessQuery(peer);
        }
      } catch (error) {
        // A bad message costs the sender its connection, never the server or the document.
        console.warn(`[yjs] malformed message on ${docName} from ${peer.user.id}: ${(error as Error).message}`);
        ws.close(CLOSE.malformed, "malformed message");
      }
    };
    early.forEach(handle); // already counted against the rate

    let alive = true;
    ws.on("pong", () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);
    const leave = () => {
      clearInterval(ping);
      room.leave(peer);
    };
    if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) leave();
    else ws.on("close", leave);
  }

  return { wss, handleUpgrade };
}
