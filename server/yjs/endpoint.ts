// /yjs/<docName>: authenticate, authorize, then speak the stock y-websocket
// protocol to the room. Refusals happen on the HTTP upgrade, before any byte
// of the document leaves the server; afterwards the same rules are checked
// again whenever a right changes (recheck), for as long as the connection lives.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import { agendaItemDocumentName, minutesDocumentName } from "~/utils/domain";
import { prisma } from "~/utils/db.server";
import { rateLimitsEnabled } from "~/utils/rate-limit.server";
import { accessTo, documentAccess, loadDocumentResource, type DocumentAccess, type DocumentResource } from "~/utils/permissions.server";
import type { RightsChange } from "~/utils/rights.server";
import { authenticateAgain, authenticateUpgrade, type RealtimeUser } from "../realtime/authenticate";
import { upgradeLimiter } from "../realtime/event-limits";
import { refuseUpgrade } from "../realtime/refuse-upgrade";
import { CLOSE, LIMITS, connectionRate } from "./limits";
import { decodeClientMessage, permissionDeniedMessage } from "./protocol";
import type { Peer, Room } from "./room";
import type { Rooms } from "./rooms";

export const YJS_PREFIX = "/yjs/";
const PING_INTERVAL_MS = 30_000;
/** A client that cannot keep up this far behind is dropped; it resyncs when it reconnects. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** One open WebSocket on one document, as the rights check sees it. */
type Connection = { docName: string; user: RealtimeUser; peer: Peer; room: Room; close(code: number, reason: string): void };

export function createYjsEndpoint(rooms: Rooms) {
  // A larger frame is refused by ws itself, before it is buffered, with close code 1009.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxMessageBytes });
  /** Every connection of this process, by document: what a rights change re-checks. */
  const connections = new Map<string, Set<Connection>>();
  /** Open connections and new upgrades per person (server/realtime/event-limits.ts): a client that reconnects in a loop, or opens hundreds, is refused. */
  const perUser = upgradeLimiter();

  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    let docName: string;
    try {
      docName = decodeURIComponent(url.pathname.slice(YJS_PREFIX.length));
    } catch {
      return refuseUpgrade(socket, 400, "document name is not valid URL encoding", request);
    }
    const user = await authenticateUpgrade(request);
    if (!user) return refuseUpgrade(socket, 401, "sign in or pass an API token to open a document", request);
    // Counted before the document's rights are looked up (one query fewer per refused loop), and
    // reserved at once, so a hundred parallel upgrades cannot all pass the check while they await.
    // YISHI_RATE_LIMITS=off (load tests only) lifts it: the bench connects hundreds of peers as a few demo users.
    const slot = rateLimitsEnabled() ? perUser.reserve(user.actor.userId) : { release: () => {} };
    if ("refused" in slot) {
      const why = slot.refused === "tooMany" ? "too many open documents" : "too many new connections";
      console.warn(`[yjs] ${user.actor.userId}: ${why}; upgrade refused`);
      return refuseUpgrade(socket, 429, `${why} for one person`, request);
    }
    // The raw socket closes with the WebSocket, or when ws or a refusal below ends the upgrade: the slot is given back either way.
    socket.once("close", slot.release);
    const access = await documentAccess(user.actor, docName);
    if (access === "missing") return (slot.release(), refuseUpgrade(socket, 404, `no document named "${docName}"`, request));
    if (access === "none") return (slot.release(), refuseUpgrade(socket, 403, "you may not open this document", request));
    if (socket.destroyed) return slot.release(); // the client gave up while we looked
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

    const peer = {
      user: { id: user.actor.userId, name: user.actor.displayName },
      // Mutable: a rights change turns an editor into a reader while connected.
      readOnly,
      send(message: Uint8Array) {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return void ws.terminate();
        ws.send(message, (err) => err && ws.terminate());
      },
      close: (code: number, reason: string) => ws.close(code, reason),
    };
    let room: Room;
    try {
      room = await rooms.open(docName);
    } catch (error) {
      console.error(`[yjs] loading ${docName} failed`, error);
      return void ws.close(1011, "could not load the document");
    }
    const connection: Connection = { docName, user, peer, room, close: peer.close };
    room.join(peer);
    let set = connections.get(docName);
    if (!set) connections.set(docName, (set = new Set()));
    set.add(connection);
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
      set.delete(connection);
      if (set.size === 0 && connections.get(docName) === set) connections.delete(docName);
      room.leave(peer);
    };
    if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) leave();
    else ws.on("close", leave);
  }

  /** Applies one access decision to one connection: close, downgrade, or (rights regained) upgrade. */
  function enforce(connection: Connection, access: DocumentAccess | "signedOut"): void {
    if (access === "signedOut") return connection.close(CLOSE.signedOut, "signed out: sign in again to open this document");
    if (access === "missing") return connection.close(CLOSE.gone, "this document no longer exists");
    if (access === "none") return connection.close(CLOSE.forbidden, "you may no longer open this document");
    connection.room.setReadOnly(connection.peer, access === "read");
  }

  /**
   * A right changed somewhere (this process or another): every connection it may
   * touch is decided again, with fresh credentials, actor and resource.
   */
  async function recheck(change: RightsChange): Promise<void> {
    let affected: Connection[];
    if ("agendaItemId" in change) affected = [...(connections.get(agendaItemDocumentName(change.agendaItemId)) ?? [])];
    else if ("sessionId" in change) {
      const items = await prisma.agendaItem.findMany({ where: { sessionId: change.sessionId }, select: { id: true } });
      affected = [...items.map((i) => agendaItemDocumentName(i.id)), minutesDocumentName(change.sessionId)].flatMap((name) => [
        ...(connections.get(name) ?? []),
      ]);
    } else if ("everyone" in change) affected = [...connections.values()].flatMap((set) => [...set]);
    else if ("userId" in change) affected = [...connections.values()].flatMap((set) => [...set].filter((c) => c.user.actor.userId === change.userId));
    else
      affected = [...connections.values()].flatMap((set) => [...set].filter((c) => c.user.actor.memberships.some((m) => m.communityId === change.communityId)));
    if (affected.length === 0) return;

    // One look-up per document and per person, however many tabs they have open.
    const resources = new Map<string, Promise<DocumentResource | null>>();
    const people = new Map<string, Promise<RealtimeUser | null>>();
    await Promise.all(
      affected.map(async (connection) => {
        const key = JSON.stringify(connection.user.credentials);
        if (!people.has(key)) people.set(key, authenticateAgain(connection.user.credentials));
        const now = await people.get(key)!;
        if (!now) return enforce(connection, "signedOut");
        connection.user = now;
        if (!resources.has(connection.docName)) resources.set(connection.docName, loadDocumentResource(connection.docName));
        enforce(connection, accessTo(now.actor, await resources.get(connection.docName)!));
      }),
    );
  }

  return { wss, handleUpgrade, recheck };
}
