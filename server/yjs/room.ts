// One loaded document and the people connected to it. The rule that makes a
// crash lose nothing: an update is applied in memory, committed by the store,
// and only then relayed; anything sent to a client that reflects an update
// (a sync reply included) waits for the commit of that update.
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { colorFor } from "~/utils/color";
import {
  awarenessMessage,
  decodeAwarenessUpdate,
  encodeAwarenessEntries,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from "./protocol";
import { noRelay, type Relay } from "./relay";
import { CLOSE } from "../realtime/close-codes";
import { DocumentGone, type DocumentStore } from "./store";

export type PeerUser = { id: string; name: string };

/** A connected client as the room sees it; the WebSocket behind it is the endpoint's business. */
export interface Peer {
  readonly user: PeerUser;
  readonly readOnly: boolean;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomHooks {
  /** After updates are committed: keep derived copies (rendered text) fresh. */
  onStored?(room: Room): void;
  /** Before the room leaves memory, after its last update is committed. */
  onUnload?(room: Room): Promise<void>;
}

type Batch = { updates: Uint8Array[]; after: (() => void)[] };
const newBatch = (): Batch => ({ updates: [], after: [] });

/** Origin of changes that came from another process (already stored by it). */
export const RELAYED = Symbol("relayed");

/** Compact once this many updates have been stored since the last snapshot. */
export const COMPACT_EVERY = 500;

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly peers = new Map<Peer, Set<number>>();
  /** Caret colours, unique among the people in this room. */
  private readonly colors = new Map<Peer, string>();
  closed = false;
  private failed = false;
  private pending: Batch = newBatch();
  private flushing: Batch | null = null;
  private storedSinceCompaction = 0;
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
    this.doc.transact(() => {
      for (const update of stored) Y.applyUpdate(this.doc, update);
    });
    this.storedSinceCompaction = Math.max(0, stored.length - 1);
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const peer = origin as Peer | null;
      const ids = peer ? this.peers.get(peer) : undefined;
      if (ids) {
        for (const id of added) ids.add(id);
        for (const id of removed) ids.delete(id);
      }
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...added, ...updated, ...removed]);
      const message = awarenessMessage(update);
      for (const p of this.peers.keys()) p.send(message);
      if (origin !== RELAYED) this.relay.publish(this.name, "awareness", update);
    });
  }

  join(peer: Peer): void {
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
    awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], null);
    if (this.peers.size === 0) this.onEmpty(this);
  }

  /** A client's sync step 1: answer with what it lacks, once that is durable. */
  answerSyncStep1(peer: Peer, stateVector: Uint8Array): void {
    const reply = syncStep2Message(Y.encodeStateAsUpdate(this.doc, stateVector));
    this.afterDurable(() => peer.send(reply));
  }

  /** A client's edit (sync step 2 or update). Throws on a malformed update before anything changes. */
  acceptUpdate(peer: Peer, update: Uint8Array): void {
    Y.decodeUpdate(update); // validates the encoding without touching the document
    const changes: Uint8Array[] = [];
    const capture = (u: Uint8Array) => changes.push(u);
    this.doc.on("update", capture);
    try {
      Y.applyUpdate(this.doc, update, peer);
    } finally {
      this.doc.off("update", capture);
    }
    if (changes.length === 0) return; // already known, or waiting for missing history
    const change = changes.length === 1 ? changes[0]! : Y.mergeUpdates(changes);
    this.pending.updates.push(change);
    const message = updateMessage(change);
    this.pending.after.push(() => {
      for (const p of this.peers.keys()) if (p !== peer) p.send(message);
    });
    if (!this.flushing) void this.flush();
  }

  /** Presence: the server, not the client, says who a caret belongs to. */
  acceptAwareness(peer: Peer, update: Uint8Array): void {
    const entries = decodeAwarenessUpdate(update).map((entry) =>
      entry.state === null
        ? entry
        : { ...entry, state: { ...entry.state, user: { ...(entry.state.user as object | undefined), name: peer.user.name, id: peer.user.id, color: this.colors.get(peer) } } },
    );
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(entries), peer);
  }

  /** Another process stored this update: apply it and pass it on to this process's clients. */
  applyRelayed(kind: "update" | "awareness", data: Uint8Array): void {
    if (this.closed) return;
    if (kind === "awareness") return awarenessProtocol.applyAwarenessUpdate(this.awareness, data, RELAYED);
    Y.applyUpdate(this.doc, data, RELAYED);
    const message = updateMessage(data);
    for (const p of this.peers.keys()) p.send(message);
  }

  answerAwarenessQuery(peer: Peer): void {
    const states = [...this.awareness.getStates().keys()];
    peer.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
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

  // Group commit: updates that arrive while one write is in flight go out
  // together in the next, so a busy document costs one commit per round trip.
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
      for (const u of batch.updates) this.relay.publish(this.name, "update", u);
      for (const fn of batch.after) fn();
      this.hooks.onStored?.(this);
      if (this.storedSinceCompaction >= COMPACT_EVERY && !this.compacting) {
        // In the background: relaying the next edits must not wait for a snapshot to be merged.
        this.storedSinceCompaction = 0;
        this.compacting = this.store
          .compact(this.name)
          .catch((e) => console.error(`[yjs] compacting ${this.name} failed`, e))
          .finally(() => (this.compacting = null));
      }
    }
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
    if (!this.failed && this.storedSinceCompaction > 0) await this.store.compact(this.name).catch((e) => console.error(`[yjs] compacting ${this.name} failed`, e));
    if (!this.failed) await this.hooks.onUnload?.(this).catch((e) => console.error(`[yjs] unloading ${this.name}`, e));
    this.awareness.destroy();
    this.doc.destroy();
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };
