// One loaded document and the people connected to it. The rule that makes a
// crash lose nothing: an update is applied in memory, committed by the store,
// and only then relayed; anything sent to a client that reflects an update
// (a sync reply included) waits for the commit of that update.
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { colorFor } from "~/utils/color";
import { CLOSE, LIMITS } from "./limits";
import {
  awarenessMessage,
  decodeAwarenessUpdate,
  encodeAwarenessEntries,
  permissionDeniedMessage,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from "./protocol";
import { noRelay, type Relay } from "./relay";
import type { AwarenessEntry } from "./protocol";
import { DocumentGone, foldUpdates, type DocumentStore } from "./store";

export type PeerUser = { id: string; name: string };

/** A connected client as the room sees it; the WebSocket behind it is the endpoint's business. */
export interface Peer {
  readonly user: PeerUser;
  /**
   * Read at every update, not only at connect: whoever owns the connection may
   * flip it (a session adjourns) and the room refuses from the next update on.
   */
  readOnly: boolean;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomHooks {
  /** After updates are committed: keep derived copies (rendered text) fresh. */
  onStored?(room: Room): void;
  /** Before the room leaves memory, after its last update is committed. */
  onUnload?(room: Room): Promise<void>;
  /** Once, when the room has been loaded from the store (not for a document over its cap). */
  onLoad?(room: Room): void;
}

/** Updates waiting for one commit, who sent each (null: the server), and what waits for the commit. */
type Batch = { updates: Uint8Array[]; authors: (Peer | null)[]; after: (() => void)[] };
const newBatch = (): Batch => ({ updates: [], authors: [], after: [] });

/** Origin of changes that came from another process (already stored by it). */
export const RELAYED = Symbol("relayed");
/** Origin of changes the server makes itself (Room.applyServerChange). */
export const SERVER = Symbol("server");

/** Compact once this many updates have been stored since the last snapshot. */
export const COMPACT_EVERY = 500;

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Each connected peer and the awareness client ids it speaks for. */
  readonly peers = new Map<Peer, Set<number>>();
  /** Who speaks for each awareness client id set by a peer of this process. */
  private readonly owners = new Map<number, Peer>();
  /** Peers already told "permission denied" for a read-only edit (told once, not per keystroke). */
  private readonly denied = new WeakSet<Peer>();
  /** Peers the room has closed for breaking a limit: whatever they still send is ignored. */
  private readonly refused = new WeakSet<Peer>();
  /**
   * The stored document is over its cap: it is not held in memory and nobody may
   * open it. The room stays loaded (empty) so that retries cost nothing.
   */
  readonly oversize: boolean = false;
  /**
   * An upper bound of the encoded state's size, kept without re-encoding: what
   * was loaded plus every change since. Re-measured only when it nears the cap.
   */
  private bytes = 0;
  /** Caret colours, unique among the people in this room. */
  private readonly colors = new Map<Peer, string>();
  closed = false;
  private failed = false;
  private pending: Batch = newBatch();
  private flushing: Batch | null = null;
  /** A flush is scheduled for the end of this turn of the event loop. */
  private flushScheduled = false;
  private storedSinceCompaction = 0;
  /** Bytes of updates stored since the last compaction (LIMITS.compactEveryBytes). */
  private storedBytesSinceCompaction = 0;
  private compacting: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly store: DocumentStore,
    private readonly hooks: RoomHooks,
    stored: Uint8Array[],
    private readonly onEmpty: (room: Room) => void,
    private readonly relay: Relay = noRelay,
  ) {
    this.awareness.setLocalState(null);
    let load = stored;
    this.bytes = stored.reduce((n, u) => n + u.length, 0);
    if (this.bytes > LIMITS.maxLoadBytes) {
      this.oversize = true;
    } else if (this.bytes > LIMITS.maxDocumentBytes) {
      // Uncompacted history (and a snapshot from before compaction dropped deleted
      // content) may be larger than the document: measure what it folds into.
      const merged = foldUpdates(stored);
      this.bytes = merged.length;
      if (merged.length > LIMITS.maxDocumentBytes) this.oversize = true;
      else load = [merged];
    }
    if (this.oversize) {
      console.warn(`[yjs] ${name} is over its size cap (${this.bytes} bytes stored); refusing to open it`);
    } else {
      this.doc.transact(() => {
        for (const update of load) Y.applyUpdate(this.doc, update);
      });
      this.storedSinceCompaction = Math.max(0, stored.length - 1);
      this.storedBytesSinceCompaction = stored.slice(1).reduce((n, u) => n + u.length, 0);
    }
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]);
      const message = awarenessMessage(update);
      for (const p of this.peers.keys()) p.send(message);
      if (origin !== RELAYED) this.relay.publish(this.name, "awareness", update);
    });
    if (!this.oversize) this.hooks.onLoad?.(this);
    // A long uncompacted history (a server that stopped before compacting, an older version's
    // rows) is folded now, in the background, so the next load reads one snapshot and a short tail.
    if (!this.oversize) this.compactIfDue();
  }

  /** An upper bound of the document's encoded size, in bytes (the rendered copy paces itself by it). */
  get byteSize(): number {
    return this.bytes;
  }

  join(peer: Peer): void {
    if (this.oversize) return this.refuse(peer, CLOSE.documentFull, "document too large to open");
    const taken = new Set([...this.peers.keys()].filter((p) => p.user.id !== peer.user.id).map((p) => this.colors.get(p)!));
    const same = [...this.peers.keys()].find((p) => p.user.id === peer.user.id);
    this.colors.set(peer, same ? this.colors.get(same)! : colorFor(peer.user.id, taken));
    this.peers.set(peer, new Set());
    peer.send(syncStep1Message(Y.encodeStateVector(this.doc)));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) peer.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  leave(peer: Peer): void {
    const ids = this.peers.get(peer);
    if (!ids) return;
    this.peers.delete(peer);
    this.colors.delete(peer);
    for (const id of ids) this.owners.delete(id);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], null);
    if (this.peers.size === 0) this.onEmpty(this);
  }

  /** A client's sync step 1: answer with what it lacks, once that is durable. */
  answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    const reply = syncStep2Message(Y.encodeStateAsUpdate(this.doc, stateVector));
    this.afterDurable(() => peer.send(reply));
  }

  /**
   * A client's edit (sync step 2 or update). Throws on a malformed update before
   * anything changes; refuses (and closes the peer) an update over a limit before
   * anything is applied or stored.
   */
  acceptUpdate(peer: Peer, update: Uint8Array): void {
    if (this.refused.has(peer) || !this.peers.has(peer)) return;
    if (update.length > LIMITS.maxUpdateBytes) return this.refuse(peer, CLOSE.messageTooBig, "update too large");
    const { structs, ds } = Y.decodeUpdate(update); // validates the encoding without touching the document
    if (peer.readOnly) {
      // A stock client answers the server's sync step 1 with its (empty) state: that is not an edit.
      if (structs.length === 0 && ds.clients.size === 0) return;
      if (!this.denied.has(peer)) peer.send(permissionDeniedMessage("read-only: observers may watch but not edit"));
      this.denied.add(peer);
      return;
    }
    if (this.bytes + update.length > LIMITS.maxDocumentBytes && this.wouldOverflow(update)) {
      return this.refuse(peer, CLOSE.documentFull, "document full");
    }
    const changes: Uint8Array[] = [];
    const capture = (u: Uint8Array) => changes.push(u);
    this.doc.on("update", capture);
    try {
      Y.applyUpdate(this.doc, update, peer);
    } finally {
      this.doc.off("update", capture);
    }
    if (this.pendingBytes() > LIMITS.maxPendingBytes) {
      // Updates that wait for history this server does not have are retried on
      // every later update: past a keystroke's worth, drop them and make the
      // client resync (it still holds them and sends them again in sync step 2).
      this.doc.store.pendingStructs = null;
      this.doc.store.pendingDs = null;
      this.refuse(peer, CLOSE.resyncNeeded, "updates depend on missing history; reconnect to resync");
    }
    if (changes.length === 0) return; // already known, or waiting for missing history
    const change = changes.length === 1 ? changes[0]! : Y.mergeUpdates(changes);
    this.bytes += change.length;
    this.pending.updates.push(change);
    this.pending.authors.push(peer);
    this.scheduleFlush();
  }

  /**
   * A change made by the server itself (the minutes' fact blocks): one transaction on the
   * document, then the same path as a client's update: stored by the next group commit, and
   * only then relayed to every peer (none of them sent it) and to the other processes.
   */
  applyServerChange(fn: (doc: Y.Doc) => void): void {
    if (this.closed || this.oversize) throw new Error(`document ${this.name} is not open for changes`);
    const changes: Uint8Array[] = [];
    const capture = (u: Uint8Array) => changes.push(u);
    this.doc.on("update", capture);
    try {
      this.doc.transact(() => fn(this.doc), SERVER);
    } finally {
      this.doc.off("update", capture);
    }
    if (changes.length === 0) return;
    const change = changes.length === 1 ? changes[0]! : Y.mergeUpdates(changes);
    this.bytes += change.length;
    this.pending.updates.push(change);
    this.pending.authors.push(null);
    this.scheduleFlush();
  }

  /**
   * Presence: the server, not the client, says who a caret belongs to, and a
   * client speaks only for its own client ids (the first ones it announces, at
   * most a couple). Entries for anyone else's id, beyond that count, or over the
   * size cap are ignored.
   */
  acceptAwareness(peer: Peer, update: Uint8Array): void {
    const owned = this.peers.get(peer);
    if (!owned || this.refused.has(peer)) return;
    const entries: AwarenessEntry[] = [];
    for (const entry of decodeAwarenessUpdate(update, LIMITS.maxAwarenessStateBytes)) {
      if (entry.tooLarge) continue;
      if (!owned.has(entry.clientId) && !this.claim(peer, owned, entry)) continue;
      entries.push(
        entry.state === null
          ? entry
          : {
              ...entry,
              state: {
                ...entry.state,
                user: { ...(entry.state.user as object | undefined), name: peer.user.name, id: peer.user.id, color: this.colors.get(peer) },
              },
            },
      );
    }
    if (entries.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(entries), peer);
  }

  /**
   * Whether a peer may start speaking for a client id: one nobody holds, or one
   * the same person holds through another connection (a stock client keeps its
   * id when it reconnects, and the old connection, here or on another process,
   * may not have been noticed gone yet). Another process's entries carry the
   * user id its server stamped, so they can be trusted for that.
   */
  private claim(peer: Peer, owned: Set<number>, entry: AwarenessEntry): boolean {
    if (entry.state === null || owned.size >= LIMITS.awarenessClientsPerConnection) return false;
    const owner = this.owners.get(entry.clientId);
    const current = this.awareness.getStates().get(entry.clientId);
    const holder = owner ? owner.user.id : current ? (current.user as { id?: unknown } | undefined)?.id : undefined;
    if ((owner || current) && holder !== peer.user.id) return false;
    if (owner) this.peers.get(owner)?.delete(entry.clientId);
    this.owners.set(entry.clientId, peer);
    owned.add(entry.clientId);
    return true;
  }

  /** Another process stored this update: apply it and pass it on to this process's clients. */
  applyRelayed(kind: "update" | "awareness", data: Uint8Array): void {
    if (this.closed) return;
    if (kind === "awareness") return awarenessProtocol.applyAwarenessUpdate(this.awareness, data, RELAYED);
    Y.applyUpdate(this.doc, data, RELAYED);
    this.bytes += data.length;
    const message = updateMessage(data);
    for (const p of this.peers.keys()) p.send(message);
  }

  /**
   * What the database holds for this document, applied: after a Redis outage, or when another
   * node died between its commit and its publish, this copy (and its clients) would otherwise
   * lack updates every other node has. Only what was missing goes to the clients.
   */
  catchUp(stored: Uint8Array[]): void {
    if (this.closed || stored.length === 0) return;
    // Applied in one transaction, whose update event is exactly what this copy lacked (deletions
    // included), rather than Y.mergeUpdates over what was read: that grows with the square of the
    // tail (16 000 keystrokes took 6 s; a 100 000-update tail never finished).
    const changes: Uint8Array[] = [];
    const capture = (u: Uint8Array) => changes.push(u);
    this.doc.on("update", capture);
    try {
      this.doc.transact(() => {
        for (const update of stored) Y.applyUpdate(this.doc, update, RELAYED);
      }, RELAYED);
    } finally {
      this.doc.off("update", capture);
    }
    if (changes.length === 0) return;
    const missing = changes.length === 1 ? changes[0]! : Y.mergeUpdates(changes);
    this.bytes += missing.length;
    const message = updateMessage(missing);
    for (const p of this.peers.keys()) p.send(message);
  }

  answerAwarenessQuery(peer: Peer): void {
    const states = [...this.awareness.getStates().keys()];
    peer.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  /**
   * Would this update take the document over its cap? Only asked when the cheap
   * upper bound says it might: measures what the update adds to this document,
   * then, if still in doubt, the document's real encoded size.
   */
  private wouldOverflow(update: Uint8Array): boolean {
    const growth = Y.diffUpdate(update, Y.encodeStateVector(this.doc)).length;
    if (this.bytes + growth <= LIMITS.maxDocumentBytes) return false;
    this.bytes = Y.encodeStateAsUpdate(this.doc).length;
    return this.bytes + growth > LIMITS.maxDocumentBytes;
  }

  private pendingBytes(): number {
    return (this.doc.store.pendingStructs?.update.length ?? 0) + (this.doc.store.pendingDs?.length ?? 0);
  }

  /**
   * Rights changed while connected (docs/realtime.md): a peer that may no longer edit is told
   * once, now, and every later update of theirs is refused; one that may edit again is not.
   */
  setReadOnly(peer: Peer, readOnly: boolean): void {
    if (readOnly && !peer.readOnly) {
      peer.send(permissionDeniedMessage("read-only: you may watch but no longer edit"));
      this.denied.add(peer);
    }
    if (!readOnly) this.denied.delete(peer);
    peer.readOnly = readOnly;
  }

  /** Tells a peer why (y-protocols permission denied, which stock clients log) and closes it with a documented code. */
  private refuse(peer: Peer, code: number, reason: string): void {
    if (this.refused.has(peer)) return;
    this.refused.add(peer);
    peer.send(permissionDeniedMessage(reason));
    peer.close(code, reason);
  }

  /** Runs fn once every update applied so far is committed. */
  afterDurable(fn: () => void): void {
    if (this.pending.updates.length > 0) this.pending.after.push(fn);
    else if (this.flushing) this.flushing.after.push(fn);
    else fn();
  }

  /** Resolves when everything applied so far is committed. */
  durable(): Promise<void> {
    return new Promise((resolve) => this.afterDurable(resolve));
  }

  /**
   * Group commit: the updates read from the network in one turn of the event loop (several
   * frames per read, several sockets per poll) are committed together at its end, and those
   * that arrive while a write is in flight go out together in the next: a busy document costs
   * one commit per turn, not one per keystroke.
   */
  private scheduleFlush(): void {
    if (this.flushing || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.flushing) void this.flush();
    });
  }

  /**
   * A committed batch to every peer: one update as it came (not back to its author), several
   * merged into one message to everyone (a stock client ignores what it already has, and the
   * stock server sends every update back to its author anyway), so a busy document costs one
   * send per peer per commit.
   */
  private relayCommitted(batch: Batch): void {
    if (batch.updates.length === 0 || this.peers.size === 0) return;
    const single = batch.updates.length === 1;
    const message = updateMessage(single ? batch.updates[0]! : Y.mergeUpdates(batch.updates));
    const author = single ? batch.authors[0] : null;
    for (const p of this.peers.keys()) if (p !== author) p.send(message);
  }

  private async flush(): Promise<void> {
    while (this.pending.updates.length > 0) {
      const batch = (this.flushing = this.pending);
      this.pending = newBatch();
      try {
        await this.store.append(this.name, batch.updates);
      } catch (error) {
        this.flushing = null;
        this.fail(error);
        return;
      }
      this.flushing = null;
      this.storedSinceCompaction += batch.updates.length;
      for (const u of batch.updates) this.storedBytesSinceCompaction += u.length;
      for (const u of batch.updates) this.relay.publish(this.name, "update", u);
      this.relayCommitted(batch);
      for (const fn of batch.after) fn();
      this.hooks.onStored?.(this);
      this.compactIfDue();
    }
  }

  private compactIfDue(): void {
    const due = this.storedSinceCompaction >= COMPACT_EVERY || this.storedBytesSinceCompaction >= LIMITS.compactEveryBytes;
    if (!due || this.compacting) return;
    // In the background (the fold on a worker thread): relaying the next edits must not wait for a snapshot to be merged.
    this.storedSinceCompaction = 0;
    this.storedBytesSinceCompaction = 0;
    this.compacting = this.store
      .compact(this.name)
      .catch((e) => console.error(`[yjs] compacting ${this.name} failed`, e))
      .finally(() => (this.compacting = null));
  }

  /**
   * The database refused a write: what is in memory is not durable, so drop it.
   * Clients reconnect, resync from the database and send their edits again.
   */
  private fail(error: unknown): void {
    // A document deleted under its room is not a fault: its editors are told it is gone.
    const gone = error instanceof DocumentGone;
    if (!gone) console.error(`[yjs] storing ${this.name} failed; closing the document`, error);
    this.closed = this.failed = true;
    this.pending = newBatch();
    for (const peer of [...this.peers.keys()]) peer.close(gone ? CLOSE.gone : 1011, gone ? "this document no longer exists" : "storage failed");
    this.peers.clear();
    this.onEmpty(this);
  }

  /** Last step before leaving memory: wait for durability, snapshot, let hooks finish. */
  async unload(): Promise<void> {
    this.closed = true;
    if (!this.failed) await this.durable();
    await this.compacting;
    if (!this.failed && !this.oversize && this.storedSinceCompaction > 0)
      await this.store.compact(this.name).catch((e) => console.error(`[yjs] compacting ${this.name} failed`, e));
    if (!this.failed && !this.oversize) await this.hooks.onUnload?.(this).catch((e) => console.error(`[yjs] unloading ${this.name}`, e));
    this.awareness.destroy();
    this.doc.destroy();
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };
