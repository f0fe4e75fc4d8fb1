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
import { documentResourceForOpening } from "../realtime/connect-cache";
import { upgradeLimiter } from "../realtime/event-limits";
import { refuseUpgrade } from "../realtime/refuse-upgrade";
import { CLOSE, LIMITS, TokenBucket } from "./limits";
import { decodeClientMessage, permissionDeniedMessage } from "./protocol";
import type { Peer, PeerUser, Room } from "./room";
import type { Rooms } from "./rooms";

export const YJS_PREFIX = "/yjs/";
const PING_INTERVAL_MS = 30_000;
/** A client that cannot keep up this far behind is dropped; it resyncs when it reconnects. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** The connection behind a WebSocket, for the listeners every connection shares. */
const CONNECTION = Symbol("yjs connection");
type Socket = WebSocket & { [CONNECTION]?: Connection };

/**
 * One open WebSocket on one document: the room's peer, and what the rights check sees.
 * Its behaviour lives on the prototype and its WebSocket's listeners are shared by every
 * connection, so an idle connection costs its fields, not a dozen closures and a timer
 * (memory per participant, issue 16; see docs/decisions/0011-one-phone-memory.md).
 */
class Connection implements Peer {
  room: Room | null = null;
  /** Answered the last ping (the endpoint's one sweep timer pings every connection). */
  alive = true;
  /** Messages that arrived while the document was loading, already counted against the rate. */
  early: Uint8Array[] | null = [];
  private readonly messages = new TokenBucket(LIMITS.messageBurst, LIMITS.messagesPerSecond);
  private readonly bytes = new TokenBucket(LIMITS.byteBurst, LIMITS.bytesPerSecond);

  constructor(
    readonly ws: Socket,
    readonly docName: string,
    /** Replaced when a rights change re-authenticates the connection. */
    public signedIn: RealtimeUser,
    /** Mutable: a rights change turns an editor into a reader while connected. */
    public readOnly: boolean,
  ) {}

  get user(): PeerUser {
    return { id: this.signedIn.actor.userId, name: this.signedIn.actor.displayName };
  }

