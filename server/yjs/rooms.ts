// Which documents are in memory. A document is loaded when its first client
// connects and unloaded when its last one leaves, so memory follows use.
import type * as Y from "yjs";
import { noRelay, type Relay, type RelayKind } from "./relay";
import type { DocumentStore } from "./store";
import { Room, type RoomHooks } from "./room";

/** How long a document loaded for a server-side change stays in memory with nobody connected. */
const SERVER_CHANGE_LINGER_MS = 5_000;

export class Rooms {
  private readonly loaded = new Map<string, Room>();
  private readonly opening = new Map<string, Promise<Room>>();
  private readonly closing = new Map<string, Promise<void>>();
  private readonly unsubscribe = new Map<string, () => Promise<void>>();
  /** Rooms loaded only for a server change, and when they are let go (releaseIfIdle). */
  private readonly idle = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: DocumentStore,
    private readonly hooks: RoomHooks = {},
    private readonly relay: Relay = noRelay,
  ) {}

  /** The live room for a document, loading it from the store if needed. Never returns a closed room. */
  async open(name: string): Promise<Room> {
    for (;;) {
      await this.closing.get(name);
      const room = this.loaded.get(name) ?? (await this.load(name));
      if (!room.closed) return room;
    }
  }

  /**
   * Runs a server-side change on a document (loading it if nobody has it open) and resolves
   * once the change is committed; a document loaded only for this is unloaded again.
   */
  async change(name: string, fn: (doc: Y.Doc) => void): Promise<void> {
    const room = await this.open(name);
    try {
      room.applyServerChange(fn);
      await room.durable();
    } finally {
      this.releaseIfIdle(room);
    }
  }

  /** Reads a document as it is now in memory (loading it if needed). */
  async read<T>(name: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.open(name);
    try {
      await room.durable();
      return fn(room.doc);
    } finally {
      this.releaseIfIdle(room);
    }
  }

  /**
   * A document the server changed with nobody connected stays loaded a little while: a burst of
   * server changes (the minutes' facts during check-in) then costs no reload and no compaction each.
   */
  private releaseIfIdle(room: Room): void {
    if (room.peers.size > 0 || room.closed || this.idle.has(room.name)) return;
    const timer = setTimeout(() => {
      this.idle.delete(room.name);
      if (this.loaded.get(room.name) === room && room.peers.size === 0 && !room.closed) this.unload(room);
    }, SERVER_CHANGE_LINGER_MS);
    timer.unref();
    this.idle.set(room.name, timer);
  }

  /**
   * Re-reads every loaded document from the store (Room.catchUp). With several nodes this runs
   * after the relay reconnects to Redis and every CATCH_UP_MS, so no document stays half-loaded
   * on one node because another died between storing an update and publishing it.
   */
  async catchUpAll(): Promise<void> {
    for (const room of [...this.loaded.values()]) {
      if (room.closed) continue;
      try {
        room.catchUp(await this.store.load(room.name));
      } catch (error) {
        console.error(`[yjs] catching up ${room.name}`, error);
      }
    }
  }

  /** Documents in memory now (the capacity benchmark watches this return to zero). */
  get size(): number {
    return this.loaded.size;
  }

  /** Clients connected to any loaded document. */
  get connections(): number {
    let n = 0;
    for (const room of this.loaded.values()) n += room.peers.size;
    return n;
  }

  has(name: string): boolean {
    return this.loaded.has(name);
  }

  /** Waits for every room to commit and unload: graceful shutdown. */
  async closeAll(): Promise<void> {
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
    for (const room of [...this.loaded.values()]) {
      for (const peer of [...room.peers.keys()]) peer.close(1001, "server shutting down");
      if (this.loaded.get(room.name) === room) this.unload(room);
    }
    await Promise.all([...this.closing.values()]);
  }

  private load(name: string): Promise<Room> {
    let pending = this.opening.get(name);
    if (!pending) {
      pending = (async () => {
        // Subscribe before reading, so an update another process stores meanwhile is heard, not missed
        // (applying one twice is harmless: Yjs updates are idempotent).
        const early: [RelayKind, Uint8Array][] = [];
        let room: Room | null = null;
        const stop = await this.relay.subscribe(name, (kind, data) => (room ? room.applyRelayed(kind, data) : early.push([kind, data])));
        try {
          const stored = await this.store.load(name);
          room = new Room(name, this.store, this.hooks, stored, (r) => this.unload(r), this.relay);
        } catch (error) {
          await stop();
          throw error;
        }
        for (const [kind, data] of early) room.applyRelayed(kind, data);
        this.unsubscribe.set(name, stop);
        this.loaded.set(name, room);
        return room;
      })().finally(() => this.opening.delete(name));
      this.opening.set(name, pending);
    }
    return pending;
  }

  private unload(room: Room): void {
    if (this.loaded.get(room.name) !== room) return;
    clearTimeout(this.idle.get(room.name));
    this.idle.delete(room.name);
    this.loaded.delete(room.name);
    room.closed = true;
    const stop = this.unsubscribe.get(room.name);
    this.unsubscribe.delete(room.name);
    const done = room
      .unload()
      .then(() => stop?.())
      .catch((e) => console.error(`[yjs] unloading ${room.name}`, e))
      .finally(() => this.closing.delete(room.name));
    this.closing.set(room.name, done);
  }
}