  send(message: Uint8Array): void {
    const ws = this.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return void ws.terminate();
    ws.send(message, (err) => err && ws.terminate());
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** Every message, from the first (also those that wait for the document to load), passes the rate. */
  receive(data: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (!(this.messages.take(1) && this.bytes.take(data.length))) return this.tooFast();
    if (this.early) this.early.push(data);
    else this.handle(data);
  }

  private tooFast(): void {
    console.warn(`[yjs] ${this.signedIn.actor.userId} sends too fast on ${this.docName}; closing`);
    this.ws.send(permissionDeniedMessage("too many messages; slow down and reconnect"));
    this.ws.close(CLOSE.tooFast, "too fast");
  }

  handle(data: Uint8Array): void {
    const room = this.room;
    // Whatever a closing connection still had in flight is not worth decoding.
    if (!room || this.ws.readyState !== WebSocket.OPEN) return;
    try {
      const message = decodeClientMessage(data);
      switch (message.type) {
        case "syncStep1":
          return room.answerSyncStep1(this, message.stateVector);
        case "update":
          // The room decides, at every update, whether this peer may edit (Peer.readOnly) and whether the update fits.
          return room.acceptUpdate(this, message.update);
        case "awareness":
          return room.acceptAwareness(this, message.update);
        case "queryAwareness":
          return room.answerAwarenessQuery(this);
      }
    } catch (error) {
      // A bad message costs the sender its connection, never the server or the document.
      console.warn(`[yjs] malformed message on ${this.docName} from ${this.signedIn.actor.userId}: ${(error as Error).message}`);
      this.ws.close(CLOSE.malformed, "malformed message");
    }
  }
}

// The listeners every WebSocket shares: EventEmitter calls them with the WebSocket as `this`.
function onMessage(this: Socket, data: ArrayBuffer): void {
  this[CONNECTION]?.receive(new Uint8Array(data));
}
function onPong(this: Socket): void {
  const connection = this[CONNECTION];
  if (connection) connection.alive = true;
}
function onError(this: Socket, error: Error): void {
  console.warn(`[yjs] connection error on ${this[CONNECTION]?.docName ?? "a document"}: ${error.message}`);
}

export function createYjsEndpoint(rooms: Rooms) {
  // A larger frame is refused by ws itself, before it is buffered, with close code 1009.
  // No compression (ws's default, stated): a deflate context per connection costs far more than an idle phone.
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxMessageBytes, perMessageDeflate: false });
  /** Every connection of this process, by document: what a rights change re-checks. */
  const connections = new Map<string, Set<Connection>>();
  /** Open connections and new upgrades per person (server/realtime/event-limits.ts): a client that reconnects in a loop, or opens hundreds, is refused. */
  const perUser = upgradeLimiter();

  // One timer for every connection instead of one each: a connection that did not answer the
  // last ping is dropped, every other one is pinged again.
  const sweep = setInterval(() => {
    for (const set of connections.values())
      for (const connection of set) {
        if (!connection.alive) {
          connection.ws.terminate();
          continue;
        }
        connection.alive = false;
        if (connection.ws.readyState === WebSocket.OPEN) connection.ws.ping();
      }
  }, PING_INTERVAL_MS);
  sweep.unref();

  function onClose(this: Socket): void {
    const connection = this[CONNECTION];
    // Still loading its document: connect() notices the socket closed once the room is there.
    if (!connection?.room) return;
    this[CONNECTION] = undefined;
    const set = connections.get(connection.docName);
    if (set?.delete(connection) && set.size === 0) connections.delete(connection.docName);
    connection.room?.leave(connection);
  }

  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    let docName: string;
    try {
      docName = decodeURIComponent(url.pathname.slice(YJS_PREFIX.length));
    } catch {
      return refuseUpgrade(socket, 400, "document name is not valid URL encoding", request);
    }
    let user = await authenticateUpgrade(request);
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
    let access = accessTo(user.actor, await documentResourceForOpening(docName));
    // A refusal is never decided from the cache (connect-cache.ts): read again.
    if (access === "none") {
      const now = await authenticateAgain(user.credentials, { fresh: true });
      if (!now) return (slot.release(), refuseUpgrade(socket, 401, "sign in or pass an API token to open a document", request));
      user = now;
      access = await documentAccess(user.actor, docName);
    }
    if (access === "missing") return (slot.release(), refuseUpgrade(socket, 404, `no document named "${docName}"`, request));
    if (access === "none") return (slot.release(), refuseUpgrade(socket, 403, "you may not open this document", request));
    if (socket.destroyed) return slot.release(); // the client gave up while we looked
    wss.handleUpgrade(request, socket, head, (ws) => void connect(ws, docName, user, access === "read"));
  }

  async function connect(ws: Socket, docName: string, user: RealtimeUser, readOnly: boolean): Promise<void> {
    ws.binaryType = "arraybuffer";
    const connection = new Connection(ws, docName, user, readOnly);
    ws[CONNECTION] = connection;
    // Without a listener, a protocol error (an oversized frame, say) would be thrown and end the process.
    ws.on("error", onError);
    ws.on("message", onMessage);
    ws.on("pong", onPong);
    ws.on("close", onClose);
    let room: Room;
    try {
      room = await rooms.open(docName);
    } catch (error) {
      console.error(`[yjs] loading ${docName} failed`, error);
      ws[CONNECTION] = undefined;
      return void ws.close(1011, "could not load the document");
    }
    connection.room = room;
    room.join(connection);
    let set = connections.get(docName);
    if (!set) connections.set(docName, (set = new Set()));
    set.add(connection);
    // Closed while the document loaded: leave at once (the room unloads if it was the last).
    if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return onClose.call(ws);
    const early = connection.early ?? [];
    connection.early = null;
    early.forEach((data) => connection.handle(data)); // already counted against the rate
  }

  /** Applies one access decision to one connection: close, downgrade, or (rights regained) upgrade. */
  function enforce(connection: Connection, access: DocumentAccess | "signedOut"): void {
    if (access === "signedOut") return connection.close(CLOSE.signedOut, "signed out: sign in again to open this document");
    if (access === "missing") return connection.close(CLOSE.gone, "this document no longer exists");
    if (access === "none") return connection.close(CLOSE.forbidden, "you may no longer open this document");
    connection.room?.setReadOnly(connection, access === "read");
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
    else if ("userId" in change) affected = [...connections.values()].flatMap((set) => [...set].filter((c) => c.signedIn.actor.userId === change.userId));
    else
      affected = [...connections.values()].flatMap((set) =>
        [...set].filter((c) => c.signedIn.actor.memberships.some((m) => m.communityId === change.communityId)),
      );
    if (affected.length === 0) return;

    // One look-up per document and per person, however many tabs they have open.
    const resources = new Map<string, Promise<DocumentResource | null>>();
    const people = new Map<string, Promise<RealtimeUser | null>>();
    await Promise.all(
      affected.map(async (connection) => {
        const key = JSON.stringify(connection.signedIn.credentials);
        if (!people.has(key)) people.set(key, authenticateAgain(connection.signedIn.credentials, { fresh: true }));
        const now = await people.get(key)!;
        if (!now) return enforce(connection, "signedOut");
        connection.signedIn = now;
        if (!resources.has(connection.docName)) resources.set(connection.docName, loadDocumentResource(connection.docName));
        enforce(connection, accessTo(now.actor, await resources.get(connection.docName)!));
      }),
    );
  }

  return { wss, handleUpgrade, recheck };
}
